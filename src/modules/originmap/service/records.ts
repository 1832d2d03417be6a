import type { Kysely } from 'kysely';
import { assertInScope, countyOf, inScope } from '../../../kernel/auth/scope.js';
import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import { pageOf } from '../../../kernel/paging.js';
import { Problem, problems } from '../../../kernel/problems.js';
import { type ReviewOwner, reviewDecided, reviewSubmitted } from '../../../kernel/review.js';
import type { DB } from '../../../schema.js';
import * as credit from '../../credit/service.js';
import * as regions from '../../regions/service.js';
import { plausibility } from '../geo.js';
import * as repo from '../repo.js';
import { Rules } from '../rules.js';
import {
  CREDIT_RATINGS,
  type CreateRecordBody,
  type ListQuery,
  type OriginRecord,
  type OriginStatus,
  PRODUCT_LABELS,
  RECORD_STATUSES,
  type RecordInput,
  type ReviewBody,
  type SeasonBody,
  type Seasons,
  type VisitBody,
  SUBJECT_TYPE_LABELS,
  UNIT_LABELS,
  type UpdateRecordBody,
} from '../schemas.js';
import { type RecordAction, VERB_OF, recordFlow, whoIs } from '../states.js';
import { type FieldError, type Rule, checkRecord, minScaleOf, recordKeyOf } from '../validate.js';
import { chinaDate, deadlineFrom } from '../../../kernel/calendar.js';
import { collectAccess, collectCtx } from './collectors.js';
import { noticeRecords } from './notices.js';
import { RETURN_REPEAT } from '../../review/states.js';

/** Origin records (产地溯源信息): collection by form, map point or phone, and the county's review. */
const RECORD = ['产地溯源记录', 'Origin record'] as const;

/**
 * Review and correction deadlines (seed 004 六(三): 采集期间要及时审核 … 限期内未修改完成的，纳入绩效考核范围), in
 * Chinese working days (kernel/calendar.ts): a submitted record is reviewed within REVIEW_DAYS, a returned one
 * corrected and resubmitted within CORRECTION_DAYS; a resubmission after the deadline is `corrected_late`.
 */
export const REVIEW_DAYS = 5;
export const CORRECTION_DAYS = 5;

/** The deadline columns when a record goes from `before` to `to`. */
export function deadlineStamps(
  before: Pick<repo.RecordRow, 'status' | 'correction_due'> | undefined,
  to: OriginStatus,
  now = new Date(),
) {
  if (to === 'submitted' && before?.status !== 'submitted') {
    const late = before?.status === 'returned' && !!before.correction_due && chinaDate(now) > before.correction_due;
    return {
      submitted_at: now,
      review_due: deadlineFrom(now, REVIEW_DAYS),
      correction_due: null,
      ...(late ? { corrected_late: true } : {}),
    };
  }
  if (to === 'returned') return { review_due: null, correction_due: deadlineFrom(now, CORRECTION_DAYS) };
  if (to === 'approved') return { review_due: null };
  return {};
}

/**
 * The scale of the operator's other plots of the product in the county when this record alone is below the
 * threshold (seed 004 五(四): plots that reach it only together are collected one record per plot); 0 otherwise.
 */
async function groupOthers(db: Kysely<DB>, r: RecordInput, rule: Rule | undefined, key: string) {
  if (!rule || !(r.scale < minScaleOf(rule, r.productionMethod))) return 0;
  const credit = r.creditCode?.trim() ? r.creditCode.trim().toUpperCase() : null;
  return repo.groupScaleOf(db, {
    countyCode: countyOf(r.divisionCode) ?? r.divisionCode,
    productCode: r.productCode,
    creditCode: credit,
    subjectName: r.subjectName.trim(),
    except: [key],
  });
}

const unitOf = (u: string) => UNIT_LABELS[u as keyof typeof UNIT_LABELS] ?? { zh: u, en: u };

/** Credit grades from the credit archive (信用档案) of the linked producers: subject id → grade. */
export async function archiveGrades(ctx: Ctx, rows: { subject_id: string | null }[]) {
  const ids = [...new Set(rows.map((r) => r.subject_id).filter((x): x is string => !!x))];
  if (!ids.length) return new Map<string, string>();
  const ratings = await credit.ratingsOf(ctx, ids);
  return new Map([...ratings].map(([id, r]) => [id, r.grade]));
}
const isRating = (g: string | undefined): g is OriginRecord['creditRating'] =>
  !!g && (CREDIT_RATINGS as readonly string[]).includes(g);

/** Records as answers, their credit rating taken from the credit archive when linked to a producer. */
export async function recordDtos(ctx: Ctx, rows: repo.RecordRowWithNames[]) {
  const grades = await archiveGrades(ctx, rows);
  return rows.map((r) => recordDto(ctx, r, grades));
}

/** Did the caller enter the record (the review queue's rule: the account that created it)? */
const isOwnEntry = (ctx: Ctx, r: Pick<repo.RecordRow, 'created_by'>) => !!r.created_by && r.created_by === ctx.actor.id;

export function recordDto(ctx: Ctx, r: repo.RecordRowWithNames, grades?: Map<string, string>): OriginRecord {
  const status = recordFlow.stateLabel(r.status);
  const archived = r.subject_id ? grades?.get(r.subject_id) : undefined;
  const unit = unitOf(r.unit);
  return {
    id: r.id,
    recordKey: r.record_key,
    divisionCode: r.division_code,
    divisionName: r.division_name ?? '',
    subjectName: r.subject_name,
    subjectType: r.subject_type,
    subjectTypeName: SUBJECT_TYPE_LABELS[r.subject_type]?.zh ?? '',
    subjectTypeNameEn: SUBJECT_TYPE_LABELS[r.subject_type]?.en ?? '',
    creditCode: r.credit_code,
    subjectId: r.subject_id,
    productCode: r.product_code,
    productName: PRODUCT_LABELS[r.product_code].zh,
    productNameEn: PRODUCT_LABELS[r.product_code].en,
    unit: r.unit as OriginRecord['unit'],
    unitName: unit.zh,
    unitNameEn: unit.en,
    alias: r.alias,
    certification: r.certification,
    baseAddress: r.base_address,
    longitude: r.longitude,
    latitude: r.latitude,
    geoCheck: r.geo_check,
    geoSource: r.geo_source,
    gpsAccuracyM: r.gps_accuracy_m,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    scale: Number(r.scale),
    marketStart: r.market_start,
    marketEnd: r.market_end,
    productionMethod: r.production_method,
    traceMethods: r.trace_methods,
    creditRating: isRating(archived) ? archived : r.credit_rating,
    creditRatingSource: isRating(archived) ? 'archive' : 'collected',
    gridWorkerName: r.grid_worker_name,
    gridWorkerPhone: r.grid_worker_phone,
    collectorName: r.collector_name,
    collectorPhone: r.collector_phone,
    status: r.status,
    statusName: status.zh,
    statusNameEn: status.en,
    reviewComment: r.review_comment,
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    approvedAt: r.approved_at?.toISOString() ?? null,
    collectedAt: r.collected_at.toISOString(),
    enteredBy: r.entered_by_org ? { orgId: r.entered_by_org, name: r.entered_by_name ?? '' } : null,
    updatedAt: r.updated_at.toISOString(),
    certifications: r.certifications,
    seasonNo: r.season_no,
    plantedOn: r.planted_on,
    harvestOn: r.harvest_on,
    nextDue: r.next_due,
    overdue: r.overdue,
    confirmedAt: r.confirmed_at?.toISOString() ?? null,
    sitePending: r.site_pending,
    visitedAt: r.visited_at?.toISOString() ?? null,
    submittedAt: r.submitted_at?.toISOString() ?? null,
    reviewDue: r.review_due,
    correctionDue: r.correction_due,
    correctedLate: r.corrected_late,
    groupScale: Number(r.group_scale ?? r.scale),
    groupPlots: r.group_plots ?? 1,
    ownEntry: isOwnEntry(ctx, r),
    // Nobody reviews their own entry (信息审核, seed 000 art. 12): no approve / return on one's own record.
    allowedActions: recordFlow
      .allowedActions(r.status, whoIs(ctx.actor, r.division_code))
      .filter((a) => !isOwnEntry(ctx, r) || (a !== 'approve' && a !== 'return')),
  };
}

/** The record's fields as input (for re-validation of a stored record). */
function inputOf(r: repo.RecordRow): RecordInput {
  return {
    recordKey: r.record_key,
    divisionCode: r.division_code,
    subjectName: r.subject_name,
    subjectType: r.subject_type,
    creditCode: r.credit_code,
    productCode: r.product_code,
    alias: r.alias,
    certification: r.certification,
    baseAddress: r.base_address,
    longitude: r.longitude,
    latitude: r.latitude,
    contactName: r.contact_name,
    contactPhone: r.contact_phone,
    scale: Number(r.scale),
    marketStart: r.market_start,
    marketEnd: r.market_end,
    productionMethod: r.production_method,
    traceMethods: r.trace_methods,
    creditRating: r.credit_rating,
    gridWorkerName: r.grid_worker_name,
    gridWorkerPhone: r.grid_worker_phone,
    collectorName: r.collector_name,
    collectorPhone: r.collector_phone,
    geoSource: r.geo_source,
    gpsAccuracyM: r.gps_accuracy_m,
    plantedOn: r.planted_on,
    harvestOn: r.harvest_on,
    certifications: r.certifications,
  };
}

// ── producer link ────────────────────────────────────────────────────────────
/**
 * Links records to registered producers (生产经营主体): by credit code (subject.cert_type = 'credit_code' AND cert_no =
 * credit code), else by exact name within the record's county when exactly one subject matches. Rejected, revoked
 * and cancelled subjects never match.
 */
export async function matchSubjects(
  db: Kysely<DB>,
  rows: { creditCode: string | null; subjectName: string; countyCode: string }[],
): Promise<(string | null)[]> {
  if (!rows.length) return [];
  const credit = [...new Set(rows.map((r) => r.creditCode).filter((c): c is string => !!c))];
  const names = [...new Set(rows.filter((r) => !r.creditCode).map((r) => r.subjectName))];
  const found = await repo.liveSubjects(db, credit, names);
  return rows.map((r) => {
    if (r.creditCode) return found.find((s) => s.cert_type === 'credit_code' && s.cert_no === r.creditCode)?.id ?? null;
    const m = found.filter((s) => s.name === r.subjectName && inScope(r.countyCode, s.division_code));
    return m.length === 1 ? m[0].id : null;
  });
}

// ── records ──────────────────────────────────────────────────────────────────
export function throwErrors(errs: FieldError[]): never {
  const [first] = errs;
  throw new Problem(
    'VALIDATION_FAILED',
    { field: first.field, reasonZh: first.zh, reasonEn: first.en },
    { errors: errs },
  );
}

/** Normalises input (trim, upper-case credit code) and turns it into table columns. */
export function toColumns(r: RecordInput) {
  const t = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === '' ? null : s.trim());
  const lng = r.longitude ?? null;
  const lat = r.latitude ?? null;
  const point = lng !== null && lat !== null ? ([lng, lat] as [number, number]) : null;
  const pl = point ? plausibility(r.divisionCode, point).result : null;
  // Several certification types (产品认证类型); `certification` keeps the first for older readers.
  const certs = [
    ...new Set((r.certifications ?? (r.certification ? [r.certification] : [])).filter((c) => c !== 'none')),
  ];
  return {
    record_key: recordKeyOf(r),
    division_code: r.divisionCode,
    county_code: countyOf(r.divisionCode) ?? r.divisionCode,
    subject_name: r.subjectName.trim(),
    subject_type: r.subjectType,
    credit_code: t(r.creditCode)?.toUpperCase() ?? null,
    product_code: r.productCode,
    alias: t(r.alias),
    certification: certs[0] ?? 'none',
    certifications: certs,
    planted_on: t(r.plantedOn),
    harvest_on: t(r.harvestOn),
    base_address: r.baseAddress.trim(),
    longitude: point ? Math.round(point[0] * 1e6) / 1e6 : null,
    latitude: point ? Math.round(point[1] * 1e6) / 1e6 : null,
    geo_check: pl,
    geo_source: r.geoSource ?? 'form',
    gps_accuracy_m: r.gpsAccuracyM ?? null,
    contact_name: r.contactName.trim(),
    contact_phone: r.contactPhone.trim(),
    scale: String(r.scale),
    market_start: t(r.marketStart),
    market_end: t(r.marketEnd),
    production_method: r.productionMethod,
    trace_methods: [...new Set(r.traceMethods ?? [])],
    credit_rating: r.creditRating ?? 'none',
    grid_worker_name: t(r.gridWorkerName),
    grid_worker_phone: t(r.gridWorkerPhone),
    collector_name: t(r.collectorName),
    collector_phone: t(r.collectorPhone),
  };
}
export type RecordColumns = ReturnType<typeof toColumns>;

async function assertDivision(ctx: Ctx, code: string) {
  assertInScope(ctx.actor.scope, code, '行政区划', 'division');
  await regions.assertExists(ctx, code, 'divisionCode');
}

export async function getRecord(ctx: Ctx, id: string) {
  const r = await repo.recordById(ctx.db, id);
  if (!r) throw problems.notFound(...RECORD);
  assertInScope(ctx.actor.scope, r.division_code, ...RECORD);
  return r;
}

export async function readRecord(ctx: Ctx, id: string) {
  return (await recordDtos(ctx, [await getRecord(ctx, id)]))[0];
}

/** The transition `action` from the record's state, for the caller (403 naming the verb it lacks). */
function transition(ctx: Ctx, r: repo.RecordRow, action: RecordAction) {
  return recordFlow.transition(r.status, action, whoIs(ctx.actor, r.division_code), () => {
    const t = recordFlow.transitions.find((x) => x.from === r.status && x.action === action);
    return new Problem('FORBIDDEN_VERB', { verb: VERB_OF[t?.who ?? 'collector'] });
  });
}

async function reload(ctx: Ctx, id: string) {
  return (await recordDtos(ctx, [await getRecord(ctx, id)]))[0];
}

/** The origin record on the one review queue (信息审核, seed 000 art. 12; kernel/review.ts). */
export const ORIGIN_RESOURCE = 'origin_record';

/**
 * After a collector's write: a record that is now awaiting review is (or stays) a pending item on the review queue —
 * submitted, resubmitted after a return, or sent back to review by a change after approval.
 */
async function written(ctx: Ctx, id: string) {
  const r = await getRecord(ctx, id);
  await queueForReview(ctx, [r]);
  return (await recordDtos(ctx, [r]))[0];
}

/**
 * The records among `rows` awaiting review are (or stay) pending items on the review queue — a collector's write, or
 * a spreadsheet import's batch — with the record's review deadline as the item's clock.
 */
export async function queueForReview(
  ctx: Ctx,
  rows: Pick<
    repo.RecordRow,
    'id' | 'status' | 'subject_name' | 'entered_by_org' | 'created_by' | 'division_code' | 'review_due'
  >[],
) {
  await reviewSubmitted(
    ctx,
    rows
      .filter((r) => r.status === 'submitted')
      .map((r) => ({
        resource: ORIGIN_RESOURCE,
        resourceZh: RECORD[0],
        resourceEn: RECORD[1],
        recordId: r.id,
        label: r.subject_name.slice(0, 100),
        orgId: r.entered_by_org ?? ctx.actor.orgId,
        collectorId: r.created_by ?? ctx.actor.id,
        divisionCode: r.division_code,
        dueDate: r.review_due,
      })),
  );
}

export async function createRecord(caller: Ctx, input: CreateRecordBody) {
  const a = await collectAccess(caller, input.divisionCode);
  const ctx = collectCtx(caller, a);
  assertInScope(a.scope, input.divisionCode, '行政区划', 'division');
  // A producer (or its agency) collects its own records: the subject is the producer, whatever the form says.
  if (a.subject) input = { ...input, subjectName: a.subject.name, creditCode: a.subject.creditCode };
  const rules = await Rules.load(ctx.db);
  const rule = rules.at(input.productCode, input.divisionCode);
  const others = await groupOthers(ctx.db, input, rule, recordKeyOf(input));
  const errs = checkRecord(input, rule, !!input.submit, { groupOthers: others });
  if (errs.length) throwErrors(errs);
  await assertDivision(ctx, input.divisionCode);
  const cols = toColumns(input);
  if (await repo.recordByKey(ctx.db, cols.record_key))
    throw problems.duplicate(
      '同一主体、品种、基地的记录',
      'A record for this subject, product and base',
      cols.record_key,
      'baseAddress',
    );
  const [subjectId] = await matchSubjects(ctx.db, [
    { creditCode: cols.credit_code, subjectName: cols.subject_name, countyCode: cols.county_code },
  ]);
  const [id] = await repo.insertRecords(ctx.db, [
    {
      ...cols,
      subject_id: a.subject?.id ?? subjectId,
      entered_by_org: a.enteredBy?.orgId ?? null,
      entered_by_name: a.enteredBy?.name ?? null,
      status: input.submit ? 'submitted' : 'draft',
      ...deadlineStamps(undefined, input.submit ? 'submitted' : 'draft'),
      created_by: ctx.actor.id,
      updated_by: ctx.actor.id,
    },
  ]);
  await audit(ctx, {
    verb: 'origin.collect',
    targetType: 'origin_record',
    targetId: id,
    divisionCode: cols.division_code,
    summary: { action: 'create', ...input },
  });
  return written(ctx, id);
}

/** A record the caller may collect (its own for a producer, its county's for an authorised agency), and its context. */
async function forCollect(caller: Ctx, id: string) {
  const r = await repo.recordById(caller.db, id);
  if (!r) throw problems.notFound(...RECORD);
  const a = await collectAccess(caller, r.division_code);
  if (a.subject && r.subject_id !== a.subject.id) throw problems.notFound(...RECORD);
  assertInScope(a.scope, r.division_code, ...RECORD);
  return { before: r, ctx: collectCtx(caller, a), a };
}

export async function updateRecord(caller: Ctx, id: string, patch: UpdateRecordBody) {
  const { before, ctx, a } = await forCollect(caller, id);
  if (a.subject) patch = { ...patch, subjectName: a.subject.name, creditCode: a.subject.creditCode };
  const t = transition(ctx, before, 'update');
  const merged: RecordInput = { ...inputOf(before), ...patch, recordKey: before.record_key };
  if (patch.divisionCode !== undefined) await assertDivision(ctx, patch.divisionCode);
  const rules = await Rules.load(ctx.db);
  const submit = !!patch.submit || t.to === 'submitted';
  const rule = rules.at(merged.productCode, merged.divisionCode);
  const others = await groupOthers(ctx.db, merged, rule, before.record_key);
  const errs = checkRecord(merged, rule, submit, { groupOthers: others });
  if (errs.length) throwErrors(errs);
  const { record_key: _key, ...cols } = toColumns(merged);
  const [subjectId] = await matchSubjects(ctx.db, [
    { creditCode: cols.credit_code, subjectName: cols.subject_name, countyCode: cols.county_code },
  ]);
  const status: OriginStatus = submit ? 'submitted' : t.to;
  const pointGiven = cols.longitude !== null && (patch.longitude !== undefined || patch.latitude !== undefined);
  await repo.updateRecord(ctx.db, id, {
    ...cols,
    subject_id: a.subject?.id ?? subjectId,
    status,
    ...deadlineStamps(before, status),
    // A point given for a record imported without one completes it (the site visit).
    ...(before.site_pending && pointGiven ? { site_pending: false, visited_at: new Date() } : {}),
    collected_at: new Date(),
    updated_by: ctx.actor.id,
  });
  if (before.approved_at) await repo.refreshCells(ctx.db, [...new Set([before.county_code, cols.county_code])]);
  await audit(ctx, {
    verb: 'origin.collect',
    targetType: 'origin_record',
    targetId: id,
    divisionCode: cols.division_code,
    summary: { action: 'update', status, patch },
  });
  return written(ctx, id);
}

export async function submitRecord(caller: Ctx, id: string) {
  const { before, ctx } = await forCollect(caller, id);
  const t = transition(ctx, before, 'submit');
  const rules = await Rules.load(ctx.db);
  const errs = checkRecord(inputOf(before), rules.at(before.product_code, before.division_code), true);
  if (errs.length) throwErrors(errs);
  await repo.updateRecord(ctx.db, id, { status: t.to, ...deadlineStamps(before, t.to), updated_by: ctx.actor.id });
  await audit(ctx, {
    verb: 'origin.collect',
    targetType: 'origin_record',
    targetId: id,
    divisionCode: before.division_code,
    summary: { action: 'submit' },
  });
  return written(ctx, id);
}

export async function reviewRecord(ctx: Ctx, id: string, input: ReviewBody) {
  const before = await getRecord(ctx, id);
  // Reviewers are county-level (or higher) supervision staff: a township's reviewer is refused whatever the state.
  if (!whoIs(ctx.actor, before.division_code).has('reviewer'))
    throw new Problem('FORBIDDEN_VERB', { verb: VERB_OF.reviewer });
  // The same rule as the review queue's: the account that entered a record does not review it (seed 000 art. 12).
  if (isOwnEntry(ctx, before)) throw new Problem('REVIEW_OWN_ENTRY');
  const t = transition(ctx, before, input.action);
  const comment = input.comment?.trim() || null;
  if (input.action === 'return' && !comment)
    throw problems.invalid('comment', '退回时必须写明需修改的内容', 'is required when returning a record');
  const now = new Date();
  const returns = before.returns + (t.to === 'returned' ? 1 : 0);
  await repo.updateRecord(ctx.db, id, {
    status: t.to,
    returns,
    review_comment: comment,
    reviewed_by: ctx.actor.id,
    reviewed_at: now,
    ...deadlineStamps(before, t.to, now),
    ...(t.to === 'approved' ? { approved_at: before.approved_at ?? now } : {}),
  });
  if (t.to === 'approved') await repo.refreshCells(ctx.db, [before.county_code]);
  if (t.to === 'returned') {
    const due = deadlineFrom(now, CORRECTION_DAYS);
    await noticeRecords(
      ctx.db,
      [before],
      () => ({
        titleZh: `产地溯源记录被退回：${before.subject_name}，请于 ${due} 前修改`,
        titleEn: `Origin record returned: ${before.subject_name}; correct it by ${due}`,
        body: comment ?? '',
      }),
      () => `/origin/table?q=${encodeURIComponent(before.subject_name)}`,
    );
    // Repeated returns (屡次退回, seed 000 art. 19): the collecting agency and its collector, or the producer.
    if (returns >= RETURN_REPEAT)
      await credit.recordCollectionBad(ctx, {
        orgId: before.entered_by_org,
        collectorId: before.created_by,
        divisionCode: before.division_code,
        sourceId: id,
        severity: 'minor',
        titleZh: `产地溯源记录“${before.subject_name}”被退回 ${returns} 次`,
        titleEn: `Origin record "${before.subject_name}" returned ${returns} times`,
      });
  }
  await audit(ctx, {
    verb: 'origin.review',
    targetType: 'origin_record',
    targetId: id,
    divisionCode: before.division_code,
    summary: { action: input.action, comment },
  });
  await reviewDecided(ctx, ORIGIN_RESOURCE, id, { action: input.action, reasons: [], comment });
  return reload(ctx, id);
}

/**
 * Origin records decided from the review queue: the county's (or a higher level's) reviewers, as on the origin map's
 * review (`reviewRecord`, which resolves the queue's item in turn); a return's reasons become its comment.
 */
export const originReviewOwner: ReviewOwner = {
  async decide(ctx, id, d) {
    const comment = [...d.reasons.map((r) => r.zh), ...(d.comment ? [d.comment] : [])].join('；') || undefined;
    await reviewRecord(ctx, id, { action: d.action, comment });
  },
  mayReview: (actor, divisionCode) => whoIs(actor, divisionCode).has('reviewer'),
  reviews: (actor) => whoIs(actor, actor.scope).has('reviewer'),
  // The origin table opened on the record (its drawer, with the review buttons).
  link: (id) => `/origin/table?record=${id}`,
};

/** Reviews many submitted records at once (the county's batch review after an import). */
export async function reviewMany(ctx: Ctx, ids: string[], input: ReviewBody) {
  for (const id of ids) await reviewRecord(ctx, id, input);
  return { reviewed: ids.length };
}

// ── the table ("一张表") ─────────────────────────────────────────────────────
const split = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;
const isStatus = (x: string): x is OriginStatus => (RECORD_STATUSES as readonly string[]).includes(x);
/** Statuses of a query (400 naming the field for one that is not a status). */
function statusesOf(s: string | undefined): OriginStatus[] | undefined {
  const parts = split(s);
  for (const x of parts ?? [])
    if (!isStatus(x)) throw problems.invalid('status', `“${x}”不是有效状态`, `"${x}" is not a status`);
  return parts?.filter(isStatus);
}

export const filterOf = (ctx: Ctx, q: Omit<ListQuery, 'page' | 'pageSize'>, onMap?: boolean): repo.RecordFilter => ({
  scope: ctx.actor.scope,
  within: q.within,
  products: split(q.product),
  status: statusesOf(q.status),
  onMap,
  minScale: q.minScale,
  maxScale: q.maxScale,
  marketFrom: q.marketFrom,
  marketTo: q.marketTo,
  q: q.q?.trim() || undefined,
  createdBy: q.mine ? ctx.actor.id : undefined,
  overdue: q.overdue,
  sitePending: q.sitePending,
});

export async function listRecords(ctx: Ctx, q: ListQuery) {
  const page = await repo.listRecords(ctx.db, filterOf(ctx, q), pageOf(q));
  return { ...page, items: await recordDtos(ctx, page.items) };
}

/** Records the caller may collect: a producer's own (also through its agency), or an authorised county's. */
export async function listMyRecords(caller: Ctx, q: ListQuery) {
  const a = await collectAccess(caller, q.within);
  const ctx = collectCtx(caller, a);
  const f = { ...filterOf(ctx, q), subjectId: a.subject?.id };
  const page = await repo.listRecords(ctx.db, f, pageOf(q));
  return { ...page, items: await recordDtos(ctx, page.items) };
}

// ── site visit (现场走访) and re-collection per planting / month ───────────────────────────────────────────────
/**
 * Completes a record on site (seed 004 五(一)、五(四): 通过现场走访，逐个精准完善点位经纬度信息; 表格批量导入的 … 要通过
 * … 基地实地走访 … 补充、核对经纬度): the point from the phone (or the map), checked like any point; the record leaves
 * the "to be completed on site" list and, with `submit` (default), goes to review when complete.
 */
export async function visitRecord(caller: Ctx, id: string, body: VisitBody) {
  const { before, ctx } = await forCollect(caller, id);
  const submit = body.submit ?? true;
  const t = transition(
    ctx,
    before,
    submit && before.status !== 'submitted' && before.status !== 'approved' ? 'submit' : 'update',
  );
  const merged: RecordInput = {
    ...inputOf(before),
    longitude: body.longitude,
    latitude: body.latitude,
    gpsAccuracyM: body.gpsAccuracyM ?? null,
    geoSource: body.geoSource ?? 'gps',
  };
  const rules = await Rules.load(ctx.db);
  const rule = rules.at(merged.productCode, merged.divisionCode);
  const toReview = submit || t.to === 'submitted';
  const errs = checkRecord(merged, rule, toReview, {
    groupOthers: await groupOthers(ctx.db, merged, rule, before.record_key),
  });
  if (errs.length) throwErrors(errs);
  const c = toColumns(merged);
  const status: OriginStatus = toReview ? 'submitted' : t.to;
  const now = new Date();
  await repo.updateRecord(ctx.db, id, {
    longitude: c.longitude,
    latitude: c.latitude,
    geo_check: c.geo_check,
    geo_source: c.geo_source,
    gps_accuracy_m: c.gps_accuracy_m,
    site_pending: false,
    visited_at: now,
    collected_at: now,
    status,
    ...deadlineStamps(before, status, now),
    updated_by: ctx.actor.id,
  });
  if (before.approved_at) await repo.refreshCells(ctx.db, [before.county_code]);
  await audit(ctx, {
    verb: 'origin.collect',
    targetType: 'origin_record',
    targetId: id,
    divisionCode: before.division_code,
    summary: { action: 'visit', status },
    before: { longitude: before.longitude, latitude: before.latitude, sitePending: before.site_pending },
    after: { longitude: c.longitude, latitude: c.latitude, sitePending: false },
  });
  return written(ctx, id);
}

/**
 * A new planting (新一茬, crops: 一年多茬的，每茬都要采集) or the monthly collection (livestock and aquatic: 按月采集和
 * 更新): the current one goes to the record's history, the record carries the new one (number + 1, its planting and
 * harvest dates, scale and market period) and a fresh collection date, and goes to review again.
 */
export async function newSeason(caller: Ctx, id: string, body: SeasonBody) {
  const { before, ctx } = await forCollect(caller, id);
  const t = transition(ctx, before, 'update');
  const merged: RecordInput = {
    ...inputOf(before),
    plantedOn: body.plantedOn ?? null,
    harvestOn: body.harvestOn ?? null,
    ...(body.scale !== undefined ? { scale: body.scale } : {}),
    ...(body.marketStart !== undefined ? { marketStart: body.marketStart } : {}),
    ...(body.marketEnd !== undefined ? { marketEnd: body.marketEnd } : {}),
  };
  const rules = await Rules.load(ctx.db);
  const rule = rules.at(merged.productCode, merged.divisionCode);
  if (rule?.industry === 'planting' && !body.plantedOn)
    throw problems.invalid('plantedOn', '种植业产品每茬须填写定植时间', 'is required for a new planting of a crop');
  const status: OriginStatus = before.status === 'draft' ? 'draft' : 'submitted';
  const errs = checkRecord(merged, rule, status === 'submitted', {
    groupOthers: await groupOthers(ctx.db, merged, rule, before.record_key),
  });
  if (errs.length) throwErrors(errs);
  const c = toColumns(merged);
  const now = new Date();
  await repo.insertSeason(ctx.db, {
    record_id: id,
    season_no: before.season_no,
    planted_on: before.planted_on,
    harvest_on: before.harvest_on,
    scale: before.scale,
    market_start: before.market_start,
    market_end: before.market_end,
    collected_at: before.collected_at,
    closed_by: ctx.actor.id,
  });
  await repo.updateRecord(ctx.db, id, {
    season_no: before.season_no + 1,
    planted_on: c.planted_on,
    harvest_on: c.harvest_on,
    scale: c.scale,
    market_start: c.market_start,
    market_end: c.market_end,
    collected_at: now,
    status: status === 'submitted' ? 'submitted' : t.to,
    ...deadlineStamps(before, status, now),
    updated_by: ctx.actor.id,
  });
  if (before.approved_at) await repo.refreshCells(ctx.db, [before.county_code]);
  await audit(ctx, {
    verb: 'origin.collect',
    targetType: 'origin_record',
    targetId: id,
    divisionCode: before.division_code,
    summary: { action: 'new_season', seasonNo: before.season_no + 1 },
    before: { seasonNo: before.season_no, plantedOn: before.planted_on, harvestOn: before.harvest_on },
    after: { seasonNo: before.season_no + 1, plantedOn: c.planted_on, harvestOn: c.harvest_on },
  });
  return written(ctx, id);
}

/** The record's earlier plantings / monthly collections, newest first. */
export async function listSeasons(ctx: Ctx, id: string): Promise<Seasons> {
  await getRecord(ctx, id);
  const rows = await repo.seasonsOf(ctx.db, id);
  return {
    items: rows.map((x) => ({
      seasonNo: x.season_no,
      plantedOn: x.planted_on,
      harvestOn: x.harvest_on,
      scale: Number(x.scale),
      marketStart: x.market_start,
      marketEnd: x.market_end,
      collectedAt: x.collected_at.toISOString(),
      closedAt: x.closed_at.toISOString(),
    })),
  };
}
