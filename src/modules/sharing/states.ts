import { defineWorkflow } from '../../kernel/workflow.js';
import type { ConnectionStatus } from './tables.js';

/**
 * The platform connection's state table (seed 003 二(四)、三(二): apply → approve → start). The upper platform's
 * administrator (`upper`) approves or rejects a lower platform's application; either side suspends and resumes its
 * own end of an approved connection (`upper` on the upper platform's row, `lower` on the lower platform's row). A
 * rejected platform may apply again (its row returns to `applied` with the new key and contact).
 */
export const CONNECTION_ACTIONS = ['approve', 'reject', 'suspend', 'resume'] as const;
export type ConnectionAction = (typeof CONNECTION_ACTIONS)[number];
export type ConnectionSide = 'upper' | 'lower';

export const connectionWorkflow = defineWorkflow<ConnectionStatus, ConnectionAction, ConnectionSide>({
  name: { zh: '平台对接', en: 'Platform connection' },
  states: {
    applied: { zh: '待审批', en: 'Awaiting approval' },
    approved: { zh: '已对接', en: 'Connected' },
    rejected: { zh: '已驳回', en: 'Rejected' },
    suspended: { zh: '已暂停', en: 'Suspended' },
  },
  transitions: [
    { from: 'applied', action: 'approve', to: 'approved', who: 'upper', zh: '批准对接', en: 'Approve' },
    { from: 'applied', action: 'reject', to: 'rejected', who: 'upper', zh: '驳回', en: 'Reject' },
    { from: 'approved', action: 'suspend', to: 'suspended', who: 'upper', zh: '暂停', en: 'Suspend' },
    { from: 'approved', action: 'suspend', to: 'suspended', who: 'lower', zh: '暂停', en: 'Suspend' },
    { from: 'suspended', action: 'resume', to: 'approved', who: 'upper', zh: '恢复', en: 'Resume' },
    { from: 'suspended', action: 'resume', to: 'approved', who: 'lower', zh: '恢复', en: 'Resume' },
  ],
});
