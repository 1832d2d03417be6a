import { createHmac, randomBytes } from 'node:crypto';
import { type ReadScope, canSee } from '../../kernel/auth/scope.js';

/**
 * Lineage within jurisdiction (seed 003 一.(四).5: 监管部门根据权限可以查询本辖区追溯信息) — the one place that decides
 * which lineage nodes a caller sees in full. The export goes through a `Sight`; forward, backward and the whole graph
 * apply the same test inside their one statement (repo.ts `SqlSight`, issue 19) and take their aliases from here:
 * - a regulator sees nodes inside its jurisdiction in full (`canSee` of kernel/auth/scope.ts); nodes outside it stay in
 *   the chain, since a recall must reach every holder, but masked: kind, division, quantities, dates, status — no
 *   subject, product, batch number, trace code, contact or internal id. A national regulator ('' scope) sees all;
 * - a producer (or an agency acting for one) is already limited to one step up and down from its own batches
 *   (`PRODUCER_DEPTH`), and within that reach sees its trading partners as before (seed 003: 向上一级和向下一级节点).
 *
 * A masked node's batch id is replaced by an alias (an HMAC of the caller and the batch under a per-process key), so
 * edges still join up and pages of one trace agree, while the alias leads nowhere: no lookup takes it.
 */
export const OUTSIDE = { zh: '辖区外主体', en: 'Outside your jurisdiction' } as const;

const KEY = randomBytes(32);

export interface Owned {
  subject_id: string;
  division_code: string;
}

export interface Sight {
  /** May the caller see this batch's owner and details? */
  visible(row: Owned): boolean;
  /** The id the caller is given for a batch: itself when visible, otherwise an alias. */
  idOf(batchId: string, row: Owned): string;
}

/** The alias of a batch for one caller: UUID-shaped (version 8, RFC 9562), stable for that caller, unlinkable. */
export function aliasOf(callerId: string, batchId: string): string {
  const h = createHmac('sha256', KEY).update(`${callerId}:${batchId}`).digest('hex');
  const variant = ((Number.parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The sight of a caller. `producer`: the caller reads as a producer (its reach is already cut to one step, inside
 * which it sees everything it saw before); otherwise `canSee(rs, row)`: the node's division inside the jurisdiction.
 */
export function sightOf(rs: ReadScope, callerId: string, producer: boolean): Sight {
  const visible = (row: Owned) => producer || canSee(rs, row);
  return {
    visible,
    idOf: (batchId, row) => (visible(row) ? batchId : aliasOf(callerId, batchId)),
  };
}
