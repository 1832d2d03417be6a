import type { Label } from '../../kernel/workflow.js';
import type { BatchStatus } from './tables.js';

/**
 * A batch's status is derived from its events (events.ts), not moved by actions, so its state table is "status →
 * the actions it allows". It drives `allowedActions` in every batch answer (and the web's buttons).
 */
export const BATCH_ACTIONS: Record<BatchStatus, readonly string[]> = {
  unsold: [
    'printLabels',
    'issueTraceCodes',
    'activateCodes',
    'issueCertificate',
    'recordInputUse',
    'correctBatch',
    'sell',
    'split',
    'merge',
  ],
  partly_sold: [
    'printLabels',
    'issueTraceCodes',
    'activateCodes',
    'issueCertificate',
    'recordInputUse',
    'correctBatch',
    'sell',
    'split',
    'merge',
  ],
  sold_out: ['printLabels', 'correctBatch'],
  merged: [],
};

export const BATCH_STATUS_LABELS: Record<BatchStatus, Label> = {
  unsold: { zh: '未销售', en: 'Unsold' },
  partly_sold: { zh: '部分销售', en: 'Partly sold' },
  sold_out: { zh: '已售完', en: 'Sold out' },
  merged: { zh: '已合并', en: 'Merged' },
};
