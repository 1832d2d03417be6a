import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, Nullable, Page, PageQuery } from '../../kernel/schemas.js';

const Change = Type.Object({
  field: Type.String(),
  fieldZh: Type.String(),
  fieldEn: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
});

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  /** Who: the person's name and organisation at the time (from the account when older rows lack them). */
  actorDisplay: Nullable(Type.String()),
  orgId: Nullable(Type.String()),
  orgName: Nullable(Type.String()),
  onBehalfOf: Nullable(Type.String()),
  /** The producer's name when the actor entered the record for it ("由 X 代 Y 录入"). */
  onBehalfOfName: Nullable(Type.String()),
  verb: Type.String(),
  /** What, in words (the label table per verb/event and action). */
  actionZh: Type.String(),
  actionEn: Type.String(),
  targetType: Type.String(),
  targetTypeZh: Type.String(),
  targetTypeEn: Type.String(),
  targetId: Nullable(Type.String()),
  /** Which object: its name, and where the web UI shows it (null when it has no page). */
  targetName: Nullable(Type.String()),
  targetLink: Nullable(Type.String()),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  ip: Nullable(Type.String()),
  summary: Type.Record(Type.String(), Type.Unknown()),
  before: Nullable(Type.Record(Type.String(), Type.Unknown())),
  after: Nullable(Type.Record(Type.String(), Type.Unknown())),
  /** before → after per changed field, with the field's name in both languages. */
  changes: Type.Array(Change),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditQuery = Type.Object({
  within: Type.Optional(DivisionCode),
  verb: Type.Optional(
    Type.String({ maxLength: 60, description: 'exact verb, or a prefix ending with "." (e.g. "user.")' }),
  ),
  actor: Type.Optional(Type.String({ maxLength: 64 })),
  targetType: Type.Optional(Type.String({ maxLength: 40 })),
  targetId: Type.Optional(Type.String({ maxLength: 80 })),
  from: Type.Optional(DateTime),
  to: Type.Optional(DateTime),
  ...PageQuery,
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Page(AuditEntry);
