import { type Static, Type } from 'typebox';
import { AllowedActions, DivisionCode, Label, LiteralUnion, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';
import { WARNING_ACTIONS } from './states.js';
import { WARNING_KIND_VALUES, WARNING_LEVEL_VALUES, WARNING_STATUS_VALUES } from './tables.js';

/** Request and response schemas of early warnings (预警测报) and their rules, and the types derived from them. */

export const WarningQuery = Type.Object({
  status: Type.Optional(LiteralUnion(WARNING_STATUS_VALUES)),
  kind: Type.Optional(LiteralUnion(WARNING_KIND_VALUES)),
  within: Type.Optional(DivisionCode),
  ...PageQuery,
});
export type WarningQuery = Static<typeof WarningQuery>;

export const WarningEvent = Type.Object({
  action: Type.String(),
  actionLabel: Label,
  note: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  orgName: Nullable(Type.String()),
  at: Type.String(),
});

export const Warning = Type.Object({
  id: Uuid,
  ruleCode: Type.String(),
  kind: LiteralUnion(WARNING_KIND_VALUES),
  ruleName: Label,
  title: Label,
  divisionCode: Type.String(),
  divisionName: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  link: Nullable(Type.String()),
  status: LiteralUnion(WARNING_STATUS_VALUES),
  statusLabel: Label,
  detectedAt: Type.String(),
  lastSeenAt: Type.String(),
  outcome: Nullable(Type.String()),
  allowedActions: AllowedActions(WARNING_ACTIONS),
  trail: Type.Array(WarningEvent),
});
export type Warning = Static<typeof Warning>;

export const AcknowledgeInput = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) });
export type AcknowledgeInput = Static<typeof AcknowledgeInput>;
export const HandleInput = Type.Object({ outcome: Type.String({ minLength: 1, maxLength: 2000 }) });
export type HandleInput = Static<typeof HandleInput>;

export const WarningRule = Type.Object({
  id: Uuid,
  code: Type.String(),
  kind: LiteralUnion(WARNING_KIND_VALUES),
  name: Label,
  level: LiteralUnion(WARNING_LEVEL_VALUES),
  params: Type.Record(Type.String(), Type.Number()),
  /** What each parameter means, in both languages. */
  paramLabels: Type.Record(Type.String(), Label),
  enabled: Type.Boolean(),
  updatedAt: Type.String(),
});
export type WarningRule = Static<typeof WarningRule>;

export const RuleUpdate = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  level: Type.Optional(LiteralUnion(WARNING_LEVEL_VALUES)),
  params: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Number())),
});
export type RuleUpdate = Static<typeof RuleUpdate>;

export const Evaluation = Type.Object({
  rules: Type.Integer(),
  found: Type.Integer(),
  created: Type.Integer(),
});
export type Evaluation = Static<typeof Evaluation>;

export const IdParams = Type.Object({ id: Uuid });
