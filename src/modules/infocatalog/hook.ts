import { createHash } from 'node:crypto';
import type { CollectionHook } from '../../kernel/collection.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { reviewOwnerOf } from '../../kernel/review.js';
import { shareRecord } from '../../kernel/sharing.js';
import { Problem } from '../../kernel/problems.js';
import { recordCollectionBad } from '../credit/service.js';
import { recordCollected } from '../review/service.js';
import * as repo from './repo.js';
import { checkRecord, completeness, resourceOfOperation } from './rules.js';
import { currentCatalogVersion } from './service.js';

/**
 * The collection hook (kernel/collection.ts): every write whose operation the catalogue in force names is checked
 * against it before the service runs, and afterwards, in the same transaction, the record is remembered with the
 * catalogue version, when the work happened and when it was uploaded (late beyond the resource's lateDays, seed 000
 * art. 11), its completeness, and — for reviewed resources — put on the review queue (art. 12).
 */
const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const DAY = 86_400_000;

/** A stable UUID for a key (credit records are keyed by a source UUID: one per organisation and month here). */
function uuidOf(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Late uploads by one organisation within 30 days that make a credit record (屡次迟报). */
export const LATE_REPEAT = 3;

function workAt(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

function labelOf(result: Record<string, unknown>, id: string): string {
  for (const k of ['batchNo', 'name', 'subjectName', 'productName', 'number', 'code'])
    if (typeof result[k] === 'string' && result[k]) return String(result[k]).slice(0, 100);
  return id.slice(0, 8);
}

async function before(ctx: Ctx<Actor | null>, operationId: string, body: unknown) {
  const cur = await currentCatalogVersion(ctx.db);
  if (!cur) return;
  const hit = resourceOfOperation(cur, operationId);
  if (!hit) return;
  const errors = checkRecord(hit.resource, asRecord(body), hit.mode);
  if (!errors.length) return;
  const e = errors[0];
  throw new Problem(
    'CATALOG_RULE_VIOLATED',
    { version: cur.version, field: e.field, reasonZh: e.zh, reasonEn: e.en },
    { resource: hit.resource.key, errors },
  );
}

async function after(
  ctx: Ctx<Actor | null>,
  operationId: string,
  body: unknown,
  result: unknown,
  params: Record<string, unknown>,
) {
  const cur = await currentCatalogVersion(ctx.db);
  if (!cur) return;
  const hit = resourceOfOperation(cur, operationId);
  if (!hit) return;
  const res = asRecord(result);
  const recordId = str(res.id) ?? str(params.id);
  if (!recordId) return;
  const { resource, mode } = hit;
  const record = asRecord(body);
  const division = str(res.divisionCode) ?? ctx.actor?.scope ?? '';
  const orgId = ctx.actor?.orgId ?? str(res.orgId);
  const done = completeness(resource, record);
  const existing = await repo.collectedOf(ctx.db, resource.key, recordId);
  let late = false;
  if (existing) {
    await repo.updateCollected(ctx.db, existing.id, { catalog_version: cur.version, updated_at: new Date() });
  } else {
    const at = resource.workAtField ? workAt(record[resource.workAtField]) : null;
    const now = Date.now();
    late = at !== null && now - at.getTime() > resource.lateDays * DAY;
    await repo.insertCollected(ctx.db, {
      resource: resource.key,
      record_id: recordId,
      catalog_version: cur.version,
      operation_id: operationId,
      org_id: orgId,
      collector_id: ctx.actor?.id ?? null,
      division_code: division,
      work_at: at,
      late_days: resource.lateDays,
      late,
      fields_total: done.total,
      fields_filled: done.filled,
    });
  }
  // A resource whose module owns its review (registrations, origin records: kernel/review.ts) submits its items itself
  // when its record enters review — the same path (review's recordCollected) at the owner's moment.
  if (resource.reviewed && !reviewOwnerOf(resource.key))
    await recordCollected(ctx, {
      resource: resource.key,
      resourceZh: resource.nameZh,
      resourceEn: resource.nameEn,
      recordId,
      label: labelOf(res, recordId),
      orgId,
      divisionCode: division,
      corrected: mode === 'update' || !!existing,
    });
  if (late && orgId) await lateCredit(ctx, orgId, ctx.actor?.id ?? null, division);
  // Upward sharing (信息归集, src/modules/sharing): the record as written, projected to the catalogue's shared fields.
  await shareRecord(ctx, resource.key, recordId, { ...res, ...record, id: recordId }, division);
}

/**
 * Repeated late uploads (seed 000 arts. 11, 19) make one credit record per organisation and month; for a service
 * agency also one for the collector who entered them, when that collector's own late uploads repeat.
 */
async function lateCredit(ctx: Ctx<Actor | null>, orgId: string, collectorId: string | null, division: string) {
  const since = new Date(Date.now() - 30 * DAY);
  const n = await repo.lateCountOf(ctx.db, { orgId }, since);
  if (n < LATE_REPEAT) return;
  const own = collectorId ? await repo.lateCountOf(ctx.db, { collectorId }, since) : 0;
  const month = new Date().toISOString().slice(0, 7);
  await recordCollectionBad(ctx, {
    orgId,
    collectorId: own >= LATE_REPEAT ? collectorId : null,
    divisionCode: division,
    sourceId: uuidOf(`late:${orgId}:${month}`),
    severity: 'minor',
    titleZh: `30 天内 ${n} 条信息未在规定时限内上传`,
    titleEn: `${n} records uploaded late within 30 days`,
  });
}

async function checkRows(ctx: Ctx<Actor | null>, resourceKey: string, rows: Record<string, unknown>[]) {
  const cur = await currentCatalogVersion(ctx.db);
  const resource = cur?.resources.find((r) => r.key === resourceKey);
  return rows.map((row) => (resource ? checkRecord(resource, row, 'create') : []));
}

export const collectionHook: CollectionHook = { before, after, checkRows };
