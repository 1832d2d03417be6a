import { defineWorkflow } from '../../kernel/workflow.js';
import type { ComplaintStatus } from './tables.js';

/**
 * The complaint's state table. Complaints are routed to the supervision organisation of the producer's county
 * (seed 003 "监管部门根据权限可以查询本辖区追溯信息"); a `handler` is an account holding `complaint.handle` whose
 * jurisdiction holds the complaint. Closing needs the outcome (service.ts).
 */
export const COMPLAINT_ACTIONS = ['accept', 'close'] as const;
export type ComplaintAction = (typeof COMPLAINT_ACTIONS)[number];

export const complaintWorkflow = defineWorkflow<ComplaintStatus, ComplaintAction, 'handler'>({
  name: { zh: '投诉', en: 'Complaint' },
  states: {
    submitted: { zh: '待受理', en: 'New' },
    handling: { zh: '处理中', en: 'Handling' },
    closed: { zh: '已办结', en: 'Closed' },
  },
  transitions: [
    { from: 'submitted', action: 'accept', to: 'handling', who: 'handler', zh: '受理', en: 'Accept' },
    { from: 'submitted', action: 'close', to: 'closed', who: 'handler', zh: '办结', en: 'Close' },
    { from: 'handling', action: 'close', to: 'closed', who: 'handler', zh: '办结', en: 'Close' },
  ],
});
