import { defineWorkflow } from '../../kernel/workflow.js';
import type { WarningStatus } from './tables.js';

/** A warning is acknowledged by the responsible level, then handled with an outcome (both steps keep a trail). */
export const WARNING_ACTIONS = ['acknowledge', 'handle'] as const;
export type WarningAction = (typeof WARNING_ACTIONS)[number];

export const warningWorkflow = defineWorkflow<WarningStatus, WarningAction, 'handler'>({
  name: { zh: '预警', en: 'Warning' },
  states: {
    open: { zh: '待确认', en: 'Open' },
    acknowledged: { zh: '处理中', en: 'Acknowledged' },
    handled: { zh: '已处置', en: 'Handled' },
  },
  transitions: [
    { from: 'open', action: 'acknowledge', to: 'acknowledged', who: 'handler', zh: '确认', en: 'Acknowledge' },
    { from: 'open', action: 'handle', to: 'handled', who: 'handler', zh: '处置', en: 'Handle' },
    { from: 'acknowledged', action: 'handle', to: 'handled', who: 'handler', zh: '处置', en: 'Handle' },
  ],
});
