import { Problem } from '../../kernel/problems.js';
import { defineWorkflow } from '../../kernel/workflow.js';
import type { SaleStatus } from './tables.js';

/**
 * The sale's state table. A sale to a registered buyer waits for the buyer (accept → a circulation batch and code
 * linked to the source; refuse → the stock returns); a sale to an unregistered buyer or into a market carries a
 * voucher the seller prints. `who` is the caller's side of the sale: `seller` or `buyer`.
 */
export type SaleSide = 'seller' | 'buyer';
export const SALE_ACTIONS = ['accept', 'refuse', 'printVoucher'] as const;
export type SaleAction = (typeof SALE_ACTIONS)[number];

export const saleWorkflow = defineWorkflow<SaleStatus, SaleAction, SaleSide>({
  name: { zh: '销售记录', en: 'Sale' },
  states: {
    pending: { zh: '待买方确认', en: 'Waiting for the buyer' },
    accepted: { zh: '买方已确认收货', en: 'Received by the buyer' },
    refused: { zh: '买方已拒收（库存已退回）', en: 'Refused by the buyer (stock returned)' },
    vouchered: { zh: '已开具凭证', en: 'Voucher issued' },
  },
  transitions: [
    { from: 'pending', action: 'accept', to: 'accepted', who: 'buyer', zh: '确认收货', en: 'Confirm receipt' },
    { from: 'pending', action: 'refuse', to: 'refused', who: 'buyer', zh: '拒收', en: 'Refuse' },
    {
      from: 'vouchered',
      action: 'printVoucher',
      to: 'vouchered',
      who: 'seller',
      zh: '打印凭证',
      en: 'Print the voucher',
    },
  ],
});

/** The buyer's decision on a pending sale; a refused transition names the request's `decision` field. */
export function decide(status: SaleStatus, decision: 'accept' | 'refuse') {
  try {
    return saleWorkflow.transition(status, decision, ['buyer']);
  } catch (e) {
    if (e instanceof Problem) throw new Problem(e.code, { ...e.params, field: 'decision' }, e.details);
    throw e;
  }
}
