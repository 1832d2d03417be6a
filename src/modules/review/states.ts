import { defineWorkflow } from '../../kernel/workflow.js';
import type { ReviewState } from './tables.js';

/**
 * The review item's state table (信息审核, seed 000 art. 12). A `reviewer` holds `review.decide` and may see the item
 * (and did not enter it); the `collector` is the organisation that entered it and corrects it in place.
 */
export const REVIEW_ACTIONS = ['approve', 'return', 'resubmit'] as const;
export type ReviewActionName = (typeof REVIEW_ACTIONS)[number];
export type ReviewWho = 'reviewer' | 'collector';

export const reviewWorkflow = defineWorkflow<ReviewState, ReviewActionName, ReviewWho>({
  name: { zh: '信息审核', en: 'Information review' },
  states: {
    pending: { zh: '待审核', en: 'Pending' },
    approved: { zh: '审核通过', en: 'Approved' },
    returned: { zh: '已退回修改', en: 'Returned for correction' },
  },
  transitions: [
    { from: 'pending', action: 'approve', to: 'approved', who: 'reviewer', zh: '通过', en: 'Approve' },
    { from: 'pending', action: 'return', to: 'returned', who: 'reviewer', zh: '退回', en: 'Return' },
    { from: 'returned', action: 'resubmit', to: 'pending', who: 'collector', zh: '重新提交', en: 'Resubmit' },
  ],
});

/** Reasons for returning (a list plus free text, docs/UX.md 5). */
export const RETURN_REASONS = {
  incomplete: { zh: '信息不完整', en: 'Incomplete' },
  inaccurate: { zh: '信息不准确', en: 'Inaccurate' },
  untrue: { zh: '信息不真实', en: 'Not true' },
  noncompliant: { zh: '不符合目录或规范', en: 'Not as the catalogue requires' },
  photo: { zh: '图片不清晰或缺失', en: 'Photo unclear or missing' },
  late: { zh: '未在规定时限内上传', en: 'Uploaded late' },
  other: { zh: '其他', en: 'Other' },
} as const;
export type ReturnReason = keyof typeof RETURN_REASONS;
export const REASON_CODES = Object.keys(RETURN_REASONS) as ReturnReason[];

/** Working days a reviewer has (the visible clock). */
export const REVIEW_DAYS = 5;
/** Returns of one record that make a credit record (屡次退回). */
export const RETURN_REPEAT = 3;
