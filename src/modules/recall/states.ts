import { Problem } from '../../kernel/problems.js';
import { type Label, defineWorkflow } from '../../kernel/workflow.js';
import type { RecallLevel, RecallNoticeStatus, RecallOpenerKind, RecallStatus } from './tables.js';

/**
 * The recall's state table and its notices'. `who` is the caller relative to the recall: `opener` (the organisation
 * that opened it, or a regulator whose jurisdiction holds the batch) or `holder` (a subject holding a notice).
 */
export type RecallRole = 'opener' | 'holder';
export const RECALL_ACTIONS = ['acknowledge', 'close'] as const;
export type RecallAction = (typeof RECALL_ACTIONS)[number];

export const recallWorkflow = defineWorkflow<RecallStatus, RecallAction, RecallRole>({
  name: { zh: '召回', en: 'Recall' },
  states: { open: { zh: '召回中', en: 'Open' }, closed: { zh: '已结束', en: 'Closed' } },
  transitions: [
    { from: 'open', action: 'acknowledge', to: 'open', who: 'holder', zh: '确认召回通知', en: 'Acknowledge' },
    { from: 'open', action: 'close', to: 'closed', who: 'opener', zh: '结束召回', en: 'Close' },
  ],
});

export const noticeWorkflow = defineWorkflow<RecallNoticeStatus, 'acknowledge', 'holder'>({
  name: { zh: '召回通知', en: 'Recall notice' },
  states: {
    notified: { zh: '已通知待确认', en: 'Notified, not yet acknowledged' },
    acknowledged: { zh: '已确认', en: 'Acknowledged' },
    external: { zh: '平台外-需电话通知', en: 'Outside the platform: call them' },
  },
  transitions: [
    {
      from: 'notified',
      action: 'acknowledge',
      to: 'acknowledged',
      who: 'holder',
      zh: '确认召回通知',
      en: 'Acknowledge',
    },
  ],
});

export const LEVEL_LABELS: Record<RecallLevel, Label> = {
  1: { zh: '一级（严重健康危害）', en: 'Level 1 (serious health hazard)' },
  2: { zh: '二级（可能的健康危害）', en: 'Level 2 (possible health hazard)' },
  3: { zh: '三级（不太可能危害健康）', en: 'Level 3 (unlikely health hazard)' },
};
export const levelLabel = (level: number): Label =>
  LEVEL_LABELS[level as RecallLevel] ?? { zh: `${level}`, en: `${level}` };

export const OPENER_LABELS: Record<RecallOpenerKind, Label> = {
  regulator: { zh: '监管部门', en: 'Regulator' },
  producer: { zh: '生产经营主体', en: 'Producer' },
  upper: { zh: '上级平台', en: 'Upper platform' },
};

/** A transition of these tables; recall requests have no `action` field, so a refusal names none. */
export function step<T>(take: () => T): T {
  try {
    return take();
  } catch (e) {
    if (e instanceof Problem && e.field === 'action')
      throw new Problem(e.code, { ...e.params, field: undefined }, e.details);
    throw e;
  }
}
