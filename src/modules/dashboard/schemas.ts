import { type Static, Type } from 'typebox';
import { DivisionCode, Label, LiteralUnion, Nullable, PageQuery } from '../../kernel/schemas.js';

/** Request and response schemas of the decision-support dashboard (决策分析看板), and the types derived from them. */

/** Counted facts, each over the time range (activity) except the stocks (`directory`, `registered`, `approved`). */
export const METRIC_VALUES = [
  'directory',
  'registered',
  'approved',
  'certificates',
  'codes',
  'scans',
  'sales',
  'patrols',
  'samples',
  'failed',
  'recalls',
  'complaints',
  'originRecords',
] as const;
export type Metric = (typeof METRIC_VALUES)[number];
export const METRIC_LABELS: Record<Metric, { zh: string; en: string }> = {
  directory: { zh: '名录主体', en: 'Producers in the census directory' },
  registered: { zh: '名录中已注册', en: 'Directory producers registered' },
  approved: { zh: '已注册主体', en: 'Registered producers' },
  certificates: { zh: '开具合格证', en: 'Certificates issued' },
  codes: { zh: '生成追溯码', en: 'Trace codes issued' },
  scans: { zh: '扫码查询', en: 'Code scans' },
  sales: { zh: '扫码交易', en: 'Trades' },
  patrols: { zh: '巡查', en: 'Patrols' },
  samples: { zh: '抽检样品', en: 'Samples tested' },
  failed: { zh: '不合格样品', en: 'Samples failed' },
  recalls: { zh: '召回', en: 'Recalls' },
  complaints: { zh: '投诉举报', en: 'Complaints' },
  originRecords: { zh: '产地地图点位', en: 'Origin-map records' },
};

const MetricLiteral = LiteralUnion(METRIC_VALUES);
const Counts = Type.Object(
  Object.fromEntries(METRIC_VALUES.map((m) => [m, Type.Integer()])) as Record<Metric, ReturnType<typeof Type.Integer>>,
);
export type Counts = Static<typeof Counts>;

export const DashboardQuery = Type.Object({
  within: Type.Optional(DivisionCode),
  /** First day included (YYYY-MM-DD, China time); default: the first day of the month eleven months ago. */
  from: Type.Optional(Type.String({ format: 'date' })),
  /** Last day included; default today. */
  to: Type.Optional(Type.String({ format: 'date' })),
});
export type DashboardQuery = Static<typeof DashboardQuery>;

export const Dashboard = Type.Object({
  divisionCode: Type.String(),
  divisionName: Type.String(),
  level: Type.String({ description: 'national · province · city · county · township · village' }),
  levelLabel: Label,
  from: Type.String(),
  to: Type.String(),
  metrics: Type.Array(Type.Object({ key: MetricLiteral, zh: Type.String(), en: Type.String() })),
  totals: Counts,
  /** Directory producers registered ÷ directory producers, percent (null without a directory). */
  registrationRate: Nullable(Type.Number()),
  /** Failed ÷ tested samples, percent. */
  failureRate: Nullable(Type.Number()),
  byRegion: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), counts: Counts })),
  byMonth: Type.Array(Type.Object({ month: Type.String(), counts: Counts })),
  /** Samples and failures by product × child region × month. */
  failures: Type.Array(
    Type.Object({
      product: Type.String(),
      region: Type.String(),
      regionName: Type.String(),
      month: Type.String(),
      samples: Type.Integer(),
      failed: Type.Integer(),
      rate: Nullable(Type.Number()),
    }),
  ),
  /** Trade flows from child regions of the area to the buyers' regions (same level), and between provinces. */
  flows: Type.Array(
    Type.Object({
      from: Type.String(),
      fromName: Type.String(),
      to: Type.String(),
      toName: Type.String(),
      trades: Type.Integer(),
    }),
  ),
  provinceFlows: Type.Array(
    Type.Object({
      from: Type.String(),
      fromName: Type.String(),
      to: Type.String(),
      toName: Type.String(),
      trades: Type.Integer(),
    }),
  ),
  /**
   * The flow map (流向图): flows between regions at most county deep (the deepest bundled boundaries), with each end's
   * centre [lng, lat]; trades inside one region are left out (they stay in `flows`). `backdrop`: the division whose
   * child boundaries (`getOriginBoundaries`) hold every end ('' = the provinces).
   */
  flowMap: Type.Object({
    backdrop: Type.String(),
    lines: Type.Array(
      Type.Object({
        from: Type.String(),
        fromName: Type.String(),
        to: Type.String(),
        toName: Type.String(),
        trades: Type.Integer(),
        fromPoint: Type.Tuple([Type.Number(), Type.Number()]),
        toPoint: Type.Tuple([Type.Number(), Type.Number()]),
      }),
    ),
  }),
});
export type Dashboard = Static<typeof Dashboard>;

export const DrillQuery = Type.Object({
  metric: MetricLiteral,
  within: Type.Optional(DivisionCode),
  from: Type.Optional(Type.String({ format: 'date' })),
  to: Type.Optional(Type.String({ format: 'date' })),
  product: Type.Optional(Type.String({ maxLength: 100 })),
  ...PageQuery,
});
export type DrillQuery = Static<typeof DrillQuery>;

export const DrillRow = Type.Object({
  id: Type.String(),
  title: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  at: Nullable(Type.String()),
  status: Nullable(Type.String()),
  /** The status in words (zh-CN and en-US). */
  statusLabel: Nullable(Label),
  /** The web page that shows the record. */
  link: Nullable(Type.String()),
});
export type DrillRow = Static<typeof DrillRow>;

export const ReportQuery = Type.Object({
  within: Type.Optional(DivisionCode),
  month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' }),
});
export type ReportQuery = Static<typeof ReportQuery>;
