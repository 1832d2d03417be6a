import { type Kysely, sql } from 'kysely';
import { audit, auditOutsideRequest } from '../../kernel/audit.js';
import {
  type CodeKind,
  KIND_DIGIT,
  KIND_NAMES,
  type ParsedCode,
  codeUrl,
  longCode,
  parseCode,
  platformOf,
  platformPart,
  shortCode,
} from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { type JobContext, type JobDef, enqueue, yieldToRequests } from '../../kernel/jobs.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { Config } from '../../config.js';
import type { DB } from '../../schema.js';
import { type Producer, producerOf } from '../catalog/owner.js';
import * as repo from './repo.js';
import { DEVICE_RESERVATION_STATE_NAMES, type DeviceReservationState } from './tables.js';
import type {
  ActivateInput,
  CodeUseInput,
  DeviceReservation,
  DeviceReservationItem,
  DeviceReservationQuery,
  DeviceReserveInput,
  IssueCodesInput,
  ReserveInput,
} from './schemas.js';
import { csvLine } from '../../kernel/spreadsheet.js';

const DIGIT_TO_KIND = Object.fromEntries(Object.entries(KIND_DIGIT).map(([k, d]) => [d, k as CodeKind]));
export const platformOfConfig = (config: Config) => platformPart(config.platformRegion);

export function codeText(config: Config, kind: CodeKind, serial: number) {
  return shortCode({ kind, platform: platformOfConfig(config), serial });
}

export const PARSE_REASONS: Record<string, [string, string]> = {
  empty: ['内容为空', 'it is empty'],
  length: [
    '位数不对（短码 20 位数字，长码 29 位）',
    'wrong length (short codes have 20 digits, long codes 29 characters)',
  ],
  characters: ['含有不允许的字符', 'it contains characters a code never has'],
  check: [
    '校验位不符，可能有输错或看错的字符',
    'the check character does not match: a character was probably mistyped or misread',
  ],
  kind: ['码类型不存在', 'no such code kind'],
  platform: ['平台代码不合法', 'invalid platform part'],
  tier: ['平台层级与区划不符', 'platform tier does not match its region'],
};

/** Parses a code typed or scanned by a producer; a malformed one is a 400 naming `field`. */
export function parseOwnCode(config: Config, text: string, field: string, kinds: CodeKind[]): ParsedCode {
  const p = parseCode(text);
  if (!p.ok)
    throw new Problem('CODE_MALFORMED', {
      code: text,
      reasonZh: PARSE_REASONS[p.error][0],
      reasonEn: PARSE_REASONS[p.error][1],
      field,
    });
  if (!kinds.includes(p.code.kind))
    throw problems.invalid(
      field,
      `应为${kinds.map((k) => KIND_NAMES[k].zh).join('或')}`,
      `must be a ${kinds.map((k) => KIND_NAMES[k].en).join(' or ')}`,
    );
  if (p.code.platform !== platformOfConfig(config))
    throw problems.invalid(field, '不是本平台签发的码', 'was not issued by this platform');
  return p.code;
}

export interface IssuedCode {
  code: string;
  url: string;
}

/** Issues `n` active codes of a kind for a producer, optionally bound to a batch. Set-based: one allocate + one INSERT. */
export async function issueCodes(
  ctx: Ctx,
  me: Producer,
  kind: CodeKind,
  n: number,
  batchId: string | null,
): Promise<{ first: number; codes: IssuedCode[] }> {
  const first = await repo.allocate(ctx.db, KIND_DIGIT[kind], n);
  await repo.insertRange(ctx.db, {
    kind: KIND_DIGIT[kind],
    first,
    n,
    status: 'A',
    subjectId: me.id,
    batchId,
    reservationId: null,
  });
  const platform = platformOfConfig(ctx.config);
  const codes: IssuedCode[] = [];
  for (let i = 0; i < n; i++) {
    const code = shortCode({ kind, platform, serial: first + i });
    codes.push({ code, url: codeUrl(ctx.config.publicBaseUrl, code) });
  }
  return { first, codes };
}

async function ownBatch(ctx: Ctx, me: Producer, batchId: string, field = 'batchId') {
  const b = await repo.batchHead(ctx.db, batchId);
  if (!b) throw problems.notFound('批次', 'Batch');
  if (b.subject_id !== me.id) throw problems.invalid(field, '不是本主体的批次', 'is not a batch of yours');
  return b;
}

/** Production line (mode d): codes singly or in blocks, for an API token at line speed. */
export async function issueTraceCodes(ctx: Ctx, input: IssueCodesInput) {
  const me = await producerOf(ctx, 'batches');
  const b = await ownBatch(ctx, me, input.batchId);
  const n = input.count ?? 1;
  const { codes } = await issueCodes(ctx, me, input.kind ?? 'production', n, b.id);
  await audit(ctx, {
    verb: 'code.issue',
    targetType: 'batch',
    targetId: b.id,
    divisionCode: b.division_code,
    summary: { count: n, first: codes[0].code },
  });
  return { batchId: b.id, count: n, codes };
}

// ── mode (c): reservations for a third-party printer ─────────────────────────
export const INLINE_RESERVATION = 100_000;
const CHUNK = 100_000;

export const reservationDto = (config: Config, r: NonNullable<Awaited<ReturnType<typeof repo.reservationById>>>) => {
  const kind = DIGIT_TO_KIND[r.kind];
  return {
    id: r.id,
    kind,
    count: r.count,
    firstCode: codeText(config, kind, Number(r.first_serial)),
    lastCode: codeText(config, kind, Number(r.first_serial) + r.count - 1),
    printer: r.printer,
    status: r.status,
    jobId: r.job_id,
    activated: r.activated,
    createdAt: r.created_at.toISOString(),
  };
};

export async function reserveCodes(ctx: Ctx, input: ReserveInput) {
  const me = await producerOf(ctx, 'own');
  const kind = KIND_DIGIT.production;
  const first = await repo.allocate(ctx.db, kind, input.count);
  const r = await repo.insertReservation(ctx.db, {
    subject_id: me.id,
    division_code: me.divisionCode,
    kind,
    first_serial: first,
    count: input.count,
    printer: input.printer ?? null,
    created_by: ctx.actor.id,
  });
  if (input.count <= INLINE_RESERVATION) {
    await issueInline(ctx, kind, first, input.count, me.id, r);
  } else {
    const job = await enqueue(ctx, 'codes.reserve', { reservationId: r.id }, { divisionCode: me.divisionCode });
    await repo.setReservation(ctx.db, r.id, { job_id: job.id });
  }
  await audit(ctx, {
    verb: 'code.reserve',
    targetType: 'code_reservation',
    targetId: r.id,
    divisionCode: me.divisionCode,
    summary: { count: input.count, printer: input.printer ?? null },
  });
  return reservationDto(
    ctx.config,
    (await repo.reservationById(ctx.db, r.id)) as NonNullable<Awaited<ReturnType<typeof repo.reservationById>>>,
  );
}

/** Background generation of a large reservation, in chunks, resumable (continues after the rows already there). */
export async function runReservation(
  db: Kysely<DB>,
  reservationId: string,
  progress: (done: number, total?: number) => Promise<void>,
) {
  const r = await repo.reservationById(db, reservationId);
  if (!r || r.status === 'ready') return { skipped: true };
  const first = Number(r.first_serial);
  const have = await db
    .selectFrom('trace_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', r.kind)
    .where('serial', '>=', first)
    .where('serial', '<', first + r.count)
    .executeTakeFirstOrThrow();
  let done = Number(have.n);
  await progress(done, r.count);
  while (done < r.count) {
    const n = Math.min(CHUNK, r.count - done);
    await repo.insertRange(db, {
      kind: r.kind,
      first: first + done,
      n,
      status: 'I',
      subjectId: r.subject_id,
      batchId: null,
      reservationId: r.id,
      issuedAt: r.created_at,
    });
    done += n;
    await progress(done);
  }
  await repo.setReservation(db, r.id, { status: 'ready' });
  return { count: r.count };
}
/** The `codes.reserve` job: fills a third-party reservation. */
export const reserveJob: JobDef = {
  run: (job: JobContext) => runReservation(job.db, String(job.payload.reservationId), job.progress),
};

export async function getReservation(ctx: Ctx, id: string) {
  const me = await producerOf(ctx, 'own');
  const r = await repo.reservationById(ctx.db, id);
  if (!r || r.subject_id !== me.id) throw problems.notFound('预留码段', 'Reservation');
  return r;
}

export async function listReservations(ctx: Ctx) {
  const me = await producerOf(ctx, 'own');
  return (await repo.listReservations(ctx.db, me.id)).map((r) => reservationDto(ctx.config, r));
}

/** The printer's file: CSV rows computed from the serial range (no database read per code). */
export async function* reservationCsv(
  config: Config,
  r: { kind: number; first_serial: number; count: number; created_at: Date },
) {
  const kind = DIGIT_TO_KIND[r.kind];
  const platform = platformOfConfig(config);
  yield '\ufeff序号 No,追溯码 Code,二维码内容 QR URL,长码 Long code\n';
  const first = Number(r.first_serial);
  let buf = '';
  for (let i = 0; i < r.count; i++) {
    const key = { kind, platform, serial: first + i };
    const s = shortCode(key);
    buf += `${csvLine([i + 1, s, codeUrl(config.publicBaseUrl, s), longCode(key, r.created_at)])}\n`;
    if (buf.length > 256_000) {
      yield buf;
      buf = '';
    }
  }
  yield buf;
}

/** Activation (mode c): by a range of printed codes, or by scanned codes; all or nothing. */
export async function activateCodes(ctx: Ctx, input: ActivateInput) {
  const me = await producerOf(ctx, 'own');
  const b = await ownBatch(ctx, me, input.batchId);
  let expected: number;
  let activated: number;
  const kind = KIND_DIGIT.production;
  if (input.codes?.length) {
    const serials = [
      ...new Set(input.codes.map((c, i) => parseOwnCode(ctx.config, c, `codes.${i}`, ['production']).serial)),
    ];
    expected = serials.length;
    activated = await activateSql(ctx.db, { kind, subjectId: me.id, batchId: b.id, serials });
  } else {
    if (!input.from || !input.to)
      throw problems.invalid(
        input.from ? 'to' : 'from',
        '按码段激活须同时给出起止码，或改用 codes 逐个扫码激活',
        'give both ends of the range, or scanned codes in `codes`',
      );
    const from = parseOwnCode(ctx.config, input.from, 'from', ['production']).serial;
    const to = parseOwnCode(ctx.config, input.to, 'to', ['production']).serial;
    if (to < from) throw problems.invalid('to', '结束码不能小于起始码', 'must not come before `from`');
    if (to - from >= 1_000_000)
      throw problems.invalid('to', '一次最多激活 1,000,000 个码', 'at most 1,000,000 codes at once');
    expected = to - from + 1;
    activated = await activateSql(ctx.db, { kind, subjectId: me.id, batchId: b.id, from, to });
  }
  if (activated !== expected)
    throw new Problem('CODES_NOT_ACTIVATABLE', {
      count: expected - activated,
      field: input.codes?.length ? 'codes' : 'from',
    });
  await audit(ctx, {
    verb: 'code.reserve',
    targetType: 'batch',
    targetId: b.id,
    divisionCode: b.division_code,
    summary: { activated, from: input.from ?? null, to: input.to ?? null },
  });
  return { batchId: b.id, activated };
}

/** One statement: activate, and add the counts to each reservation touched. */
async function activateSql(
  db: Kysely<DB>,
  v: { kind: number; subjectId: string; batchId: string; from?: number; to?: number; serials?: number[] },
) {
  const cond = v.serials
    ? sql`serial = ANY(${v.serials}::bigint[])`
    : sql`serial BETWEEN ${v.from}::bigint AND ${v.to}::bigint`;
  const r = await sql<{ n: number }>`
    WITH a AS (
      UPDATE trace_code SET status = 'A', batch_id = ${v.batchId}::uuid, activated_at = now()
      WHERE kind = ${v.kind} AND subject_id = ${v.subjectId}::uuid AND status = 'I' AND ${cond}
      RETURNING reservation_id),
    c AS (SELECT reservation_id, count(*)::int AS n FROM a GROUP BY reservation_id),
    u AS (UPDATE code_reservation r SET activated = r.activated + c.n FROM c WHERE r.id = c.reservation_id RETURNING r.id)
    SELECT coalesce(sum(n), 0)::int AS n FROM c`.execute(db);
  return Number(r.rows[0].n);
}

/** The subject's short identity code (kind 5), issued once; issue 3 may call this on approval. */
export async function ensureSubjectCode(db: Kysely<DB>, config: Config, subjectId: string): Promise<string> {
  const have = await repo.subjectCodeOf(db, subjectId);
  if (have) return codeText(config, 'subject', Number(have.serial));
  const first = await repo.allocate(db, KIND_DIGIT.subject, 1);
  await repo.insertRange(db, {
    kind: KIND_DIGIT.subject,
    first,
    n: 1,
    status: 'A',
    subjectId,
    batchId: null,
    reservationId: null,
  });
  return codeText(config, 'subject', first);
}

export { platformOf };

// ── Service facade: what other modules (trade's market gate) read of codes goes through here ─────────────────────
export const resolveRow = (db: Kysely<DB>, kind: number, serial: number) => repo.resolveRow(db, kind, serial);
/** Allocates `n` consecutive serials of a code kind (certificates number themselves from kind 0). */
export const allocateSerials = (db: Kysely<DB>, kind: number, n: number) => repo.allocate(db, kind, n);
/** The codes issued for a batch (labels print them). */
export const codesOfBatch = (db: Kysely<DB>, batchId: string, limit: number) => repo.codesOfBatch(db, batchId, limit);

// ── codes kept on a phone for offline labels (issue 16 item 2) ────────────────────────────────────────────────────
/**
 * A producer, its agency or an official acting for it reserves up to 500 codes for one batch while it has signal;
 * the phone keeps them (IndexedDB) and prints each label offline with the next one. Each printed code is reported
 * later (`reportCodeUse`, sent from the offline queue with an Idempotency-Key): it is activated for the batch. The
 * reservation belongs to the account that made it and expires (30 days by default); unused codes can be released.
 */
const DEVICE_RESERVATION = ['本机预留码', 'Device code reservation'] as const;
type ReservationRow = NonNullable<Awaited<ReturnType<typeof repo.reservationById>>>;

async function deviceDto(ctx: Ctx, r: ReservationRow, withCodes: boolean): Promise<DeviceReservation> {
  const head = await repo.labelHead(ctx.db, r.batch_id as string);
  const kind = DIGIT_TO_KIND[r.kind];
  const platform = platformOfConfig(ctx.config);
  const codes = [];
  if (withCodes)
    for (let i = 0; i < r.count; i++) {
      const code = shortCode({ kind, platform, serial: Number(r.first_serial) + i });
      codes.push({ code, url: codeUrl(ctx.config.publicBaseUrl, code) });
    }
  return {
    id: r.id,
    batchId: r.batch_id as string,
    batchNo: head.batch_no,
    productName: head.product_name,
    producerName: head.producer_name,
    count: r.count,
    used: r.activated,
    expiresAt: (r.expires_at as Date).toISOString(),
    releasedAt: r.released_at?.toISOString() ?? null,
    codes,
  };
}

export async function reserveForDevice(ctx: Ctx, input: DeviceReserveInput) {
  const me = await producerOf(ctx, 'batches');
  const b = await ownBatch(ctx, me, input.batchId);
  const kind = KIND_DIGIT.production;
  const first = await repo.allocate(ctx.db, kind, input.count);
  const r = await repo.insertReservation(ctx.db, {
    subject_id: me.id,
    division_code: me.divisionCode,
    kind,
    first_serial: first,
    count: input.count,
    printer: null,
    created_by: ctx.actor.id,
    purpose: 'device',
    batch_id: b.id,
    expires_at: new Date(Date.now() + (input.days ?? 30) * 86_400_000),
    device: input.device?.trim() || null,
  });
  await issueInline(ctx, kind, first, input.count, me.id, r);
  await audit(ctx, {
    verb: 'code.issue',
    targetType: 'batch',
    targetId: b.id,
    divisionCode: b.division_code,
    summary: { action: 'reserveForDevice', reservationId: r.id, count: input.count },
  });
  return deviceDto(ctx, { ...r, status: 'ready' }, true);
}

/** The device reservation, for its owner (the account that made it) only. */
async function ownDeviceReservation(ctx: Ctx, id: string, lock = true) {
  const r = await (lock ? repo.reservationForUpdate(ctx.db, id) : repo.reservationById(ctx.db, id));
  if (!r || r.purpose !== 'device' || r.created_by !== ctx.actor.id) throw problems.notFound(...DEVICE_RESERVATION);
  // Acting for the producer again (an agency's authorisation or a farmer's consent must still hold).
  const me = await producerOf(ctx, 'batches');
  if (me.id !== r.subject_id) throw problems.notFound(...DEVICE_RESERVATION);
  return r;
}

export async function getDeviceReservation(ctx: Ctx, id: string) {
  const r = await ownDeviceReservation(ctx, id, false);
  return deviceDto(ctx, r, true);
}

/** A label printed offline with a reserved code, reported when the signal returns: the code is activated once. */
export async function reportCodeUse(ctx: Ctx, id: string, input: CodeUseInput) {
  const r = await ownDeviceReservation(ctx, id);
  const parsed = parseOwnCode(ctx.config, input.code, 'code', ['production']);
  const first = Number(r.first_serial);
  const code = codeText(ctx.config, 'production', parsed.serial);
  if (parsed.serial < first || parsed.serial >= first + r.count)
    throw new Problem('CODE_NOT_IN_RESERVATION', { code, field: 'code' });
  const usedAt = new Date(input.usedAt);
  if (r.expires_at && usedAt > r.expires_at)
    throw new Problem('RESERVATION_EXPIRED', { expiresAt: r.expires_at.toISOString(), field: 'usedAt' });
  const row = await repo.codeForUpdate(ctx.db, r.kind, parsed.serial);
  // A label printed before the expiry and reported after the expiry job voided the unused codes is still accepted.
  const revive = !!row && row.status === 'V' && !!r.expired_at && !r.released_at;
  if (!row || (row.status === 'V' && !revive)) throw new Problem('CODE_NOT_IN_RESERVATION', { code, field: 'code' });
  if (row.status === 'A')
    throw new Problem('CODE_ALREADY_USED', {
      code,
      usedAt: (row.activated_at ?? row.issued_at).toISOString(),
      field: 'code',
    });
  await repo.useCode(
    ctx.db,
    r.kind,
    parsed.serial,
    r.batch_id as string,
    usedAt > new Date() ? new Date() : usedAt,
    revive,
  );
  await repo.bumpActivated(ctx.db, r.id, 1);
  await audit(ctx, {
    verb: 'code.issue',
    targetType: 'batch',
    targetId: r.batch_id,
    divisionCode: r.division_code,
    summary: { action: 'useReservedCode', reservationId: r.id, code, usedAt: input.usedAt, ...(revive && { revive }) },
  });
  return {
    reservationId: r.id,
    code,
    batchId: r.batch_id as string,
    usedAt: usedAt.toISOString(),
    used: r.activated + 1,
  };
}

/** Releases (voids) the codes of a device reservation not used yet; those already used stay bound. */
export async function releaseDeviceReservation(ctx: Ctx, id: string) {
  const r = await ownDeviceReservation(ctx, id);
  const released = await repo.voidUnused(ctx.db, r);
  await repo.markReleased(ctx.db, r.id);
  await audit(ctx, {
    verb: 'code.issue',
    targetType: 'batch',
    targetId: r.batch_id,
    divisionCode: r.division_code,
    summary: { action: 'releaseReservedCodes', reservationId: r.id, released },
  });
  return { reservationId: r.id, released, used: r.activated };
}

const deviceState = (r: { released_at: Date | null; expires_at: Date | null }, now: Date): DeviceReservationState =>
  r.released_at ? 'released' : r.expires_at && r.expires_at <= now ? 'expired' : 'live';

/**
 * The caller's device reservations for the producer it works for (its own or the farmer it acts for), newest first:
 * what the phone page lists beside the codes kept on the device, to release one.
 */
export async function listDeviceReservations(ctx: Ctx, q: DeviceReservationQuery) {
  const me = await producerOf(ctx, 'batches');
  const now = new Date();
  const rows = await repo.deviceReservationsOf(ctx.db, ctx.actor.id, me.id, 200);
  const items = rows
    .map((r): DeviceReservationItem => {
      const state = deviceState(r, now);
      return {
        id: r.id,
        batchId: r.batch_id as string,
        batchNo: r.batch_no,
        productName: r.product_name,
        count: r.count,
        used: r.activated,
        left: state === 'live' ? r.count - r.activated : 0,
        device: r.device,
        createdAt: r.created_at.toISOString(),
        expiresAt: (r.expires_at as Date).toISOString(),
        releasedAt: r.released_at?.toISOString() ?? null,
        expiredAt: r.expired_at?.toISOString() ?? null,
        state,
        stateName: DEVICE_RESERVATION_STATE_NAMES[state].zh,
        stateNameEn: DEVICE_RESERVATION_STATE_NAMES[state].en,
      };
    })
    .filter((i) => (!q.batchId || i.batchId === q.batchId) && (!q.state || i.state === q.state));
  return { items };
}

/**
 * Job `codes.expireDeviceReservations` (hourly): the unused codes of device reservations past their expiry are voided,
 * each reservation in its own transaction with its audit row (no actor: the platform did it). A label printed before
 * the expiry and reported later is still accepted (reportCodeUse revives its code).
 */
export async function expireDeviceReservations(job: Pick<JobContext, 'db'>) {
  let reservations = 0;
  let voided = 0;
  for (;;) {
    const done = await job.db.transaction().execute(async (trx) => {
      const due = await repo.dueDeviceReservations(trx, 50);
      for (const r of due) {
        const n = await repo.voidUnused(trx, r);
        await repo.markExpired(trx, r.id);
        await auditOutsideRequest(trx, {
          actor: null,
          verb: 'code.issue',
          targetType: 'batch',
          targetId: r.batch_id,
          divisionCode: r.division_code,
          summary: {
            action: 'expireReservedCodes',
            reservationId: r.id,
            voided: n,
            expiresAt: r.expires_at?.toISOString(),
          },
        });
        reservations++;
        voided += n;
      }
      return due.length;
    });
    if (done < 50) break;
    await yieldToRequests();
  }
  return { reservations, voided };
}

/** A reservation's codes written in its own transaction (issued, unbound), and the reservation ready. */
async function issueInline(
  ctx: Ctx,
  kind: Parameters<typeof repo.insertRange>[1]['kind'],
  first: Parameters<typeof repo.insertRange>[1]['first'],
  n: number,
  subjectId: string,
  r: { id: string; created_at: Date },
) {
  await repo.insertRange(ctx.db, {
    kind,
    first,
    n,
    status: 'I',
    subjectId,
    batchId: null,
    reservationId: r.id,
    issuedAt: r.created_at,
  });
  await repo.setReservation(ctx.db, r.id, { status: 'ready' });
}
