import type { Actor, Ctx } from '../../kernel/context.js';

/**
 * The seam to the traceability chain (issue 5: `traceBackward` / `traceForward` lineage and `openRecall`), which is
 * not built yet. A failed test result calls these two functions; today they say so honestly and the risk case
 * keeps everything the chain will need (trace code, batch id, producer's county, proposed recall). When issue 5
 * lands, replace the bodies below with calls into it; nothing else in this module has to change.
 */
export interface TraceOutcome {
  status: 'available' | 'unavailable';
  /** Upstream batches and sources (traceBackward), when available. */
  backward: unknown[];
  /** Downstream holders (traceForward), when available. */
  forward: unknown[];
  noteZh: string;
  noteEn: string;
}

export async function traceBatch(_ctx: Ctx<Actor | null>, ref: { traceCode: string | null; batchId: string | null }): Promise<TraceOutcome> {
  if (!ref.traceCode && !ref.batchId) {
    return { status: 'unavailable', backward: [], forward: [], noteZh: '样品只有临时码，无法自动追溯，请人工核查来源和流向', noteEn: 'The sample has only a temporary code: trace source and destinations by hand' };
  }
  return {
    status: 'unavailable',
    backward: [],
    forward: [],
    noteZh: '追溯链模块（traceBackward/traceForward）尚未上线，已记录追溯码，上线后自动补全来源与流向',
    noteEn: 'The chain module (traceBackward/traceForward) is not available yet; the trace code is recorded for it',
  };
}

/** Opens a recall in the chain module; returns its id, or null when the module does not exist yet. */
export async function openRecall(_ctx: Ctx, _input: { traceCode: string | null; batchId: string | null; reasonZh: string; riskCaseId: string }): Promise<string | null> {
  return null;
}
