import type { Actor, Ctx } from '../../kernel/context.js';
import * as lineage from '../lineage/service.js';
import * as recall from '../recall/service.js';
import type { TraceNode, TraceOutcome } from './schemas.js';

/**
 * The seam to the traceability chain (issue 5: lineage `trace('backward'|'forward')` and `openRecall`). A failed
 * test result calls `traceBatch` while the risk case is written; the county's one click calls `openRecall`.
 * Samples without a trace code of this platform have no batch: the trace is then "unavailable" and the recall is
 * recorded on the risk case only (the county handles it by hand).
 */
const node = (n: Awaited<ReturnType<typeof lineage.trace>>['nodes'][number]): TraceNode => ({
  batchId: n.batchId,
  depth: n.depth,
  batchNo: n.batchNo,
  code: n.code,
  productName: n.productName,
  subjectId: n.subjectId,
  subjectName: n.subjectName,
  divisionCode: n.divisionCode,
  quantity: n.quantity,
  stock: n.stock,
  unit: n.unit,
});

/**
 * Traces the sampled batch both ways. The risk case belongs to the producer's county and the chain may cross
 * jurisdictions, so the trace runs nationally (a read, inside the write transaction that records it).
 */
export async function traceBatch(
  ctx: Ctx<Actor | null>,
  ref: { traceCode: string | null; batchId: string | null },
): Promise<TraceOutcome> {
  if (!ref.batchId) {
    return ref.traceCode
      ? {
          status: 'unavailable',
          backward: [],
          forward: [],
          noteZh: '追溯码不是本平台已激活的批次码，无法自动追溯，请人工核查来源和流向',
          noteEn: 'The trace code is not an active batch code of this platform: trace by hand',
        }
      : {
          status: 'unavailable',
          backward: [],
          forward: [],
          noteZh: '样品只有临时码，无法自动追溯，请人工核查来源和流向',
          noteEn: 'The sample has only a temporary code: trace source and destinations by hand',
        };
  }
  if (!ctx.actor) throw new Error('traceBatch needs an actor');
  const national: Ctx = { ...ctx, actor: { ...ctx.actor, orgKind: 'supervision', scope: '' } };
  const [back, fwd] = await Promise.all([
    lineage.trace(national, 'backward', ref.batchId, { pageSize: 200 }),
    lineage.trace(national, 'forward', ref.batchId, { pageSize: 200 }),
  ]);
  return {
    status: 'available',
    backward: back.nodes.map(node),
    forward: fwd.nodes.map(node),
    noteZh: `来源 ${back.total} 个批次，流向 ${fwd.total} 个批次`,
    noteEn: `${back.total} upstream and ${fwd.total} downstream batches`,
  };
}

/** Opens the recall in the chain module (batch and every descendant, notices to holders); null without a batch. */
export async function openRecall(
  ctx: Ctx,
  input: { batchId: string | null; reasonZh: string },
): Promise<string | null> {
  if (!input.batchId) return null;
  const r = await recall.openRecall(ctx, { batchId: input.batchId, reason: input.reasonZh, level: 1 });
  return (r as { id: string }).id;
}
