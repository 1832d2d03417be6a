import { type Static, Type } from 'typebox';
import { AllowedActions, Label, LiteralUnion, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';
import { INCIDENT_ACTIONS, TASK_ACTIONS } from './states.js';
import { INCIDENT_KIND_VALUES, INCIDENT_STATUS_VALUES, TASK_KIND_VALUES, TASK_STATUS_VALUES } from './tables.js';

/** Request and response schemas of the incident workspace (应急指挥调度), and the types derived from them. */
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const OpenIncidentInput = Type.Object({
  title: Text(200),
  kind: LiteralUnion(INCIDENT_KIND_VALUES),
  severity: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 4, description: '1 特别重大 · 2 重大 · 3 较大 · 4 一般' }),
  ),
  description: Text(4000),
  /** The source: a risk case of a failed sample, or a trace code of this platform. */
  riskCaseId: Type.Optional(Uuid),
  traceCode: Type.Optional(Type.String({ maxLength: 64 })),
});
export type OpenIncidentInput = Static<typeof OpenIncidentInput>;

export const DispatchInput = Type.Object({
  kind: LiteralUnion(TASK_KIND_VALUES),
  orgId: Uuid,
  deadline: Type.String({ format: 'date' }),
  instructions: Text(2000),
  target: Type.Optional(Type.String({ maxLength: 200 })),
});
export type DispatchInput = Static<typeof DispatchInput>;

export const TaskActionInput = Type.Object({
  action: LiteralUnion(TASK_ACTIONS),
  result: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type TaskActionInput = Static<typeof TaskActionInput>;

export const CloseInput = Type.Object({ summary: Text(4000) });
export type CloseInput = Static<typeof CloseInput>;

export const IncidentQuery = Type.Object({ status: Type.Optional(LiteralUnion(INCIDENT_STATUS_VALUES)), ...PageQuery });
export type IncidentQuery = Static<typeof IncidentQuery>;

export const AffectedBatch = Type.Object({
  batchId: Uuid,
  depth: Type.Integer(),
  batchNo: Type.String(),
  code: Nullable(Type.String()),
  productName: Type.String(),
  subjectId: Uuid,
  subjectName: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  quantity: Type.String(),
  stock: Type.String(),
  unit: Type.String(),
  longitude: Nullable(Type.Number()),
  latitude: Nullable(Type.Number()),
});

export const IncidentTask = Type.Object({
  id: Uuid,
  kind: LiteralUnion(TASK_KIND_VALUES),
  kindLabel: Label,
  orgId: Uuid,
  orgName: Type.String(),
  divisionCode: Type.String(),
  target: Nullable(Type.String()),
  instructions: Type.String(),
  deadline: Type.String(),
  overdue: Type.Boolean(),
  status: LiteralUnion(TASK_STATUS_VALUES),
  statusLabel: Label,
  result: Nullable(Type.String()),
  dispatchedAt: Type.String(),
  doneAt: Nullable(Type.String()),
  allowedActions: AllowedActions(TASK_ACTIONS),
});
export type IncidentTask = Static<typeof IncidentTask>;

export const IncidentSummary = Type.Object({
  id: Uuid,
  number: Type.String(),
  title: Type.String(),
  kind: LiteralUnion(INCIDENT_KIND_VALUES),
  kindLabel: Label,
  severity: Type.Integer(),
  productName: Nullable(Type.String()),
  divisionCode: Type.String(),
  status: LiteralUnion(INCIDENT_STATUS_VALUES),
  statusLabel: Label,
  openedAt: Type.String(),
  tasksTotal: Type.Integer(),
  tasksDone: Type.Integer(),
});
export type IncidentSummary = Static<typeof IncidentSummary>;

export const Incident = Type.Object({
  ...IncidentSummary.properties,
  description: Type.String(),
  traceCode: Nullable(Type.String()),
  batchId: Nullable(Uuid),
  sourceType: Nullable(Type.String()),
  sourceId: Nullable(Type.String()),
  summary: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  affected: Type.Array(AffectedBatch),
  /** Distinct holders of affected batches. */
  holders: Type.Array(
    Type.Object({ subjectId: Uuid, name: Type.String(), divisionName: Type.String(), batches: Type.Integer() }),
  ),
  tasks: Type.Array(IncidentTask),
  allowedActions: AllowedActions(INCIDENT_ACTIONS),
});
export type Incident = Static<typeof Incident>;

export const IdParams = Type.Object({ id: Uuid });
