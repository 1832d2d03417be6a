import { dammValid, mod37_2Valid } from '../../kernel/checkchar.js';
import {
  type CodeKind,
  KIND_DIGIT,
  KIND_NAMES,
  SHORT_LENGTH,
  longCode,
  normaliseCode,
  parseCertificateNumber,
  parseCode,
  shortCode,
} from '../../kernel/codes.js';
import type { Kysely } from 'kysely';
import { ancestorsOf } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import type { DB } from '../../schema.js';
import { platformOfConfig } from '../codes/service.js';
import { issuerOf, remoteTrace } from './remote.js';
import { IDENTITY_CODE_RE } from '../subjects/identity.js';
import { CERTIFICATIONS, INDUSTRIES, ORG_FORMS } from '../subjects/service.js';
import * as repo from './repo.js';
import type { PublicResolver } from './resolver.js';
import type { PublicDoc, PublicStatus, PublicTrace, SubjectCard } from './schemas.js';
import { maskPersonName, publicDocOf } from './visibility.js';

/**
 * The public lookup (the hot path of /t/{code} and its JSON twin): a code, certificate number or identity code →
 * the consumer-level document. One prepared statement and an etag-validated in-process cache (see docs/public.md).
 */
export const DIGIT_KIND = Object.fromEntries(Object.entries(KIND_DIGIT).map(([k, d]) => [d, k as CodeKind])) as Record<
  number,
  CodeKind
>;

export const STATUS_TEXT: Record<PublicStatus, [string, string]> = {
  active: ['追溯码有效', 'Valid trace code'],
  inactive: [
    '此码尚未激活：商品可能尚未上市，请向销售者核实',
    'Not activated yet: the product may not be on sale yet; check with the seller',
  ],
  void: ['此码已作废：请勿购买，可向监管部门举报', 'This code has been voided: do not buy; you may report it'],
  recalled: [
    '此批产品已被召回，请停止食用和销售，已购买的请联系销售者退货或拨打 12316',
    'This product has been recalled: stop eating or selling it; return it to the seller or call 12316',
  ],
  at_risk: [
    '此批产品的监督抽检不合格，监管部门正在处置，请暂停食用和销售，关注后续召回信息',
    'An official test of this product failed and the authorities are handling it: stop eating or selling it and watch for a recall',
  ],
  unknown: [
    '查无此码：可能输错，也可能是假冒标识，请核对或举报',
    'No such code: it may be mistyped, or the label may be counterfeit; check it or report it',
  ],
  malformed: ['不是有效的追溯码', 'Not a valid trace code'],
  foreign: ['此码由其他追溯平台签发', 'Issued by another traceability platform'],
  unavailable: [
    '签发此码的追溯平台暂时无法连接，请稍后再试',
    'The platform that issued this code cannot be reached right now; please try again in a moment',
  ],
};

/** What the lookup hands the route: the document, HTTP status, ETag and the owner (for the log). */
export interface LookupResult {
  body: PublicTrace;
  httpStatus: 200 | 404 | 503;
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

/**
 * Where a lookup reads from: the in-process resolver when it can answer, else the database — `ctx.db` with
 * `prepared` (its prepared statements), which may be the read replica (DATABASE_READ_URL).
 */
export interface LookupSource {
  prepared?: repo.Prepared;
  resolver?: PublicResolver;
  /**
   * The primary, when `ctx.db` may be a replica. What fills the resolver's memory is read here (memory follows the
   * primary's notifications: a lagging replica would put back what a notification just removed), and a missing
   * projection is built and stored here (a replica is read-only).
   */
  primary?: { db: Kysely<DB>; prepared?: repo.Prepared };
}

/** The code's row: from the resolver's memory when it knows it, else from the database (and then remembered). */
async function codeRow(ctx: Ctx<Actor | null>, kind: number, serial: number, src: LookupSource) {
  const { resolver, prepared } = src;
  if (resolver) {
    await resolver.fresh();
    const known = resolver.code(kind, serial);
    if (known !== undefined) return { row: known ?? undefined, etag: undefined };
    if (resolver.fills()) {
      const from = src.primary ?? { db: ctx.db, prepared };
      const ticket = resolver.mark();
      const row = await repo.lookup(from.db, kind, serial, from.prepared);
      resolver.learn(ticket, kind, serial, row);
      return { row, etag: row?.etag };
    }
  }
  const row = await repo.lookup(ctx.db, kind, serial, prepared);
  return { row, etag: row?.etag };
}

/** The batch's document: the resolver's (valid until its projection is deleted), else the etag-validated cache. */
async function batchDoc(
  ctx: Ctx<Actor | null>,
  batchId: string,
  etag: string | null | undefined,
  src: LookupSource,
): Promise<CachedDoc> {
  const { resolver, prepared } = src;
  if (resolver?.fills()) {
    const held = resolver.doc(batchId);
    if (held) return held;
    const from = src.primary ?? { db: ctx.db, prepared };
    const ticket = resolver.mark();
    const row = await repo.projectionDoc(from.db, batchId, from.prepared);
    const built = await publicDocOf(from.db, batchId, row ?? null);
    const entry: CachedDoc = { etag: built.etag, doc: built.doc };
    resolver.keepDoc(ticket, batchId, entry);
    return entry;
  }
  return cachedDoc(ctx, batchId, etag ?? null, src);
}

async function cachedDoc(
  ctx: Ctx<Actor | null>,
  batchId: string,
  etag: string | null,
  src: LookupSource,
): Promise<CachedDoc> {
  const hit = etag ? docCache.get(batchId) : undefined;
  if (hit && hit.etag === etag) return hit;
  const row = etag ? await repo.projectionDoc(ctx.db, batchId, src.prepared) : undefined;
  // A missing projection is built (and stored) on the primary.
  const built = await publicDocOf(row?.doc ? ctx.db : (src.primary?.db ?? ctx.db), batchId, row ?? null);
  const entry: CachedDoc = { etag: built.etag, doc: built.doc };
  if (docCache.size >= DOC_CACHE_MAX) docCache.delete(docCache.keys().next().value as string);
  docCache.set(batchId, entry);
  return entry;
}

const empty = (input: string, status: PublicStatus): PublicTrace => ({
  input,
  code: null,
  longCode: null,
  kind: null,
  kindName: null,
  kindNameEn: null,
  status,
  statusText: STATUS_TEXT[status][0],
  statusTextEn: STATUS_TEXT[status][1],
  hint: null,
  hintEn: null,
  suggestions: [],
  recall: null,
  risk: null,
  origins: [],
  moreOrigins: 0,
  subject: null,
  certificate: null,
});

/**
 * Candidate codes one typing error away that pass Damm: every single substitution and adjacent transposition, and,
 * when a digit was dropped or doubled (one short or one long), every insertion or deletion of one digit.
 */
export function oneErrorAway(s: string, length = s.length): string[] {
  const out = new Set<string>();
  if (s.length === length - 1) {
    for (let i = 0; i <= s.length; i++)
      for (let d = 0; d <= 9; d++) {
        const c = s.slice(0, i) + d + s.slice(i);
        if (dammValid(c)) out.add(c);
      }
    return [...out];
  }
  if (s.length === length + 1) {
    for (let i = 0; i < s.length; i++) {
      const c = s.slice(0, i) + s.slice(i + 1);
      if (dammValid(c)) out.add(c);
    }
    return [...out];
  }
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

const CERTIFICATE_KIND = {
  kind: 'certificate',
  kindName: '承诺达标合格证',
  kindNameEn: 'commitment compliance certificate',
} as const;

const MISTYPED: [string, string] = [
  '校验位不符：很可能有一位数字输错或两位数字颠倒了，请对照标签逐位核对，或直接扫描二维码',
  'The check character does not match: a digit was probably mistyped or two digits swapped; compare it with the label digit by digit, or scan the QR code',
];
const LENGTH: [string, string] = [
  '位数不对：追溯码是 20 位数字（或 29 位字母数字长码），请核对是否漏输或多输',
  'Wrong length: a trace code has 20 digits (or 29 characters in the long form); check for missing or extra characters',
];

const SUBJECT_TYPES = {
  production: { zh: '生产', en: 'production' },
  operation: { zh: '经营', en: 'trade' },
  both: { zh: '生产经营', en: 'production and trade' },
} as const;
const SUBJECT_STATUS = {
  active: { zh: '已在追溯平台登记的生产经营主体', en: 'A producer registered with the traceability platform' },
  pending: { zh: '登记审核中', en: 'Registration under review' },
  gone: { zh: '该主体已注销或被撤销登记', en: 'The registration was cancelled or revoked' },
};

async function subjectCard(
  ctx: Ctx<Actor | null>,
  by: { id?: string; identityCode?: string },
): Promise<SubjectCard | null> {
  const s = await repo.subjectCard(ctx.db, by);
  if (!s) return null;
  const person = s.org_form === 'individual' || s.org_form === 'family_farm';
  const active =
    s.status === 'approved' ||
    s.status === 'change_pending' ||
    s.status === 'cancel_pending' ||
    s.status === 'revoke_pending';
  const div = await repo.divisionsIn(ctx.db, ancestorsOf(s.division_code));
  const subjectType = SUBJECT_TYPES[s.subject_type as keyof typeof SUBJECT_TYPES];
  const orgForm = ORG_FORMS[s.org_form];
  const industries = s.industries.map((i) => (INDUSTRIES as Record<string, { zh: string; en: string }>)[i]);
  const marks = s.certifications.map((c) => CERTIFICATIONS[c]);
  const status = active ? SUBJECT_STATUS.active : s.status === 'pending' ? SUBJECT_STATUS.pending : SUBJECT_STATUS.gone;
  return {
    name: person ? maskPersonName(s.name) : s.name,
    orgFormName: orgForm?.zh ?? s.org_form,
    orgFormNameEn: orgForm?.en ?? s.org_form,
    subjectType: subjectType?.zh ?? s.subject_type,
    subjectTypeEn: subjectType?.en ?? s.subject_type,
    industries: industries.map((x, i) => x?.zh ?? s.industries[i]),
    industriesEn: industries.map((x, i) => x?.en ?? s.industries[i]),
    marks: marks.map((x, i) => x?.zh ?? s.certifications[i]),
    marksEn: marks.map((x, i) => x?.en ?? s.certifications[i]),
    divisionName: div.map((d) => d.name).join(''),
    identityCode: s.identity_code,
    status: active ? 'approved' : s.status,
    statusText: status.zh,
    statusTextEn: status.en,
    approvedAt: s.approved_at?.toISOString() ?? null,
  };
}

/**
 * The public lookup (consumer level, seed 003: 消费者只能查询到产地追溯信息). Resolves every code kind: batch codes
 * (production, circulation, voucher, temporary) → origin; subject identity codes (short kind 5 or the 21-character
 * identity code) → a public subject card; certificate numbers → verification plus the batch's origin.
 */
export async function lookupPublic(
  ctx: Ctx<Actor | null>,
  text: string,
  src: LookupSource = {},
  /** Relays this request already went through (the `x-suyuan-relay-hops` header of a platform asking us). */
  hops = 0,
): Promise<LookupResult> {
  const none = { kind: null, serial: null, subjectId: null, divisionCode: null };
  const input = text.trim();
  const norm = normaliseCode(input);
  const parsed = parseCode(input);
  if (!parsed.ok) {
    // Not a trace code: a subject identity code, a certificate number, or a mistake.
    if (IDENTITY_CODE_RE.test(norm)) {
      if (!mod37_2Valid(norm))
        return {
          body: { ...empty(input, 'malformed'), hint: MISTYPED[0], hintEn: MISTYPED[1] },
          httpStatus: 404,
          etag: null,
          owner: none,
        };
      const card = await subjectCard(ctx, { identityCode: norm });
      if (!card) return { body: empty(input, 'unknown'), httpStatus: 404, etag: null, owner: none };
      const s = await repo.subjectCard(ctx.db, { identityCode: norm });
      return {
        body: {
          ...empty(input, card.status === 'approved' ? 'active' : 'void'),
          kind: 'subject',
          kindName: KIND_NAMES.subject.zh,
          kindNameEn: KIND_NAMES.subject.en,
          code: norm,
          subject: card,
        },
        httpStatus: 200,
        etag: null,
        owner: { ...none, subjectId: s?.id ?? null, divisionCode: s?.division_code ?? null },
      };
    }
    if (/^HG\d{17}$/.test(norm)) {
      if (!parseCertificateNumber(norm))
        return {
          body: {
            ...empty(input, 'malformed'),
            ...CERTIFICATE_KIND,
            hint: MISTYPED[0],
            hintEn: MISTYPED[1],
          },
          httpStatus: 404,
          etag: null,
          owner: none,
        };
      const c = await repo.certificateByNumber(ctx.db, norm);
      if (!c)
        return {
          body: {
            ...empty(input, 'unknown'),
            ...CERTIFICATE_KIND,
            statusText: '查无此合格证：可能输错或为伪造，请核对或举报',
            statusTextEn: 'No such certificate: mistyped or forged; check it or report it',
          },
          httpStatus: 404,
          etag: null,
          owner: none,
        };
      const body: PublicTrace = {
        ...empty(input, 'active'),
        code: c.number,
        ...CERTIFICATE_KIND,
        statusText: '合格证真实有效',
        statusTextEn: 'The certificate is genuine',
        certificate: {
          number: c.number,
          valid: true,
          productName: c.product_name,
          quantity: Number(c.quantity),
          unit: c.unit,
          subjectName: c.subject_name,
          origin: c.origin,
          issuedAt: c.issued_at.toISOString(),
        },
      };
      let etag: string | null = null;
      if (c.batch_id) {
        const row = await repo.projectionDoc(ctx.db, c.batch_id);
        const { doc, etag: e } = await publicDocOf(row?.doc ? ctx.db : (src.primary?.db ?? ctx.db), c.batch_id, row);
        Object.assign(body, {
          origins: doc.origins,
          moreOrigins: doc.moreOrigins,
          recall: doc.recall,
          risk: doc.risk ?? null,
        });
        const warn = doc.recall ? 'recalled' : doc.risk ? 'at_risk' : null;
        if (warn)
          Object.assign(body, { status: warn, statusText: STATUS_TEXT[warn][0], statusTextEn: STATUS_TEXT[warn][1] });
        etag = `c${e}`;
      }
      return {
        body,
        httpStatus: 200,
        etag,
        owner: { ...none, subjectId: c.subject_id, divisionCode: c.division_code },
      };
    }
    const body = empty(input, 'malformed');
    const nearLength = parsed.error === 'length' && /^\d+$/.test(norm) && Math.abs(norm.length - SHORT_LENGTH) === 1;
    if (parsed.error === 'check' || nearLength) {
      Object.assign(
        body,
        nearLength ? { hint: LENGTH[0], hintEn: LENGTH[1] } : { hint: MISTYPED[0], hintEn: MISTYPED[1] },
      );
      if (Math.abs(norm.length - SHORT_LENGTH) <= 1) {
        const ours = platformOfConfig(ctx.config);
        const keys = oneErrorAway(norm, SHORT_LENGTH)
          .map((c) => parseCode(c))
          .flatMap((p) =>
            p.ok && p.code.platform === ours ? [{ kind: KIND_DIGIT[p.code.kind], serial: p.code.serial }] : [],
          );
        const some = keys.slice(0, 400);
        if (src.resolver) await src.resolver.fresh();
        const found = src.resolver?.existing(some) ?? (await repo.existingKeys(ctx.db, some));
        body.suggestions = found.map((k) => shortCode({ kind: DIGIT_KIND[k.kind], platform: ours, serial: k.serial }));
      }
    } else if (parsed.error === 'length') Object.assign(body, { hint: LENGTH[0], hintEn: LENGTH[1] });
    else
      Object.assign(body, {
        hint: '请输入标签上的 20 位追溯码，或直接扫描二维码',
        hintEn: 'Type the 20-digit code printed on the label, or scan the QR code',
      });
    return { body, httpStatus: 404, etag: null, owner: none };
  }
  const c = parsed.code;
  const base: PublicTrace = {
    ...empty(input, 'active'),
    code: c.short,
    kind: c.kind,
    kindName: KIND_NAMES[c.kind].zh,
    kindNameEn: KIND_NAMES[c.kind].en,
    issuer: await issuerOf(ctx, c.platform),
  };
  const setStatus = (b: PublicTrace, s: PublicStatus) =>
    Object.assign(b, { status: s, statusText: STATUS_TEXT[s][0], statusTextEn: STATUS_TEXT[s][1] });
  if (c.platform !== platformOfConfig(ctx.config)) {
    // 通查通识: asked of the platform that knows it; the consumer is never sent elsewhere.
    const remote = await remoteTrace(ctx, c, hops);
    if (remote.kind === 'found')
      return { body: { ...remote.body, input, issuer: base.issuer }, httpStatus: 200, etag: null, owner: none };
    if (remote.kind === 'unavailable')
      return { body: setStatus(base, 'unavailable'), httpStatus: 503, etag: null, owner: none };
    return { body: setStatus(base, 'unknown'), httpStatus: 404, etag: null, owner: none };
  }
  const kindDigit = KIND_DIGIT[c.kind];
  const { row, etag } = await codeRow(ctx, kindDigit, c.serial, src);
  if (!row || (c.form === 'long' && longCode(c, row.issued_at) !== norm))
    return {
      body: setStatus(base, 'unknown'),
      httpStatus: 404,
      etag: null,
      owner: { ...none, kind: kindDigit, serial: c.serial },
    };
  const owner = { kind: kindDigit, serial: c.serial, subjectId: row.subject_id, divisionCode: row.division_code };
  base.longCode = longCode(c, row.issued_at);
  if (c.kind === 'subject') {
    const card = await subjectCard(ctx, { id: row.subject_id });
    return { body: { ...base, subject: card }, httpStatus: 200, etag: null, owner };
  }
  if (row.status === 'I') return { body: setStatus(base, 'inactive'), httpStatus: 200, etag: 'I', owner };
  if (row.status === 'V') return { body: setStatus(base, 'void'), httpStatus: 200, etag: 'V', owner };
  if (!row.batch_id) return { body: base, httpStatus: 200, etag: 'A0', owner };
  const cached = await batchDoc(ctx, row.batch_id, etag, src);
  const doc = cached.doc;
  Object.assign(base, {
    origins: doc.origins,
    moreOrigins: doc.moreOrigins,
    recall: doc.recall,
    risk: doc.risk ?? null,
  });
  if (doc.recall) setStatus(base, 'recalled');
  else if (doc.risk) setStatus(base, 'at_risk');
  return { body: base, httpStatus: 200, etag: `A${cached.etag}`, owner, cached };
}

/** The JSON body as a string, reusing the cached serialisation of the origins (the bulk of it). */
export function jsonOf(b: PublicTrace, cached?: CachedDoc): string {
  if (!cached || b.subject || b.certificate) return JSON.stringify(b);
  cached.originsJson ??= JSON.stringify(cached.doc.origins);
  const { origins: _o, ...rest } = b;
  return `${JSON.stringify(rest).slice(0, -1)},"origins":${cached.originsJson}}`;
}
