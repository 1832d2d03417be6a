import type { Actor, Ctx } from '../../kernel/context.js';
import { type NetworkMessage, sendToPlatform } from '../../kernel/sharing.js';
import { codeText } from '../codes/service.js';
import * as repo from './repo.js';
import type { ProgressNotice, RecallStatus } from './tables.js';

/**
 * Recall progress back to the platform that opened a network recall (issue 15 item 3). A recall opened here for a
 * network recall (network.ts `takeNetworkRecall`) reports its state up as a `recall.progress` message when it opens,
 * when a holder acknowledges and when it closes: the counts and one line per holder. The opening platform keeps the
 * latest report per local recall (a later report replaces an earlier one, whatever order they arrive in), which its
 * network recall detail shows per platform and per holder.
 */

export interface ProgressPayload {
  networkRecallId: string;
  recallId: string;
  number: string;
  status: RecallStatus;
  holders: number;
  acknowledged: number;
  external: number;
  recovered: number;
  notices: ProgressNotice[];
  reportedAt: string;
}

const batchCodeKind = (kind: string | null) => (kind === 'circulation' ? 'circulation' : 'production');

/** Sends this recall's progress to the platform that opened its network recall; nothing for a recall opened here. */
export async function reportProgress(ctx: Ctx<Actor | null>, recallId: string): Promise<void> {
  const r = await repo.recallById(ctx.db, recallId);
  if (!r?.opened_by_platform || !r.network_recall_id) return;
  const notices = await repo.notices(ctx.db, recallId);
  const inPlatform = notices.filter((n) => n.status !== 'external');
  const payload: ProgressPayload = {
    networkRecallId: r.network_recall_id,
    recallId: r.id,
    number: r.number,
    status: r.status,
    holders: inPlatform.length,
    acknowledged: notices.filter((n) => n.status === 'acknowledged').length,
    external: notices.length - inPlatform.length,
    recovered: notices.reduce((s, n) => s + Number(n.recovered_quantity ?? 0), 0),
    notices: notices.map((n) => ({
      holderName: n.holder_name,
      divisionCode: n.division_code,
      code:
        n.code_serial === null || n.code_serial === undefined
          ? null
          : codeText(ctx.config, batchCodeKind(n.batch_kind), Number(n.code_serial)),
      quantity: n.quantity === null ? null : Number(n.quantity),
      unit: n.unit,
      status: n.status,
      acknowledgedAt: n.acknowledged_at?.toISOString() ?? null,
      recoveredQuantity: n.recovered_quantity === null ? null : Number(n.recovered_quantity),
    })),
    reportedAt: new Date().toISOString(),
  };
  await sendToPlatform(ctx, r.opened_by_platform, 'recall.progress', { ...payload });
}

/** Handler of `recall.progress` on the platform that opened the network recall: the report is kept. */
export async function takeProgress(ctx: Ctx<null>, m: NetworkMessage) {
  const p = m.payload as unknown as ProgressPayload;
  const nr = await repo.networkRecallById(ctx.db, p.networkRecallId);
  if (!nr) throw new Error(`no network recall ${p.networkRecallId}`);
  if (!nr.platforms.some((x) => x.platform === m.from))
    throw new Error(`network recall ${nr.number} was not sent to ${m.from}`);
  await repo.upsertProgress(ctx.db, {
    network_recall_id: nr.id,
    platform: m.from,
    recall_id: p.recallId,
    number: p.number,
    status: p.status,
    holders: p.holders,
    acknowledged: p.acknowledged,
    external: p.external,
    recovered: String(p.recovered),
    notices: JSON.stringify(p.notices),
    reported_at: new Date(p.reportedAt),
  });
}
