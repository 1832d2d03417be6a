import { type Kysely, sql } from 'kysely';
import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { DB, OriginStatus } from '../../schema.js';
import { boundariesOf, plausibility } from './geo.js';
import { CERTIFICATIONS, CREDIT_RATINGS, FLAG_KINDS, INDUSTRIES, PRODUCTION_METHODS, STATUSES, SUBJECT_TYPES, TRACE_METHODS, UNITS } from './reference.js';
import * as repo from './repo.js';
import { type FieldError, type RecordInput, checkRecord, recordKeyOf } from './validate.js';

const RECORD = ['产地溯源记录', 'Origin record'] as const;

// ── state table ──────────────────────────────────────────────────────────────
/** (state, action) → next state, and the verb that may take it. `update` of an approved record re-enters review. */
export const TRANSITIONS: { from: OriginStatus; action: 'update' | 'submit' | 'approve' | 'return'; to: OriginStatus; verb: string }[] = [
  { from: 'draft', action: 'update', to: 'draft', verb: 'origin.collect' },
  { from: 'draft', action: 'submit', to: 'submitted', verb: 'origin.collect' },
  { from: 'returned', action: 'update', to: 'returned', verb: 'origin.collect' },
  { from: 'returned', action: 'submit', to: 'submitted', verb: 'origin.collect' },
  { from: 'submitted', action: 'update', to: 'submitted', verb: 'origin.collect' },
  { from: 'submitted', action: 'approve', to: 'approved', verb: 'origin.review' },
  { from: 'submitted', action: 'return', to: 'returned', verb: 'origin.review' },
  { from: 'approved', action: 'update', to: 'submitted', verb: 'origin.collect' },
];

/** Reviewers are county-level (or higher) supervision staff (seed 004 六(三): 县级监管员具体承担…审核把关). */
const isCountyOrAbove = (scope: string) => scope.length <= 6;

export function allowedActions(ctx: Ctx, status: OriginStatus, divisionCode: string): string[] {
  if (!inScope(ctx.actor.scope, divisionCode)) return [];
  return TRANSITIONS.filter((t) => t.from === status && ctx.actor.verbs.has(t.verb) && (t.verb !== 'origin.review' || isCountyOrAbove(ctx.actor.scope))).map((t) => t.action);
}

function transition(ctx: Ctx, status: OriginStatus, action: (typeof TRANSITIONS)[number]['action']) {
  const t = TRANSITIONS.find((x) => x.from === status && x.action === action);
  const actionZh = { update: '修改', submit: '提交审核', approve: '审核通过', return: '退回' }[action];
  if (!t) throw new Problem('INVALID_STATE', { stateZh: STATUSES[status][0], stateEn: STATUSES[status][1], actionZh, actionEn: action });
  if (!ctx.actor.verbs.has(t.verb)) throw new Problem('FORBIDDEN_VERB', { verb: t.verb });
  return t;
}

// ── DTOs ─────────────────────────────────────────────────────────────────────
const label = (e: Record<string, readonly [string, string]>, code: string | null) => (code && e[code] ? e[code][0] : null);

export function recordDto(ctx: Ctx, r: repo.RecordRowWithNames) {
  return {
    id: r.id,
    recordKey: r.record_key,
    divisionCode: r.division_code,
    divisionName: r.division_name ?? '',
    subjectName: r.subject_name,
    subjectType: r.subject_type,
    subjectTypeName: label(SUBJECT_TYPES, r.subject_type) ?? '',
    creditCode: r.credit_code,
    subjectId: r.subject_id,
    productCode: r.product_code,
    productName: r.product_name,
    unit: r.unit,
    unitName: label(UNITS, r.unit) ?? '',
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
    creditRating: r.credit_rating,
    gridWorkerName: r.grid_worker_name,
    gridWorkerPhone: r.grid_worker_phone,
    collectorName: r.collector_name,
    collectorPhone: r.collector_phone,
    status: r.status,
    statusName: label(STATUSES, r.status) ?? '',
    reviewComment: r.review_comment,
    reviewedAt: r.reviewed_at?.toISOString() ?? null,
    approvedAt: r.approved_at?.toISOString() ?? null,
    collectedAt: r.collected_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    allowedActions: allowedActions(ctx, r.status, r.division_code),
  };
}

/** The enumerations with their labels, for forms and templates. */
export function enumerations() {
  const list = (e: Record<string, readonly [string, string]>) => Object.entries(e).map(([code, [zh, en]]) => ({ code, zh, en }));
  return {
    subjectTypes: list(SUBJECT_TYPES), industries: list(INDUSTRIES), units: list(UNITS), certifications: list(CERTIFICATIONS),
    productionMethods: list(PRODUCTION_METHODS), traceMethods: list(TRACE_METHODS), creditRatings: list(CREDIT_RATINGS),
    statuses: list(STATUSES), flagKinds: list(FLAG_KINDS),
  };
}

// ── reference data ───────────────────────────────────────────────────────────
export async function listProducts(ctx: Ctx, divisionCode: string | undefined) {
  const rules = await repo.Rules.load(ctx.db);
  const at = divisionCode ?? ctx.actor.scope;
  return {
    divisionCode: at,
    products: rules.productCodes.map((code) => {
      const r = rules.at(code, at);
      const p = rules.product(code);
      if (!r || !p) throw new Error('unreachable');
      return { code, name: p.name, nameEn: p.name_en, industry: r.industry, unit: r.unit, unitName: UNITS[r.unit][0], threshold: r.threshold, facilityThreshold: r.facilityThreshold, cycleDays: r.cycleDays, maxPlausible: r.maxPlausible };
    }),
    enumerations: enumerations(),
  };
}

export async function setThreshold(ctx: Ctx, input: { divisionCode: string; productCode: string; threshold: number; facilityThreshold?: number | null; cycleDays?: number | null }) {
  assertInScope(ctx.actor.scope, input.divisionCode, '行政区划', 'division');
  if (!(await repo.existingDivisions(ctx.db, [input.divisionCode])).has(input.divisionCode))
    throw new Problem('UNKNOWN_DIVISION', { code: input.divisionCode, field: 'divisionCode' });
  const rules = await repo.Rules.load(ctx.db);
  if (!rules.product(input.productCode)) throw problems.invalid('productCode', '不是 12 个重点品种之一', 'is not one of the 12 key products');
  await repo.upsertOverride(ctx.db, {
    division_code: input.divisionCode, product_code: input.productCode, threshold: input.threshold,
    facility_threshold: input.facilityThreshold ?? null, cycle_days: input.cycleDays ?? null, updated_by: ctx.actor.id,
  });
  await audit(ctx, { verb: 'origin.configure', targetType: 'origin_threshold', divisionCode: input.divisionCode, summary: input });
  return listProducts(ctx, input.divisionCode);
}

// ── producer link ────────────────────────────────────────────────────────────
let subjectTable: boolean | undefined;
/**
 * Links records to registered producers (生产经营主体, table `subject` of the producers module) when that table
 * exists: by credit code (subject.cert_type = 'credit_code' AND cert_no = credit code), else by exact name within
 * the record's county when exactly one subject matches. Rejected, revoked and cancelled subjects never match.
 */
export async function matchSubjects(db: Kysely<DB>, rows: { creditCode: string | null; subjectName: string; countyCode: string }[]): Promise<(string | null)[]> {
  if (subjectTable === undefined || subjectTable === false) {
    const res = await sql<{ ok: boolean }>`SELECT to_regclass('public.subject') IS NOT NULL AS ok`.execute(db);
    subjectTable = !!res.rows[0]?.ok;
  }
  if (!subjectTable || !rows.length) return rows.map(() => null);
  const credit = [...new Set(rows.map((r) => r.creditCode).filter((c): c is string => !!c))];
  const names = [...new Set(rows.filter((r) => !r.creditCode).map((r) => r.subjectName))];
  const found = await sql<{ id: string; name: string; cert_type: string; cert_no: string; division_code: string }>`
    SELECT id, name, cert_type, cert_no, division_code FROM subject
    WHERE status NOT IN ('rejected', 'revoked', 'cancelled')
      AND ((cert_type = 'credit_code' AND cert_no = ANY(${sql.val(credit)}::text[])) OR name = ANY(${sql.val(names)}::text[]))`.execute(db);
  return rows.map((r) => {
    if (r.creditCode) return found.rows.find((s) => s.cert_type === 'credit_code' && s.cert_no === r.creditCode)?.id ?? null;
    const m = found.rows.filter((s) => s.name === r.subjectName && s.division_code.startsWith(r.countyCode));
    return m.length === 1 ? m[0].id : null;
  });
}

// ── records ──────────────────────────────────────────────────────────────────
function throwErrors(errs: FieldError[]): never {
  const [first] = errs;
  throw new Problem('VALIDATION_FAILED', { field: first.field, reasonZh: first.zh, reasonEn: first.en }, { errors: errs });
}

/** Normalises input (trim, upper-case credit code) and turns it into table columns. */
export function toColumns(r: RecordInput, rules: repo.Rules) {
  const t = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === '' ? null : s.trim());
  const hasPoint = r.longitude !== undefined && r.longitude !== null && r.latitude !== undefined && r.latitude !== null;
  const pl = hasPoint ? plausibility(r.divisionCode, [r.longitude as number, r.latitude as number]).result : null;
  const rule = rules.at(r.productCode, r.divisionCode);
  return {
    record_key: recordKeyOf(r),
    division_code: r.divisionCode,
    county_code: r.divisionCode.slice(0, 6),
    subject_name: r.subjectName.trim(),
    subject_type: r.subjectType as 'farmer',
    credit_code: t(r.creditCode)?.toUpperCase() ?? null,
    product_code: r.productCode,
    alias: t(r.alias),
    certification: r.certification ?? 'none',
    base_address: r.baseAddress.trim(),
    longitude: hasPoint ? Math.round((r.longitude as number) * 1e6) / 1e6 : null,
    latitude: hasPoint ? Math.round((r.latitude as number) * 1e6) / 1e6 : null,
    geo_check: pl,
    geo_source: r.geoSource ?? 'form',
    gps_accuracy_m: r.gpsAccuracyM ?? null,
    contact_name: r.contactName.trim(),
    contact_phone: r.contactPhone.trim(),
    scale: String(r.scale),
    market_start: t(r.marketStart),
    market_end: t(r.marketEnd),
    production_method: r.productionMethod as 'open_field',
    trace_methods: [...new Set(r.traceMethods ?? [])],
    credit_rating: r.creditRating ?? 'none',
    grid_worker_name: t(r.gridWorkerName),
    grid_worker_phone: t(r.gridWorkerPhone),
    collector_name: t(r.collectorName),
    collector_phone: t(r.collectorPhone),
    _industry: rule?.industry,
  };
}

async function assertDivision(ctx: Ctx, code: string) {
  assertInScope(ctx.actor.scope, code, '行政区划', 'division');
  if (!(await repo.existingDivisions(ctx.db, [code])).has(code)) throw new Problem('UNKNOWN_DIVISION', { code, field: 'divisionCode' });
}

export async function getRecord(ctx: Ctx, id: string) {
  const r = await repo.recordById(ctx.db, id);
  if (!r) throw problems.notFound(...RECORD);
  assertInScope(ctx.actor.scope, r.division_code, ...RECORD);
  return r;
}

export async function createRecord(ctx: Ctx, input: RecordInput & { submit?: boolean }) {
  const rules = await repo.Rules.load(ctx.db);
  const errs = checkRecord(input, rules.at(input.productCode, input.divisionCode), !!input.submit);
  if (errs.length) throwErrors(errs);
  await assertDivision(ctx, input.divisionCode);
  const { _industry, ...cols } = toColumns(input, rules);
  if (await repo.recordByKey(ctx.db, cols.record_key)) throw problems.duplicate('同一主体、品种、基地的记录', 'A record for this subject, product and base', cols.record_key, 'baseAddress');
  const [subjectId] = await matchSubjects(ctx.db, [{ creditCode: cols.credit_code, subjectName: cols.subject_name, countyCode: cols.county_code }]);
  const [id] = await repo.insertRecords(ctx.db, [{ ...cols, subject_id: subjectId, status: input.submit ? 'submitted' : 'draft', created_by: ctx.actor.id, updated_by: ctx.actor.id }]);
  await audit(ctx, { verb: 'origin.collect', targetType: 'origin_record', targetId: id, divisionCode: cols.division_code, summary: { action: 'create', ...input } });
  return recordDto(ctx, (await repo.recordById(ctx.db, id)) as repo.RecordRowWithNames);
}

export async function updateRecord(ctx: Ctx, id: string, patch: Partial<RecordInput> & { submit?: boolean }) {
  const before = await getRecord(ctx, id);
  const t = transition(ctx, before.status, 'update');
  const current = recordDto(ctx, before);
  const merged: RecordInput = { ...current, ...patch, recordKey: before.record_key } as RecordInput;
  if (patch.divisionCode !== undefined) await assertDivision(ctx, patch.divisionCode);
  const rules = await repo.Rules.load(ctx.db);
  const submit = !!patch.submit || t.to === 'submitted';
  const errs = checkRecord(merged, rules.at(merged.productCode, merged.divisionCode), submit);
  if (errs.length) throwErrors(errs);
  const { _industry, record_key: _key, ...cols } = toColumns(merged, rules);
  const [subjectId] = await matchSubjects(ctx.db, [{ creditCode: cols.credit_code, subjectName: cols.subject_name, countyCode: cols.county_code }]);
  const status: OriginStatus = submit ? 'submitted' : t.to;
  await repo.updateRecord(ctx.db, id, { ...cols, subject_id: subjectId, status, collected_at: new Date(), updated_by: ctx.actor.id });
  if (before.approved_at) await repo.refreshCells(ctx.db, [...new Set([before.county_code, cols.county_code])]);
  await audit(ctx, { verb: 'origin.collect', targetType: 'origin_record', targetId: id, divisionCode: cols.division_code, summary: { action: 'update', status, patch } });
  return recordDto(ctx, (await repo.recordById(ctx.db, id)) as repo.RecordRowWithNames);
}

export async function submitRecord(ctx: Ctx, id: string) {
  const before = await getRecord(ctx, id);
  transition(ctx, before.status, 'submit');
  const rules = await repo.Rules.load(ctx.db);
  const errs = checkRecord(recordDto(ctx, before) as RecordInput, rules.at(before.product_code, before.division_code), true);
  if (errs.length) throwErrors(errs);
  await repo.updateRecord(ctx.db, id, { status: 'submitted', updated_by: ctx.actor.id });
  await audit(ctx, { verb: 'origin.collect', targetType: 'origin_record', targetId: id, divisionCode: before.division_code, summary: { action: 'submit' } });
  return recordDto(ctx, (await repo.recordById(ctx.db, id)) as repo.RecordRowWithNames);
}

export async function reviewRecord(ctx: Ctx, id: string, input: { action: 'approve' | 'return'; comment?: string | null }) {
  const before = await getRecord(ctx, id);
  if (!isCountyOrAbove(ctx.actor.scope)) throw new Problem('FORBIDDEN_VERB', { verb: 'origin.review' });
  const t = transition(ctx, before.status, input.action);
  const comment = input.comment?.trim() || null;
  if (input.action === 'return' && !comment) throw problems.invalid('comment', '退回时必须写明需修改的内容', 'is required when returning a record');
  const now = new Date();
  await repo.updateRecord(ctx.db, id, {
    status: t.to, review_comment: comment, reviewed_by: ctx.actor.id, reviewed_at: now,
    ...(t.to === 'approved' ? { approved_at: before.approved_at ?? now } : {}),
  });
  if (t.to === 'approved') await repo.refreshCells(ctx.db, [before.county_code]);
  await audit(ctx, { verb: 'origin.review', targetType: 'origin_record', targetId: id, divisionCode: before.division_code, summary: { action: input.action, comment } });
  return recordDto(ctx, (await repo.recordById(ctx.db, id)) as repo.RecordRowWithNames);
}

/** Approves many submitted records at once (the county's batch review after an import). */
export async function reviewMany(ctx: Ctx, ids: string[], input: { action: 'approve' | 'return'; comment?: string | null }) {
  const out = [];
  for (const id of ids) out.push(await reviewRecord(ctx, id, input));
  return out;
}

export interface ListQuery {
  within?: string;
  product?: string[];
  status?: string[];
  onMap?: boolean;
  minScale?: number;
  maxScale?: number;
  marketFrom?: string;
  marketTo?: string;
  q?: string;
  mine?: boolean;
  page?: number;
  pageSize?: number;
}
export const filterOf = (ctx: Ctx, q: ListQuery): repo.RecordFilter => ({
  scope: ctx.actor.scope, within: q.within, products: q.product, status: q.status, onMap: q.onMap, minScale: q.minScale, maxScale: q.maxScale,
  marketFrom: q.marketFrom, marketTo: q.marketTo, q: q.q?.trim() || undefined, createdBy: q.mine ? ctx.actor.id : undefined,
});

export async function listRecords(ctx: Ctx, q: ListQuery) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listRecords(ctx.db, filterOf(ctx, q), pageSize, (page - 1) * pageSize);
  return { items: rows.map((r) => recordDto(ctx, r)), total, page, pageSize };
}

// ── "一张图" ─────────────────────────────────────────────────────────────────
export interface MapQuery extends ListQuery, repo.Viewport {
  zoom?: number;
}
/** Points are sent one by one below this many in the viewport (and at level > 10). */
const POINT_LIMIT = 500;

/**
 * Grid clustering. The level (cell = 45/2^level degrees) is the smaller of the client's zoom and the level at which
 * the viewport is about 48 cells wide, so the work is bounded whatever the client asks. Filters the rollup can
 * answer (product, division down to county, jurisdiction down to county, on-map records) read `origin_cell`;
 * others (scale, market period, status, township) group the records themselves.
 */
export async function queryMap(ctx: Ctx, q: MapQuery) {
  if (q.west >= q.east) throw problems.invalid('east', '须大于 west', 'must be greater than west');
  if (q.south >= q.north) throw problems.invalid('north', '须大于 south', 'must be greater than south');
  const width = Math.max(q.east - q.west, (q.north - q.south) * 1.5);
  const byViewport = Math.max(3, Math.floor(Math.log2((45 * 48) / width)));
  const level = Math.min(q.zoom ?? byViewport, byViewport);
  const f = filterOf(ctx, { ...q, onMap: q.status?.length ? undefined : true });
  const within = q.within && q.within.length > ctx.actor.scope.length ? q.within : ctx.actor.scope;
  if (q.within && !inScope(ctx.actor.scope, q.within) && !inScope(q.within, ctx.actor.scope)) return { level, cellDeg: repo.cellDeg(level), source: 'none', clusters: [], points: [], total: 0 };
  const rollupOk = level <= 10 && within.length <= 6 && !q.status?.length && q.minScale === undefined && q.maxScale === undefined && !q.marketFrom && !q.marketTo && !q.q && !q.mine;
  let clusters: repo.ClusterRow[];
  let source: 'cells' | 'records';
  if (level > 10) {
    clusters = [];
    source = 'records';
  } else if (rollupOk) {
    clusters = await repo.clustersFromCells(ctx.db, level, q, within, q.product);
    source = 'cells';
  } else {
    clusters = await repo.clustersFromRecords(ctx.db, level, q, f);
    source = 'records';
  }
  const total = clusters.reduce((s, c) => s + c.n, 0);
  let points: Awaited<ReturnType<typeof repo.pointsIn>> = [];
  if (level > 10 || total <= POINT_LIMIT) points = await repo.pointsIn(ctx.db, q, f, POINT_LIMIT + 1);
  return {
    level,
    cellDeg: repo.cellDeg(level),
    source,
    total: level > 10 ? points.length : total,
    truncated: points.length > POINT_LIMIT,
    clusters: points.length ? [] : clusters.map((c) => ({ lng: Number(c.lng), lat: Number(c.lat), count: Number(c.n), scale: Number(c.scale) })),
    points: points.slice(0, POINT_LIMIT).map((p) => ({
      id: p.id, lng: p.longitude as number, lat: p.latitude as number, subjectName: p.subject_name, productCode: p.product_code, productName: p.product_name,
      scale: Number(p.scale), unit: p.unit, status: p.status,
    })),
  };
}

export function boundaries(_ctx: Ctx, code: string) {
  const fc = boundariesOf(code);
  if (!fc) throw problems.notFound(`区划 ${code} 的边界数据`, `Boundary data of ${code}`);
  return fc;
}

/** Counts and scale by child division and product, for the summary charts. */
export async function summarise(ctx: Ctx, q: ListQuery) {
  const base = q.within && q.within.length >= ctx.actor.scope.length ? q.within : ctx.actor.scope;
  const childLen = ({ 0: 2, 2: 4, 4: 6, 6: 9, 9: 12, 12: 12 } as Record<number, number>)[base.length] ?? 12;
  const rows = await repo.summary(ctx.db, filterOf(ctx, q), childLen);
  const names = new Map((await repo.divisionNames(ctx.db, [...new Set(rows.map((r) => r.code))])).map((d) => [d.code, d.name]));
  const rules = await repo.Rules.load(ctx.db);
  return {
    within: base,
    rows: rows.map((r) => ({ divisionCode: r.code, divisionName: names.get(r.code) ?? r.code, productCode: r.product_code, productName: rules.product(r.product_code)?.name ?? r.product_code, count: Number(r.n), scale: Number(r.scale) })),
  };
}

// ── flags and notifications ───────────────────────────────────────────────────
export async function listFlags(ctx: Ctx, q: { within?: string; status?: string; kind?: string; page?: number; pageSize?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { rows, total } = await repo.listFlags(ctx.db, { scope: ctx.actor.scope, within: q.within, status: q.status, kind: q.kind, limit: pageSize, offset: (page - 1) * pageSize });
  return {
    items: rows.map((f) => ({
      id: f.id, recordId: f.record_id, kind: f.kind, kindName: FLAG_KINDS[f.kind][0], detail: f.detail, divisionCode: f.division_code, divisionName: f.division_name ?? '',
      status: f.status, subjectName: f.subject_name, productCode: f.product_code, createdAt: f.created_at.toISOString(), resolvedAt: f.resolved_at?.toISOString() ?? null, resolution: f.resolution,
    })),
    total, page, pageSize,
  };
}

export async function resolveFlag(ctx: Ctx, id: string, resolution: string) {
  const f = await repo.flagById(ctx.db, id);
  if (!f) throw problems.notFound('巡查标记', 'Flag');
  assertInScope(ctx.actor.scope, f.division_code, '巡查标记', 'flag');
  if (f.status !== 'open') throw new Problem('INVALID_STATE', { stateZh: '已处理', stateEn: 'resolved', actionZh: '处理', actionEn: 'resolve' });
  const text = resolution.trim();
  if (!text) throw problems.invalid('resolution', '须写明处理结果', 'must say how the flag was resolved');
  await ctx.db.updateTable('origin_flag').set({ status: 'resolved', resolved_at: new Date(), resolved_by: ctx.actor.id, resolution: text }).where('id', '=', id).execute();
  await audit(ctx, { verb: 'origin.review', targetType: 'origin_flag', targetId: id, divisionCode: f.division_code, summary: { action: 'resolve', resolution: text } });
  return { id, status: 'resolved' as const, resolution: text };
}

/** Notifications for me: addressed to my account, or to my organisation's division when I review. */
export async function listNotifications(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const mine = (eb: import('kysely').ExpressionBuilder<DB, 'origin_notification'>) =>
    ctx.actor.verbs.has('origin.review') ? eb.or([eb('account_id', '=', ctx.actor.id), eb('division_code', '=', ctx.actor.scope)]) : eb('account_id', '=', ctx.actor.id);
  const rows = await ctx.db.selectFrom('origin_notification').selectAll().where(mine).orderBy('created_at', 'desc').orderBy('id').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = await ctx.db.selectFrom('origin_notification').select((eb) => eb.fn.countAll<number>().as('n')).where(mine).executeTakeFirstOrThrow();
  return {
    items: rows.map((n) => ({ id: n.id, title: n.title, body: n.body, flagCount: n.flag_count, toDivision: n.division_code, createdAt: n.created_at.toISOString(), read: !!n.read_at })),
    total: Number(total.n), page, pageSize,
  };
}
