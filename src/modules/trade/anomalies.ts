import { type Kysely, sql } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { registerJob } from '../../kernel/jobs.js';
import type { AnomalyKind, DB } from '../../schema.js';
import type { ReadScope } from '../catalog/owner.js';
import { countyRegulators, notify, orgsOfSubjects } from '../notifications/service.js';

/**
 * Anomaly checks (异常预警, seed 001 art. 17 (1)(2)(4): false records, broken chains, mixed lots that make the
 * records disagree with the goods). Each finding has a stable key, is stored once, and is flagged to the producer
 * and to the county regulators of its division by in-platform notification.
 */
export const ANOMALY_NAMES: Record<AnomalyKind, { zh: string; en: string }> = {
  output_exceeds_input: { zh: '产出超过投入', en: 'Output exceeds input' },
  sales_exceed_harvest: { zh: '销售量超过收获量', en: 'Sales exceed the harvest' },
  code_reused: { zh: '同一码多地使用', en: 'One code used in two places' },
  receipt_mismatch: { zh: '收货与销售不符', en: "Receipts do not match the seller's sales" },
};

export interface Finding {
  kind: AnomalyKind;
  key: string;
  subjectId: string | null;
  divisionCode: string;
  batchId?: string | null;
  saleId?: string | null;
  details: Record<string, unknown>;
}

/** Stores new findings (ignoring ones already flagged) and notifies producer and county. Returns how many were new. */
export async function flag(db: Kysely<DB>, findings: Finding[]): Promise<number> {
  if (!findings.length) return 0;
  const inserted = await db
    .insertInto('anomaly')
    .values(findings.map((f) => ({ kind: f.kind, key: f.key, subject_id: f.subjectId, division_code: f.divisionCode, batch_id: f.batchId ?? null, sale_id: f.saleId ?? null, details: JSON.stringify(f.details) })))
    .onConflict((oc) => oc.column('key').doNothing())
    .returning(['id', 'kind', 'subject_id', 'division_code'])
    .execute();
  const orgs = await orgsOfSubjects(db, [...new Set(inserted.map((i) => i.subject_id).filter((x): x is string => !!x))]);
  const notes = [];
  for (const a of inserted) {
    const n = ANOMALY_NAMES[a.kind];
    const base = { kind: 'anomaly.flagged', titleZh: `异常预警：${n.zh}`, titleEn: `Anomaly: ${n.en}`, link: `/chain/anomalies?id=${a.id}`, divisionCode: a.division_code };
    if (a.subject_id && orgs.get(a.subject_id)) notes.push({ ...base, orgId: orgs.get(a.subject_id) });
    for (const org of await countyRegulators(db, a.division_code)) notes.push({ ...base, orgId: org });
  }
  await notify(db, notes);
  return inserted.length;
}

/** The set-based scan over the whole chain (a recurring job, and on demand for regulators). */
export async function scanAnomalies(db: Kysely<DB>): Promise<{ found: number; flagged: number }> {
  const findings: Finding[] = [];
  // 1. A derived batch (received, split, merged) declares more than came into it.
  const over = await sql<{ id: string; subject_id: string; division_code: string; quantity: string; inflow: string }>`
    SELECT b.id, b.subject_id, b.division_code, b.quantity, sum(e.quantity) AS inflow
    FROM batch b JOIN trace_edge e ON e.to_batch = b.id
    GROUP BY b.id HAVING b.quantity > sum(e.quantity) + 0.0005`.execute(db);
  for (const r of over.rows)
    findings.push({ kind: 'output_exceeds_input', key: `oei:${r.id}:${r.quantity}`, subjectId: r.subject_id, divisionCode: r.division_code, batchId: r.id, details: { quantity: Number(r.quantity), input: Number(r.inflow) } });
  // 2. A batch sold (sales not refused + transformations out) beyond what it ever held.
  const oversold = await sql<{ id: string; subject_id: string; division_code: string; quantity: string; out: string }>`
    WITH out AS (
      SELECT batch_id, sum(quantity) AS q FROM sale WHERE status <> 'refused' GROUP BY batch_id
      UNION ALL
      SELECT e.from_batch, sum(e.quantity) FROM trace_edge e JOIN trace_event t ON t.id = e.event_id
      WHERE t.biz_step IN ('transforming', 'repacking') GROUP BY e.from_batch)
    SELECT b.id, b.subject_id, b.division_code, b.quantity, sum(out.q) AS out
    FROM out JOIN batch b ON b.id = out.batch_id
    GROUP BY b.id HAVING sum(out.q) > b.quantity + 0.0005`.execute(db);
  for (const r of oversold.rows)
    findings.push({ kind: 'sales_exceed_harvest', key: `seh:${r.id}:${r.out}`, subjectId: r.subject_id, divisionCode: r.division_code, batchId: r.id, details: { quantity: Number(r.quantity), sold: Number(r.out) } });
  // 3. Receipts that do not match the sale (short or over receipt), and sales never confirmed for 7 days.
  const mismatch = await sql<{ id: string; seller_subject_id: string; buyer_subject_id: string | null; division_code: string; batch_id: string; quantity: string; received_quantity: string | null; status: string }>`
    SELECT id, seller_subject_id, buyer_subject_id, division_code, batch_id, quantity, received_quantity, status FROM sale
    WHERE (status = 'accepted' AND received_quantity <> quantity)
       OR (status = 'pending' AND sold_at < now() - interval '7 days')`.execute(db);
  for (const r of mismatch.rows)
    findings.push({
      kind: 'receipt_mismatch', key: `rm:${r.id}:${r.status}`, subjectId: r.seller_subject_id, divisionCode: r.division_code, batchId: r.batch_id, saleId: r.id,
      details: { sold: Number(r.quantity), received: r.received_quantity === null ? null : Number(r.received_quantity), unconfirmed: r.status === 'pending', buyerSubjectId: r.buyer_subject_id },
    });
  // 4. One market-entry voucher verified at two different markets.
  const reused = await sql<{ code_kind: number; code_serial: string; batch_id: string | null; subject_id: string | null; division_code: string | null; markets: number }>`
    SELECT v.code_kind, v.code_serial, min(v.batch_id::text)::uuid AS batch_id, min(b.subject_id::text)::uuid AS subject_id, min(b.division_code) AS division_code,
           count(DISTINCT v.market_subject_id)::int AS markets
    FROM voucher_check v LEFT JOIN batch b ON b.id = v.batch_id
    WHERE v.verified AND v.market_subject_id IS NOT NULL AND v.code_kind = 3 AND v.code_serial IS NOT NULL
    GROUP BY v.code_kind, v.code_serial HAVING count(DISTINCT v.market_subject_id) > 1`.execute(db);
  for (const r of reused.rows)
    findings.push({ kind: 'code_reused', key: `cr:${r.code_kind}:${r.code_serial}`, subjectId: r.subject_id, divisionCode: r.division_code ?? '', batchId: r.batch_id, details: { codeKind: r.code_kind, serial: Number(r.code_serial), markets: r.markets } });
  return { found: findings.length, flagged: await flag(db, findings) };
}
export async function scanAnomaliesNow(ctx: Ctx) {
  const r = await scanAnomalies(ctx.db);
  await audit(ctx, { verb: 'anomaly.scan', targetType: 'anomaly', divisionCode: ctx.actor.scope, summary: r });
  return r;
}
registerJob('chain.anomalies', async (job) => scanAnomalies(job.db), { everyMs: 3600_000 });

export async function listAnomalies(ctx: Ctx, rs: ReadScope, q: { kind?: AnomalyKind; status?: 'open' | 'resolved'; page?: number; pageSize?: number }) {
  const pageSize = q.pageSize ?? 20;
  const page = q.page ?? 1;
  let query = ctx.db.selectFrom('anomaly as a').leftJoin('subject as s', 's.id', 'a.subject_id').leftJoin('batch as b', 'b.id', 'a.batch_id');
  query = 'subjectId' in rs ? query.where('a.subject_id', '=', rs.subjectId) : query.where((eb) => scopeFilter(eb, 'a.division_code', rs.scope));
  if (q.kind) query = query.where('a.kind', '=', q.kind);
  if (q.status) query = query.where('a.status', '=', q.status);
  const rows = await query.selectAll('a').select(['s.name as subject_name', 'b.batch_no']).orderBy('a.detected_at', 'desc').orderBy('a.id').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    items: rows.map((a) => ({
      id: a.id, kind: a.kind, kindName: ANOMALY_NAMES[a.kind].zh, kindNameEn: ANOMALY_NAMES[a.kind].en, subjectId: a.subject_id, subjectName: a.subject_name,
      divisionCode: a.division_code, batchId: a.batch_id, batchNo: a.batch_no, saleId: a.sale_id, details: a.details, status: a.status, detectedAt: a.detected_at.toISOString(),
    })),
    total: Number(total.n), page, pageSize,
  };
}
