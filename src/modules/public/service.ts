import { dammValid, mod37_2Valid } from '../../kernel/checkchar.js';
import { type CodeKind, KIND_DIGIT, KIND_NAMES, SHORT_LENGTH, longCode, normaliseCode, parseCertificateNumber, parseCode, shortCode } from '../../kernel/codes.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import { platformOfConfig } from '../codes/service.js';
import { CERTIFICATIONS, INDUSTRIES, ORG_FORMS } from '../subjects/service.js';
import { IDENTITY_CODE_RE } from '../subjects/identity.js';
import type { QueryLog } from './querylog.js';
import * as repo from './repo.js';
import { type OriginDoc, type PublicDoc, type RecallInfo, type Viewer, maskPersonName, mayReadLogsOf, publicDocOf, traceView, viewerOf } from './visibility.js';

const DIGIT_KIND = Object.fromEntries(Object.entries(KIND_DIGIT).map(([k, d]) => [d, k as CodeKind])) as Record<number, CodeKind>;

export type PublicStatus = 'active' | 'inactive' | 'void' | 'recalled' | 'unknown' | 'malformed' | 'foreign';
export const STATUS_TEXT: Record<PublicStatus, [string, string]> = {
  active: ['追溯码有效', 'Valid trace code'],
  inactive: ['此码尚未激活：商品可能尚未上市，请向销售者核实', 'Not activated yet: the product may not be on sale yet; check with the seller'],
  void: ['此码已作废：请勿购买，可向监管部门举报', 'This code has been voided: do not buy; you may report it'],
  recalled: ['此批产品已被召回，请停止食用和销售，已购买的请联系销售者退货或拨打 12316', 'This product has been recalled: stop eating or selling it; return it to the seller or call 12316'],
  unknown: ['查无此码：可能输错，也可能是假冒标识，请核对或举报', 'No such code: it may be mistyped, or the label may be counterfeit; check it or report it'],
  malformed: ['不是有效的追溯码', 'Not a valid trace code'],
  foreign: ['此码由其他追溯平台签发，请到签发平台查询', 'Issued by another traceability platform: look it up there'],
};

export interface SubjectCard {
  name: string;
  orgFormName: string;
  subjectType: string;
  industries: string[];
  marks: string[];
  divisionName: string;
  identityCode: string | null;
  status: string;
  statusText: string;
  approvedAt: string | null;
}

export interface PublicTrace {
  input: string;
  code: string | null;
  longCode: string | null;
  kind: string | null;
  kindName: string | null;
  status: PublicStatus;
  statusText: string;
  statusTextEn: string;
  hint: string | null;
  hintEn: string | null;
  suggestions: string[];
  recall: RecallInfo | null;
  origins: OriginDoc[];
  moreOrigins: number;
  subject: SubjectCard | null;
  certificate: { number: string; valid: boolean; productName: string; quantity: number; unit: string; subjectName: string; origin: string; issuedAt: string } | null;
}

/** What the lookup hands the route: the document, HTTP status, ETag and the owner (for the log). */
export interface LookupResult {
  body: PublicTrace;
  httpStatus: 200 | 404;
  etag: string | null;
  owner: { kind: number | null; serial: number | null; subjectId: string | null; divisionCode: string | null };
  /** The batch's cached projection (hot path): lets the routes reuse its serialised JSON and rendered HTML. */
  cached?: CachedDoc;
}

/**
 * In-process cache of projections by batch, validated on every request by the etag the lookup just read from the
 * database (so a recall or change elsewhere — any process — is seen at once: the trigger deletes the projection,
 * the etag changes). Holds the parsed document plus its serialised origins JSON and rendered origins HTML.
 */
export interface CachedDoc {
  etag: string;
  doc: PublicDoc;
  originsJson?: string;
  originsHtml?: string;
}
const DOC_CACHE_MAX = 20_000;
const docCache = new Map<string, CachedDoc>();

async function cachedDoc(ctx: Ctx<Actor | null>, batchId: string, etag: string | null, prepared?: repo.Prepared): Promise<CachedDoc> {
  const hit = etag ? docCache.get(batchId) : undefined;
  if (hit && hit.etag === etag) return hit;
  const row = etag ? await repo.projectionDoc(ctx.db, batchId, prepared) : undefined;
  const built = await publicDocOf(ctx.db, batchId, row ?? null);
  const entry: CachedDoc = { etag: built.etag, doc: built.doc };
  if (docCache.size >= DOC_CACHE_MAX) docCache.delete(docCache.keys().next().value as string);
  docCache.set(batchId, entry);
  return entry;
}

const empty = (input: string, status: PublicStatus): PublicTrace => ({
  input, code: null, longCode: null, kind: null, kindName: null, status, statusText: STATUS_TEXT[status][0], statusTextEn: STATUS_TEXT[status][1],
  hint: null, hintEn: null, suggestions: [], recall: null, origins: [], moreOrigins: 0, subject: null, certificate: null,
});

/** Candidate codes one typing error away (every single substitution and adjacent transposition) that pass Damm. */
export function oneErrorAway(s: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i < s.length; i++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) === s[i]) continue;
      const c = s.slice(0, i) + d + s.slice(i + 1);
      if (dammValid(c)) out.add(c);
    }
    if (i < s.length - 1 && s[i] !== s[i + 1]) {
      const c = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
      if (dammValid(c)) out.add(c);
    }
  }
  return [...out];
}

const MISTYPED: [string, string] = [
  '校验位不符：很可能有一位数字输错或两位数字颠倒了，请对照标签逐位核对，或直接扫描二维码',
  'The check character does not match: a digit was probably mistyped or two digits swapped; compare it with the label digit by digit, or scan the QR code',
];
const LENGTH: [string, string] = ['位数不对：追溯码是 20 位数字（或 29 位字母数字长码），请核对是否漏输或多输', 'Wrong length: a trace code has 20 digits (or 29 characters in the long form); check for missing or extra characters'];

async function subjectCard(ctx: Ctx<Actor | null>, by: { id?: string; identityCode?: string }): Promise<SubjectCard | null> {
  const s = await repo.subjectCard(ctx.db, by);
  if (!s) return null;
  const person = s.org_form === 'individual' || s.org_form === 'family_farm';
  const active = s.status === 'approved' || s.status === 'change_pending' || s.status === 'cancel_pending' || s.status === 'revoke_pending';
  const div = await ctx.db.selectFrom('division').select(['code', 'name']).where('code', 'in', [2, 4, 6, 9, 12].filter((n) => n <= s.division_code.length).map((n) => s.division_code.slice(0, n))).orderBy('code').execute();
  return {
    name: person ? maskPersonName(s.name) : s.name,
    orgFormName: ORG_FORMS[s.org_form]?.zh ?? s.org_form,
    subjectType: { production: '生产', operation: '经营', both: '生产经营' }[s.subject_type] ?? s.subject_type,
    industries: s.industries.map((i) => (INDUSTRIES as Record<string, { zh: string }>)[i]?.zh ?? i),
    marks: s.certifications.map((c) => CERTIFICATIONS[c]?.zh ?? c),
    divisionName: div.map((d) => d.name).join(''),
    identityCode: s.identity_code,
    status: active ? 'approved' : s.status,
    statusText: active ? '已在追溯平台登记的生产经营主体' : s.status === 'pending' ? '登记审核中' : '该主体已注销或被撤销登记',
    approvedAt: s.approved_at?.toISOString() ?? null,
  };
}

/**
 * The public lookup (consumer level, seed 003: 消费者只能查询到产地追溯信息). Resolves every code kind: batch codes
 * (production, circulation, voucher, temporary) → origin; subject identity codes (short kind 5 or the 21-character
 * identity code) → a public subject card; certificate numbers → verification plus the batch's origin.
 */
export async function lookupPublic(ctx: Ctx<Actor | null>, text: string, prepared?: repo.Prepared): Promise<LookupResult> {
  const none = { kind: null, serial: null, subjectId: null, divisionCode: null };
  const input = text.trim();
  const norm = normaliseCode(input);
  const parsed = parseCode(input);
  if (!parsed.ok) {
    // Not a trace code: a subject identity code, a certificate number, or a mistake.
    if (IDENTITY_CODE_RE.test(norm)) {
      if (!mod37_2Valid(norm)) return { body: { ...empty(input, 'malformed'), hint: MISTYPED[0], hintEn: MISTYPED[1] }, httpStatus: 404, etag: null, owner: none };
      const card = await subjectCard(ctx, { identityCode: norm });
      if (!card) return { body: empty(input, 'unknown'), httpStatus: 404, etag: null, owner: none };
      const s = await repo.subjectCard(ctx.db, { identityCode: norm });
      return { body: { ...empty(input, card.status === 'approved' ? 'active' : 'void'), kind: 'subject', kindName: KIND_NAMES.subject.zh, code: norm, subject: card }, httpStatus: 200, etag: null, owner: { ...none, subjectId: s?.id ?? null, divisionCode: s?.division_code ?? null } };
    }
    if (/^HG\d{17}$/.test(norm)) {
      if (!parseCertificateNumber(norm)) return { body: { ...empty(input, 'malformed'), kind: 'certificate', kindName: '承诺达标合格证', hint: MISTYPED[0], hintEn: MISTYPED[1] }, httpStatus: 404, etag: null, owner: none };
      const c = await repo.certificateByNumber(ctx.db, norm);
      if (!c) return { body: { ...empty(input, 'unknown'), kind: 'certificate', kindName: '承诺达标合格证', statusText: '查无此合格证：可能输错或为伪造，请核对或举报', statusTextEn: 'No such certificate: mistyped or forged; check it or report it' }, httpStatus: 404, etag: null, owner: none };
      const body: PublicTrace = {
        ...empty(input, 'active'), code: c.number, kind: 'certificate', kindName: '承诺达标合格证', statusText: '合格证真实有效', statusTextEn: 'The certificate is genuine',
        certificate: { number: c.number, valid: true, productName: c.product_name, quantity: Number(c.quantity), unit: c.unit, subjectName: c.subject_name, origin: c.origin, issuedAt: c.issued_at.toISOString() },
      };
      let etag: string | null = null;
      if (c.batch_id) {
        const { doc, etag: e } = await publicDocOf(ctx.db, c.batch_id, await ctx.db.selectFrom('public_trace').select(['doc', 'etag']).where('batch_id', '=', c.batch_id).executeTakeFirst());
        Object.assign(body, { origins: doc.origins, moreOrigins: doc.moreOrigins, recall: doc.recall });
        if (doc.recall) Object.assign(body, { status: 'recalled', statusText: STATUS_TEXT.recalled[0], statusTextEn: STATUS_TEXT.recalled[1] });
        etag = `c${e}`;
      }
      return { body, httpStatus: 200, etag, owner: { ...none, subjectId: c.subject_id, divisionCode: c.division_code } };
    }
    const body = empty(input, 'malformed');
    if (parsed.error === 'check') {
      Object.assign(body, { hint: MISTYPED[0], hintEn: MISTYPED[1] });
      if (norm.length === SHORT_LENGTH) {
        const ours = platformOfConfig(ctx.config);
        const keys = oneErrorAway(norm)
          .map((c) => parseCode(c))
          .flatMap((p) => (p.ok && p.code.platform === ours ? [{ kind: KIND_DIGIT[p.code.kind], serial: p.code.serial }] : []));
        const found = await repo.existingKeys(ctx.db, keys.slice(0, 400));
        body.suggestions = found.map((k) => shortCode({ kind: DIGIT_KIND[k.kind], platform: ours, serial: k.serial }));
      }
    } else if (parsed.error === 'length') Object.assign(body, { hint: LENGTH[0], hintEn: LENGTH[1] });
    else Object.assign(body, { hint: '请输入标签上的 20 位追溯码，或直接扫描二维码', hintEn: 'Type the 20-digit code printed on the label, or scan the QR code' });
    return { body, httpStatus: 404, etag: null, owner: none };
  }
  const c = parsed.code;
  const base: PublicTrace = { ...empty(input, 'active'), code: c.short, kind: c.kind, kindName: KIND_NAMES[c.kind].zh };
  const setStatus = (b: PublicTrace, s: PublicStatus) => Object.assign(b, { status: s, statusText: STATUS_TEXT[s][0], statusTextEn: STATUS_TEXT[s][1] });
  if (c.platform !== platformOfConfig(ctx.config)) return { body: setStatus(base, 'foreign'), httpStatus: 404, etag: null, owner: none };
  const kindDigit = KIND_DIGIT[c.kind];
  const row = await repo.lookup(ctx.db, kindDigit, c.serial, prepared);
  if (!row || (c.form === 'long' && longCode(c, row.issued_at) !== norm)) return { body: setStatus(base, 'unknown'), httpStatus: 404, etag: null, owner: { ...none, kind: kindDigit, serial: c.serial } };
  const owner = { kind: kindDigit, serial: c.serial, subjectId: row.subject_id, divisionCode: row.division_code };
  base.longCode = longCode(c, row.issued_at);
  if (c.kind === 'subject') {
    const card = await subjectCard(ctx, { id: row.subject_id });
    return { body: { ...base, subject: card }, httpStatus: 200, etag: null, owner };
  }
  if (row.status === 'I') return { body: setStatus(base, 'inactive'), httpStatus: 200, etag: 'I', owner };
  if (row.status === 'V') return { body: setStatus(base, 'void'), httpStatus: 200, etag: 'V', owner };
  if (!row.batch_id) return { body: base, httpStatus: 200, etag: 'A0', owner };
  const cached = await cachedDoc(ctx, row.batch_id, row.etag, prepared);
  const doc = cached.doc;
  Object.assign(base, { origins: doc.origins, moreOrigins: doc.moreOrigins, recall: doc.recall });
  if (doc.recall) setStatus(base, 'recalled');
  return { body: base, httpStatus: 200, etag: `A${cached.etag}`, owner, cached };
}

/** Records a query (buffered; see querylog.ts). */
export function record(log: QueryLog, ctx: Ctx<Actor | null>, input: string, r: LookupResult, channel: 'html' | 'json' | 'view', viewer: Viewer['role'], geo?: { lat?: number; lng?: number }) {
  log.push({
    at: new Date(), code: (r.body.code ?? input).slice(0, 64), kind: r.owner.kind, serial: r.owner.serial, result: r.body.kind === 'subject' ? 'subject' : r.body.kind === 'certificate' && r.body.status === 'active' ? 'certificate' : r.body.status,
    channel, viewer, actorId: ctx.actor?.id ?? null, subjectId: r.owner.subjectId, divisionCode: r.owner.divisionCode, ip: ctx.ip, userAgent: ctx.userAgent ?? null,
    latitude: geo?.lat ?? null, longitude: geo?.lng ?? null,
  });
}

// ── authenticated: producers and regulators ─────────────────────────────────
/** The trace view of a code for a producer (own + one step) or a regulator (jurisdiction); 403 beyond reach. */
export async function getTraceView(ctx: Ctx, log: QueryLog, text: string) {
  const viewer = await viewerOf(ctx);
  const r = await lookupPublic(ctx, text);
  record(log, ctx, text, r, 'view', viewer.role);
  if (r.httpStatus === 404) throw new Problem('TRACE_CODE_UNKNOWN', { code: text.slice(0, 64), reasonZh: r.body.hint ?? r.body.statusText, reasonEn: r.body.hintEn ?? r.body.statusTextEn, field: 'code' });
  let batchId: string | null = null;
  if (r.owner.kind !== null && r.owner.serial !== null) {
    const c = await ctx.db.selectFrom('trace_code').select('batch_id').where('kind', '=', r.owner.kind).where('serial', '=', r.owner.serial).executeTakeFirst();
    batchId = c?.batch_id ?? null;
  } else if (r.body.kind === 'certificate' && r.body.certificate) {
    batchId = (await repo.certificateByNumber(ctx.db, r.body.certificate.number))?.batch_id ?? null;
  }
  if (!batchId) {
    if (!mayReadLogsOf(viewer, r.owner)) throw new Problem('OUT_OF_TRACE_REACH');
    return { public: r.body, view: null };
  }
  const view = await traceView(ctx.db, viewer, batchId);
  if (!view) throw new Problem('OUT_OF_TRACE_REACH');
  return { public: r.body, view };
}

function parseFilterCode(ctx: Ctx, code: string | undefined) {
  if (!code) return undefined;
  const p = parseCode(code);
  if (!p.ok) throw problems.invalid('code', '不是有效的追溯码', 'is not a valid trace code');
  if (p.code.platform !== platformOfConfig(ctx.config)) throw problems.invalid('code', '不是本平台签发的码', 'was not issued by this platform');
  return { kind: KIND_DIGIT[p.code.kind], serial: p.code.serial };
}

/** Query log: regulators within their jurisdiction, producers their own codes' queries. */
export async function listQueryLogs(ctx: Ctx, q: { code?: string; from?: string; to?: string; page?: number; pageSize?: number }) {
  const viewer = await viewerOf(ctx);
  if (viewer.role === 'consumer') throw new Problem('NOT_A_PRODUCER');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const code = parseFilterCode(ctx, q.code);
  if (q.from && q.to && q.to < q.from) throw problems.invalid('to', '结束时间不能早于开始时间', 'must not be before `from`');
  const filter: repo.LogFilter = viewer.role === 'producer' ? { subjectId: viewer.subjectId } : { scope: viewer.scope };
  const { rows, total } = await repo.listLogs(ctx.db, filter, { code, from: q.from ? new Date(q.from) : undefined, to: q.to ? new Date(q.to) : undefined, limit: pageSize, offset: (page - 1) * pageSize });
  const full = viewer.role === 'regulator';
  return {
    items: rows.map((r) => ({
      id: Number(r.id), at: r.at.toISOString(), code: r.code, result: r.result, channel: r.channel, viewer: r.viewer,
      anonymous: r.actor_id === null, actorId: full ? r.actor_id : null, divisionCode: r.division_code,
      // Producers see where from only coarsely (the network), never consumers' full addresses.
      clientIp: full ? r.client_ip : null, clientNet: r.client_net, userAgent: r.user_agent,
      latitude: r.latitude, longitude: r.longitude,
    })),
    total, page, pageSize,
  };
}

/** Producers: how often each of their codes was queried. */
export async function listScanCounts(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const viewer = await viewerOf(ctx);
  if (viewer.role !== 'producer') throw new Problem('NOT_A_PRODUCER');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const rows = await repo.scanCounts(ctx.db, viewer.subjectId, pageSize, (page - 1) * pageSize);
  const totals = await repo.scanTotal(ctx.db, viewer.subjectId);
  const platform = platformOfConfig(ctx.config);
  return {
    items: rows.map((r) => ({ code: shortCode({ kind: DIGIT_KIND[r.code_kind], platform, serial: Number(r.code_serial) }), scans: Number(r.n), firstAt: r.first_at.toISOString(), lastAt: r.last_at.toISOString() })),
    total: totals.codes, totalScans: totals.scans, page, pageSize,
  };
}

/** The JSON body as a string, reusing the cached serialisation of the origins (the bulk of it). */
export function jsonOf(b: PublicTrace, cached?: CachedDoc): string {
  if (!cached || b.subject || b.certificate) return JSON.stringify(b);
  cached.originsJson ??= JSON.stringify(cached.doc.origins);
  const { origins: _o, ...rest } = b;
  return `${JSON.stringify(rest).slice(0, -1)},"origins":${cached.originsJson}}`;
}
