import type { Kysely } from 'kysely';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import type { JobDef } from '../../kernel/jobs.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import type { AnomalyKind, DB } from '../../schema.js';
import { readScopeOf } from '../catalog/owner.js';
import { countyRegulators, notify, orgsOfSubjects } from '../notifications/service.js';
import * as repo from './repo.js';
import { ANOMALY_LABELS, ANOMALY_STATUS_LABELS, type Anomaly, type AnomalyQuery, type ScanResult } from './schemas.js';

/**
 * Anomaly checks (异常预警, seed 001 art. 17 (1)(2)(4): false records, broken chains, mixed lots that make the
 * records disagree with the goods). Each finding has a stable key, is stored once, and is flagged to the producer
 * and to the county regulators of its division by in-platform notification.
 */
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
  const inserted = await repo.insertAnomalies(
    db,
    findings.map((f) => ({
      kind: f.kind,
      key: f.key,
      subject_id: f.subjectId,
      division_code: f.divisionCode,
      batch_id: f.batchId ?? null,
      sale_id: f.saleId ?? null,
      details: JSON.stringify(f.details),
    })),
  );
  const orgs = await orgsOfSubjects(db, [
    ...new Set(inserted.map((i) => i.subject_id).filter((x): x is string => !!x)),
  ]);
  const notes = [];
  for (const a of inserted) {
    const n = ANOMALY_LABELS[a.kind];
    const base = {
      kind: 'anomaly.flagged',
      titleZh: `异常预警：${n.zh}`,
      titleEn: `Anomaly: ${n.en}`,
      link: `/chain/anomalies?id=${a.id}`,
      divisionCode: a.division_code,
    };
    if (a.subject_id && orgs.get(a.subject_id)) notes.push({ ...base, orgId: orgs.get(a.subject_id) });
    for (const org of await countyRegulators(db, a.division_code)) notes.push({ ...base, orgId: org });
  }
  await notify(db, notes);
  return inserted.length;
}

/** The set-based scan over the whole chain (a recurring job, and on demand for regulators). */
export async function scanAnomalies(db: Kysely<DB>): Promise<ScanResult> {
  const findings: Finding[] = [];
  for (const r of (await repo.batchesOverInput(db)).rows)
    findings.push({
      kind: 'output_exceeds_input',
      key: `oei:${r.id}:${r.quantity}`,
      subjectId: r.subject_id,
      divisionCode: r.division_code,
      batchId: r.id,
      details: { quantity: Number(r.quantity), input: Number(r.inflow) },
    });
  for (const r of (await repo.batchesOversold(db)).rows)
    findings.push({
      kind: 'sales_exceed_harvest',
      key: `seh:${r.id}:${r.out}`,
      subjectId: r.subject_id,
      divisionCode: r.division_code,
      batchId: r.id,
      details: { quantity: Number(r.quantity), sold: Number(r.out) },
    });
  for (const r of (await repo.mismatchedReceipts(db)).rows)
    findings.push({
      kind: 'receipt_mismatch',
      key: `rm:${r.id}:${r.status}`,
      subjectId: r.seller_subject_id,
      divisionCode: r.division_code,
      batchId: r.batch_id,
      saleId: r.id,
      details: {
        sold: Number(r.quantity),
        received: r.received_quantity === null ? null : Number(r.received_quantity),
        unconfirmed: r.status === 'pending',
        buyerSubjectId: r.buyer_subject_id,
      },
    });
  for (const r of (await repo.vouchersAtTwoMarkets(db)).rows)
    findings.push({
      kind: 'code_reused',
      key: `cr:${r.code_kind}:${r.code_serial}`,
      subjectId: r.subject_id,
      divisionCode: r.division_code ?? '',
      batchId: r.batch_id,
      details: { codeKind: r.code_kind, serial: Number(r.code_serial), markets: r.markets },
    });
  return { found: findings.length, flagged: await flag(db, findings) };
}
export async function scanAnomaliesNow(ctx: Ctx): Promise<ScanResult> {
  const r = await scanAnomalies(ctx.db);
  await audit(ctx, { verb: 'anomaly.scan', targetType: 'anomaly', divisionCode: ctx.actor.scope, summary: r });
  return r;
}
/** The `chain.anomalies` job, hourly. */
export const anomaliesJob: JobDef = { run: async (job) => scanAnomalies(job.db), everyMs: 3600_000 };

/** Findings visible to the reader: a producer its own, a regulator those in its jurisdiction. */
export async function listAnomalies(ctx: Ctx, q: AnomalyQuery): Promise<Paged<Anomaly>> {
  const rs = await readScopeOf(ctx);
  const page = await repo.listAnomalies(ctx.db, rs, { kind: q.kind, status: q.status }, pageOf(q));
  return mapPage(page, (a) => ({
    id: a.id,
    kind: a.kind,
    kindName: ANOMALY_LABELS[a.kind].zh,
    kindNameEn: ANOMALY_LABELS[a.kind].en,
    subjectId: a.subject_id,
    subjectName: a.subject_name,
    divisionCode: a.division_code,
    batchId: a.batch_id,
    batchNo: a.batch_no,
    saleId: a.sale_id,
    details: a.details,
    status: a.status,
    statusName: ANOMALY_STATUS_LABELS[a.status].zh,
    statusNameEn: ANOMALY_STATUS_LABELS[a.status].en,
    detectedAt: a.detected_at.toISOString(),
  }));
}
