import { defineWorkflow } from '../../kernel/workflow.js';
import type { IncidentStatus, IncidentTaskStatus } from './tables.js';

/** The incident: opened by the commanding level, closed with a summary. */
export const INCIDENT_ACTIONS = ['dispatch', 'close'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];
export const incidentWorkflow = defineWorkflow<IncidentStatus, IncidentAction, 'commander'>({
  name: { zh: '应急事件', en: 'Incident' },
  states: { open: { zh: '处置中', en: 'Open' }, closed: { zh: '已结束', en: 'Closed' } },
  transitions: [
    { from: 'open', action: 'dispatch', to: 'open', who: 'commander', zh: '派发任务', en: 'Dispatch a task' },
    { from: 'open', action: 'close', to: 'closed', who: 'commander', zh: '结束事件', en: 'Close the incident' },
  ],
});

/** A dispatched task: the agency accepts it, then reports it done with its result. */
export const TASK_ACTIONS = ['accept', 'complete'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];
export const taskWorkflow = defineWorkflow<IncidentTaskStatus, TaskAction, 'agency'>({
  name: { zh: '调度任务', en: 'Task' },
  states: {
    dispatched: { zh: '已派发', en: 'Dispatched' },
    accepted: { zh: '执行中', en: 'In progress' },
    done: { zh: '已完成', en: 'Done' },
  },
  transitions: [
    { from: 'dispatched', action: 'accept', to: 'accepted', who: 'agency', zh: '接收', en: 'Accept' },
    { from: 'dispatched', action: 'complete', to: 'done', who: 'agency', zh: '完成', en: 'Complete' },
    { from: 'accepted', action: 'complete', to: 'done', who: 'agency', zh: '完成', en: 'Complete' },
  ],
});
