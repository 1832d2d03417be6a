import { type Static, Type } from 'typebox';
import { DateTime, Label, LiteralUnion, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';

const Div = Type.String({ maxLength: 12, pattern: '^([0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{9}|[0-9]{12})?$' });
const Share = Nullable(Type.Number());

export const ConnectionFigures = Type.Object({
  platforms: Type.Array(Type.String(), { description: 'the connected lower platforms inside the unit' }),
  /** Every connection approved and not suspended. */
  connected: Type.Boolean(),
  /** The oldest of their last successful deliveries. */
  lastSuccessAt: Nullable(DateTime),
  /** The largest lag reported, in milliseconds. */
  lagMs: Type.Integer(),
  backlog: Type.Integer(),
  errors: Type.Integer(),
  parked: Type.Integer(),
  /** Record versions received from them in the evaluated period. */
  sharedInPeriod: Type.Integer(),
});
export type ConnectionFigures = Static<typeof ConnectionFigures>;

export const EvaluationQuery = Type.Object({
  /** The evaluating unit (default: the caller's jurisdiction); its children are ranked. */
  divisionCode: Type.Optional(Div),
  months: Type.Optional(Type.Integer({ minimum: 1, maximum: 24, default: 6 })),
});
export type EvaluationQuery = Static<typeof EvaluationQuery>;

export const UnitRow = Type.Object({
  rank: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  records: Type.Integer(),
  late: Type.Integer(),
  producers: Type.Integer(),
  recordingByMonth: Type.Array(Type.Integer()),
  continuity: Share,
  timeliness: Share,
  passRate: Share,
  returnRate: Share,
  flagsPer1000: Share,
  completeness: Share,
  activeAccounts: Type.Integer(),
  activeOrgs: Type.Integer(),
  overdueNotices: Type.Integer(),
  /** Connection and upward sharing (issue 14): 1 when the unit's platform is connected, 0 when not; null without one. */
  sharing: Share,
  /** The unit's platform connection(s) to this platform, summed when several lie inside the unit; null without one. */
  connection: Type.Optional(Nullable(ConnectionFigures)),
  score: Type.Number(),
});
export type UnitRow = Static<typeof UnitRow>;

export const Evaluation = Type.Object({
  divisionCode: Type.String(),
  name: Type.String(),
  unitLevel: Type.String(),
  unitLevelZh: Type.String(),
  unitLevelEn: Type.String(),
  months: Type.Array(Type.String()),
  from: DateTime,
  units: Type.Array(UnitRow),
});
export type Evaluation = Static<typeof Evaluation>;

export const DrillQuery = Type.Object({
  divisionCode: Type.Optional(Div),
  resource: Type.Optional(Type.String({ maxLength: 60 })),
  late: Type.Optional(Type.Boolean()),
  months: Type.Optional(Type.Integer({ minimum: 1, maximum: 24, default: 6 })),
  ...PageQuery,
});
export type DrillQuery = Static<typeof DrillQuery>;
export const CollectedRecord = Type.Object({
  resource: Type.String(),
  resourceLabel: Label,
  recordId: Type.String(),
  catalogVersion: Type.String(),
  divisionCode: Type.String(),
  workAt: Nullable(DateTime),
  uploadedAt: DateTime,
  lateDays: Type.Integer(),
  late: Type.Boolean(),
  completeness: Type.Number(),
});

export const Snapshot = Type.Object({ month: Type.String(), createdAt: DateTime, content: Evaluation });

// ── online patrol ──
export const CreatePatrol = Type.Object(
  {
    targetDivision: Div,
    resource: Type.Optional(Type.String({ maxLength: 60 })),
    sampleSize: Type.Integer({ minimum: 1, maximum: 200 }),
    /** Default: a random seed (stored, so the draw can be re-run). */
    seed: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9A-Za-z_-]+$' })),
  },
  { additionalProperties: false },
);
export type CreatePatrol = Static<typeof CreatePatrol>;

export const PatrolItem = Type.Object({
  recordId: Type.String(),
  resource: Type.String(),
  resourceLabel: Label,
  label: Type.String(),
  problem: Nullable(Type.String()),
  note: Nullable(Type.String()),
});
export const OnlinePatrol = Type.Object({
  id: Type.String(),
  divisionCode: Type.String(),
  targetDivision: Type.String(),
  resource: Nullable(Type.String()),
  resourceLabel: Nullable(Label),
  seed: Type.String(),
  sampleSize: Type.Integer(),
  poolSize: Type.Integer(),
  algorithm: Type.String(),
  items: Type.Array(PatrolItem),
  createdAt: DateTime,
});
export type OnlinePatrol = Static<typeof OnlinePatrol>;

export const PROBLEMS = {
  incomplete: { zh: '信息不完整', en: 'Incomplete' },
  inaccurate: { zh: '信息不准确或不真实', en: 'Inaccurate or untrue' },
  late: { zh: '上传不及时', en: 'Uploaded late' },
  noncompliant: { zh: '不符合目录或规范', en: 'Not as the catalogue requires' },
  other: { zh: '其他', en: 'Other' },
} as const;
export const MarkItem = Type.Object(
  {
    recordId: Type.String({ minLength: 1, maxLength: 80 }),
    problem: Nullable(LiteralUnion(Object.keys(PROBLEMS) as (keyof typeof PROBLEMS)[])),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type MarkItem = Static<typeof MarkItem>;

export const IssueNotice = Type.Object(
  {
    /** The responsible organisation (default: the organisation of the first flagged record). */
    orgId: Type.Optional(Uuid),
    text: Type.String({ minLength: 2, maxLength: 2000 }),
    deadline: Type.String({ format: 'date' }),
  },
  { additionalProperties: false },
);
export type IssueNotice = Static<typeof IssueNotice>;

export const Notice = Type.Object({
  id: Type.String(),
  patrolId: Type.String(),
  orgId: Nullable(Type.String()),
  targetDivision: Type.String(),
  text: Type.String(),
  deadline: Type.String(),
  state: LiteralUnion(['open', 'replied', 'closed'] as const),
  statusZh: Type.String(),
  statusEn: Type.String(),
  overdue: Type.Boolean(),
  reply: Nullable(Type.String()),
  createdAt: DateTime,
  closedAt: Nullable(DateTime),
  allowedActions: Type.Array(LiteralUnion(['reply', 'close'] as const)),
});
export type Notice = Static<typeof Notice>;
export const NoticeAction = Type.Object(
  { action: LiteralUnion(['reply', 'close'] as const), text: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
export type NoticeAction = Static<typeof NoticeAction>;
