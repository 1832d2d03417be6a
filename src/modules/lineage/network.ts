import { audit } from '../../kernel/audit.js';
import { inScope } from '../../kernel/auth/scope.js';
import { type Ctx, inTransaction } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import { aliasOf } from './mask.js';
import * as repo from './network-repo.js';
import type { NetworkEdge, NetworkLineage, NetworkLineageQuery, NetworkNode } from './schemas.js';

/**
 * The chain across platforms (issue 15 item 3), read at an upper platform (national) from the trace events the lower
 * platforms shared up as GS1 EPCIS 2.0 events (docs/sharing.md "EPCIS"). A lot is its trace-code URL (`epcClass`),
 * held on the platform whose events name it; two lots are linked
 * - by a sale: the seller's shipping event and the buyer's receiving event carry the same `urn:suyuan:sale:{id}`
 *   (the buyer may be on another platform: the receipt is recorded there, with the seller's sale id);
 * - by a transformation (split, repack, merge): a TransformationEvent with inputs and outputs.
 * The walk goes upstream and downstream from the traced lot, a step per query, capped in depth and size. A regulator
 * sees lots inside its jurisdiction in full; outside it a lot keeps its platform, division, quantity and steps and
 * loses its code, product and owner (the key becomes an alias), like the lineage inside a platform (mask.ts).
 */

const MAX_STEPS = 30;
const MAX_LOTS = 2_000;

interface Lot {
  key: string;
  depth: number;
  platform: string;
  divisionCode: string;
  productName: string | null;
  subjectId: string | null;
  quantity: number | null;
  unit: string | null;
  steps: Map<string, { eventId: string; bizStep: string; eventTime: string; platform: string }>;
}

type Ev = repo.SharedEvent;
type QList = { epcClass?: string; quantity?: number; uom?: string; 'suyuan:unit'?: string }[];

const listOf = (e: Ev, k: string) => ((e.payload[k] as QList | undefined) ?? []).filter((q) => !!q.epcClass);
const classesOf = (e: Ev, k = 'quantityList') => listOf(e, k).map((q) => q.epcClass as string);
const salesOf = (e: Ev) =>
  ((e.payload.bizTransactionList as { type?: string; bizTransaction?: string }[] | undefined) ?? [])
    .filter((t) => t.type === 'suyuan:sale' && t.bizTransaction)
    .map((t) => t.bizTransaction as string);
const step = (e: Ev) => String(e.payload.bizStep ?? '').replace(/^.*[:/]/, '');
const partyOf = (e: Ev, k: 'sourceList' | 'destinationList', f: 'source' | 'destination') =>
  ((e.payload[k] as Record<string, string>[] | undefined) ?? [])
    .map((p) => p[f])
    .find((u) => u?.startsWith('urn:suyuan:subject:'))
    ?.slice('urn:suyuan:subject:'.length) ?? null;
export const codeOfClass = (c: string) =>
  c.includes('/t/') ? decodeURIComponent(c.slice(c.lastIndexOf('/t/') + 3)) : null;

/** Walks the shared events from a code: every lot up- and downstream with the platform holding it, and the links. */
export async function walkNetwork(ctx: Ctx, code: string) {
  const text = codeOfClass(code.trim()) ?? code.trim();
  const rootEvents = await repo.eventsOfCode(ctx.db, text);
  const root = rootEvents
    .flatMap((e) => [...classesOf(e), ...classesOf(e, 'inputQuantityList'), ...classesOf(e, 'outputQuantityList')])
    .find((c) => c.endsWith(`/t/${text}`));
  if (!root) throw problems.notFound('共享的追溯记录', 'shared trace record');
  const lots = new Map<string, Lot>();
  const edges = new Map<string, NetworkEdge>();
  const lotOf = (key: string, depth: number) => {
    let l = lots.get(key);
    if (!l) {
      l = {
        key,
        depth,
        platform: '',
        divisionCode: '',
        productName: null,
        subjectId: null,
        quantity: null,
        unit: null,
        steps: new Map(),
      };
      lots.set(key, l);
    }
    return l;
  };
  const note = (l: Lot, e: Ev) => {
    const id = String(e.payload.eventID ?? e.record_id);
    if (l.steps.has(id)) return;
    l.steps.set(id, {
      eventId: id,
      bizStep: step(e),
      eventTime: String(e.payload.eventTime ?? ''),
      platform: e.origin_platform,
    });
    const ilmd = (e.payload.ilmd ?? {}) as Record<string, unknown>;
    const own =
      step(e) === 'commissioning' ||
      step(e) === 'receiving' ||
      (e.payload.type === 'TransformationEvent' && classesOf(e, 'outputQuantityList').includes(l.key));
    if (own || !l.platform) {
      l.platform = e.origin_platform;
      l.divisionCode = e.division_code;
    }
    if (typeof ilmd['suyuan:productName'] === 'string') l.productName = ilmd['suyuan:productName'] as string;
    if (own) {
      l.subjectId = step(e) === 'receiving' ? partyOf(e, 'destinationList', 'destination') : l.subjectId;
      const q = [...listOf(e, 'quantityList'), ...listOf(e, 'outputQuantityList')].find((x) => x.epcClass === l.key);
      if (q?.quantity !== undefined && l.quantity === null) {
        l.quantity = Number(q.quantity);
        l.unit = q['suyuan:unit'] ?? q.uom ?? null;
      }
    }
  };
  const link = (
    from: string,
    to: string,
    kind: 'sale' | 'transformation',
    saleId: string | null,
    quantity: number | null,
  ) => {
    const k = `${from} ${to} ${saleId ?? ''}`;
    if (!edges.has(k)) edges.set(k, { from, to, kind, saleId, quantity, fromPlatform: '', toPlatform: '' });
  };
  for (const dir of [1, -1] as const) {
    let frontier = [root];
    lotOf(root, 0);
    for (let depth = 0; frontier.length && depth < MAX_STEPS && lots.size < MAX_LOTS; depth++) {
      const events = await repo.eventsOfLots(ctx.db, frontier);
      const inFrontier = new Set(frontier);
      const next = new Set<string>();
      const saleFrom = new Map<string, string>();
      for (const e of events) {
        for (const c of [...classesOf(e), ...classesOf(e, 'inputQuantityList'), ...classesOf(e, 'outputQuantityList')])
          if (inFrontier.has(c)) note(lotOf(c, depth * dir), e);
        const s = step(e);
        const here = classesOf(e).find((c) => inFrontier.has(c));
        // A sale: downstream from the seller's shipping, upstream from the buyer's receiving.
        if (here && ((dir === 1 && s === 'shipping') || (dir === -1 && s === 'receiving')))
          for (const sale of salesOf(e)) saleFrom.set(sale, here);
        if (e.payload.type === 'TransformationEvent') {
          const ins = classesOf(e, 'inputQuantityList');
          const outs = classesOf(e, 'outputQuantityList');
          const [from, to] = dir === 1 ? [ins, outs] : [outs, ins];
          for (const a of from.filter((c) => inFrontier.has(c)))
            for (const b of to) {
              if (!lots.has(b)) next.add(b);
              lotOf(b, (depth + 1) * dir);
              const q = listOf(e, 'outputQuantityList').find((x) => x.epcClass === (dir === 1 ? b : a));
              link(dir === 1 ? a : b, dir === 1 ? b : a, 'transformation', null, q?.quantity ?? null);
            }
        }
      }
      if (saleFrom.size) {
        const want = dir === 1 ? 'receiving' : 'shipping';
        for (const e of await repo.eventsOfSales(ctx.db, [...saleFrom.keys()])) {
          if (step(e) !== want) continue;
          const other = classesOf(e)[0];
          if (!other) continue;
          for (const sale of salesOf(e)) {
            const here = saleFrom.get(sale);
            if (!here) continue;
            if (!lots.has(other)) next.add(other);
            note(lotOf(other, (depth + 1) * dir), e);
            const qty = dir === 1 ? (listOf(e, 'quantityList')[0]?.quantity ?? null) : null;
            link(
              dir === 1 ? here : other,
              dir === 1 ? other : here,
              'sale',
              sale.slice(sale.lastIndexOf(':') + 1),
              qty,
            );
          }
        }
      }
      frontier = [...next];
    }
  }
  // Lots only seen through another platform's event (a receipt naming them) get their platform from their events.
  for (const e of await repo.eventsOfLots(
    ctx.db,
    [...lots.values()].filter((l) => !l.platform).map((l) => l.key),
  ))
    for (const c of classesOf(e)) {
      const l = lots.get(c);
      if (l) note(l, e);
    }
  for (const edge of edges.values()) {
    edge.fromPlatform = lots.get(edge.from)?.platform ?? '';
    edge.toPlatform = lots.get(edge.to)?.platform ?? '';
  }
  return { root, lots: [...lots.values()], edges: [...edges.values()] };
}

/** networkLineage: the chain of a code across every platform that shared its steps up; audited as a query record. */
export async function networkLineage(ctx: Ctx, q: NetworkLineageQuery): Promise<NetworkLineage> {
  const w = await walkNetwork(ctx, q.code);
  const rootLot = w.lots.find((l) => l.key === w.root);
  if (!rootLot || !inScope(ctx.actor.scope, rootLot.divisionCode)) throw problems.outOfJurisdiction('批次', 'batch');
  const seen = (l: Lot) => inScope(ctx.actor.scope, l.divisionCode);
  const keyOf = (k: string) => {
    const l = w.lots.find((x) => x.key === k);
    return l && !seen(l) ? aliasOf(ctx.actor.id, k) : k;
  };
  const nodes: NetworkNode[] = w.lots
    .sort((a, b) => a.depth - b.depth || a.key.localeCompare(b.key))
    .map((l) => {
      const open = seen(l);
      return {
        key: keyOf(l.key),
        code: open ? codeOfClass(l.key) : null,
        depth: l.depth,
        platform: l.platform,
        divisionCode: l.divisionCode,
        productName: open ? l.productName : null,
        subjectId: open ? l.subjectId : null,
        quantity: l.quantity,
        unit: l.unit,
        masked: !open,
        steps: [...l.steps.values()].sort((a, b) => a.eventTime.localeCompare(b.eventTime)),
      };
    });
  await inTransaction(ctx, (tx) =>
    audit(tx, {
      verb: 'lineage.graph',
      targetType: 'network_lineage',
      targetId: codeOfClass(w.root),
      divisionCode: rootLot.divisionCode,
      summary: {
        action: 'viewNetwork',
        code: codeOfClass(w.root),
        lots: nodes.length,
        masked: nodes.filter((n) => n.masked).length,
      },
    }),
  );
  return {
    root: w.root,
    nodes,
    edges: w.edges.map((e) => ({ ...e, from: keyOf(e.from), to: keyOf(e.to) })),
    platforms: [...new Set(nodes.map((n) => n.platform).filter(Boolean))].sort(),
  };
}
