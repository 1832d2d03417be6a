import { type Kysely, sql } from 'kysely';
import type { Config } from '../../config.js';
import { Problem } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import { platformIdentity, signBody } from './identity.js';
import * as corrections from './corrections.js';
import { outgoingMessages, takeMessagesFromUpper } from './messages.js';
import * as repo from './repo.js';
import type { ConnectionStatus } from './tables.js';
import type { InboundAnswer, InboundBatch, SealedIdentityKey, WireRecord } from './schemas.js';
import { adoptIdentityKey, identityKey, openIdentityKey } from './identity-key.js';
import { auditOutsideRequest } from '../../kernel/audit.js';
import { enqueue } from '../../kernel/jobs.js';

/** The subjects module's job that re-derives identity codes and registry hashes under a new identity key. */
export const REKEY_JOB = 'subjects.rekey';

export const BATCH_SIZE = 500;
const IDLE_MS = 100;
const HEARTBEAT_MS = 2_000;
const MAX_BACKOFF_MS = 30_000;

const toWire = (r: repo.OutboxRow): WireRecord => ({
  seq: Number(r.seq),
  origin: r.origin_platform,
  resource: r.resource,
  id: r.record_id,
  version: r.version,
  division: r.division_code,
  catalogVersion: r.catalog_version,
  hash: r.content_hash,
  createdAt: r.origin_created_at.toISOString(),
  record: r.payload,
});

class PushError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: { code?: string; details?: { expected?: number }; messageEn?: string },
  ) {
    super(message);
  }
}

async function post(url: string, body: InboundBatch): Promise<InboundAnswer> {
  const res = await fetch(`${url}/api/v1/sharing/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text);
  } catch {}
  if (!res.ok) throw new PushError(String(json.messageEn ?? text.slice(0, 300)), res.status, json);
  return json as unknown as InboundAnswer;
}

/** A batch ready to push: signed, with what it carries up (records, corrections' acks and answers, messages). */
interface Prepared {
  conn: repo.ConnectionRow;
  url: string;
  rows: repo.OutboxRow[];
  up: Awaited<ReturnType<typeof corrections.outgoing>>;
  upMessages: Awaited<ReturnType<typeof outgoingMessages>>;
  body: InboundBatch;
}

/**
 * Reads the next batch of the outbox from `from` (the connection's cursor unless given) and signs it, or answers
 * undefined when there is nothing to send and no heartbeat is due (or no upper platform is configured).
 */
async function prepare(db: Kysely<DB>, config: Config, force: boolean, from?: number): Promise<Prepared | undefined> {
  const url = config.upperPlatformUrl;
  const conn = url ? await repo.upperConnection(db) : undefined;
  if (!url || !conn) return undefined;
  const me = platformIdentity(config);
  const running = conn.status === 'approved' && conn.peer_status === 'approved';
  const start = from ?? Number(conn.next_seq);
  const rows = running ? await repo.outboxFrom(db, start, BATCH_SIZE) : [];
  const since = conn.updated_at.getTime();
  if (!rows.length && !force && Date.now() - since < HEARTBEAT_MS) return undefined;
  const [{ backlog, oldest }, up, held, upMessages] = await Promise.all([
    repo.outboxBacklog(db, start),
    corrections.outgoing(db),
    identityKey(db, config),
    outgoingMessages(db),
  ]);
  const unsigned = {
    from: me.id,
    firstSeq: rows.length ? Number(rows[0]?.seq) : start,
    records: rows.map(toWire),
    backlog,
    lagMs: oldest ? Math.max(0, Date.now() - oldest.getTime()) : 0,
    sentAt: new Date().toISOString(),
    ...up,
    ...(held.source === 'national' ? { identityKeyFp: held.fingerprint } : {}),
    ...upMessages,
  };
  return { conn, url, rows, up, upMessages, body: { ...unsigned, signature: signBody(me, unsigned) } };
}

/** Sends a prepared batch; never rejects (the outcome is recorded by `record`). */
const send = (p: Prepared) =>
  post(p.url, p.body).then(
    (answer) => ({ answer }),
    (error: unknown) => ({ error }),
  );

/**
 * Records the upper platform's answer to a batch (or the failure): moves the cursor to the number it expects, takes
 * what the answer carries down. Returns how many records the upper platform took.
 */
async function record(
  db: Kysely<DB>,
  config: Config,
  p: Prepared,
  outcome: { answer: InboundAnswer; error?: undefined } | { error: unknown; answer?: undefined },
): Promise<number> {
  const { conn, rows, up, upMessages } = p;
  try {
    if (outcome.answer === undefined) throw outcome.error;
    const answer = outcome.answer;
    // The upper platform's view of the connection becomes ours, except that a suspension made here stands. Decided
    // against the row as it is now, not as it was read before the batch was sent: a suspension or a resumption made
    // here while the batch was in flight is kept (the snapshot's status, written back, used to undo a resumption).
    const fromAnswer =
      answer.status === 'approved' || answer.status === 'rejected' || answer.status === 'applied'
        ? answer.status
        : undefined;
    await repo.updateConnection(db, conn.id, {
      next_seq: answer.expected,
      peer_status: answer.status,
      ...(fromAnswer
        ? { status: sql<ConnectionStatus>`CASE WHEN status = 'suspended' THEN status ELSE ${fromAnswer} END` }
        : {}),
      ...(rows.length ? { last_success_at: new Date() } : {}),
      error_count: 0,
      last_error: null,
    });
    await corrections.takeFromUpper(db, config, up, answer);
    if (answer.identityKey) await takeIdentityKey(db, config, conn, answer.identityKey);
    const taken = await takeMessagesFromUpper(db, config, upMessages, answer);
    // Messages were carried (up or down): another round soon, so a reply travels without waiting for a heartbeat.
    if (!rows.length && (taken || upMessages.messages?.length)) return 1;
    return rows.length ? answer.applied + answer.duplicates + answer.parked : 0;
  } catch (err) {
    if (err instanceof PushError && err.body.code === 'SHARING_SEQUENCE_GAP' && err.body.details?.expected) {
      // The upper platform expects another number: resend from there.
      await repo.updateConnection(db, conn.id, { next_seq: err.body.details.expected });
      return 0;
    }
    const message = err instanceof Error ? err.message : String(err);
    await repo.updateConnection(db, conn.id, {
      last_error: message.slice(0, 500),
      last_error_at: new Date(),
      error_count: conn.error_count + 1,
      ...(err instanceof PushError && err.body.code === 'SHARING_NOT_CONNECTED' ? { peer_status: 'refused' } : {}),
    });
    throw err instanceof Problem ? err : new Error(message);
  }
}

/**
 * One round of delivery: pushes the next signed batch of the outbox to the upper platform (or a heartbeat when
 * there is nothing to send or the connection is not running), and records the answer. Returns how many records the
 * upper platform took, or -1 when nothing was sent. Delivery is at-least-once: the cursor moves only on the upper
 * platform's answer, after it has committed; a crash anywhere resends from the cursor and the receiver skips what
 * it already has.
 */
export async function pushOnce(db: Kysely<DB>, config: Config, force = false): Promise<number> {
  const p = await prepare(db, config, force);
  if (!p) return -1;
  return record(db, config, p, await send(p));
}

/**
 * A pipelined round for the delivery loop: while a full batch is in flight, the next one (from the number after its
 * last) is read, signed and sent, so the upper platform parses and checks it while it applies the first, and the
 * sender's reads overlap the receiver's writes. The receiver takes one batch of a sender at a time (its connection
 * row is locked in the applying transaction), so the second waits for the first to commit and then continues it;
 * if the first failed, the second is answered with the sequence gap and the cursor goes back to the expected number,
 * as for any lost batch. Answers are recorded in order. Returns the records taken, or -1 when nothing was sent.
 */
async function pushPipelined(db: Kysely<DB>, config: Config): Promise<number> {
  const first = await prepare(db, config, false);
  if (!first) return -1;
  let cur: Prepared = first;
  let inFlight = send(cur);
  let total = 0;
  for (;;) {
    const last = cur.rows.at(-1);
    const next: Prepared | undefined =
      cur.rows.length === BATCH_SIZE && last ? await prepare(db, config, true, Number(last.seq) + 1) : undefined;
    const nextInFlight = next?.rows.length ? send(next) : undefined;
    let n: number;
    try {
      n = await record(db, config, cur, await inFlight);
    } catch (err) {
      // The second batch is answered (or fails) on its own; its outcome is recorded, then the first's failure thrown.
      if (next && nextInFlight) await record(db, config, next, await nextInFlight).catch(() => 0);
      throw err;
    }
    total += Math.max(0, n);
    if (!next || !nextInFlight || n <= 0) {
      if (next && nextInFlight) total += Math.max(0, await record(db, config, next, await nextInFlight));
      return total;
    }
    cur = next;
    inFlight = nextInFlight;
  }
}

/**
 * The national identity key arrived from the upper platform: checked (signed with the upper platform's registered key,
 * sealed to ours), stored, and the subjects module asked to re-issue what it derived with the key it held before
 * (job `subjects.rekey`, enqueued by kind: this module imports no subjects code). A key that does not open is ignored
 * (logged by the caller's next round as nothing changes).
 */
async function takeIdentityKey(db: Kysely<DB>, config: Config, conn: repo.ConnectionRow, sealed: SealedIdentityKey) {
  const key = openIdentityKey(platformIdentity(config), conn.public_key, sealed);
  if (!key) return;
  await db.transaction().execute(async (trx) => {
    if (!(await adoptIdentityKey(trx, key, conn.platform_id))) return;
    await auditOutsideRequest(trx, {
      actor: null,
      verb: 'sharing.identityKey',
      targetType: 'platform_connection',
      targetId: conn.id,
      divisionCode: config.platformRegion,
      summary: { from: conn.platform_id, fingerprint: sealed.fingerprint },
    });
    await enqueue({ db: trx, actor: null, ip: null, config }, REKEY_JOB, {}, { divisionCode: config.platformRegion });
  });
}

/** Pushes until the outbox is empty (tests, catch-up). */
export async function drainOutbox(db: Kysely<DB>, config: Config): Promise<number> {
  let n = 0;
  for (;;) {
    const k = await pushOnce(db, config, true);
    if (k <= 0) return n;
    n += k;
  }
}

/**
 * The delivery loop of a lower platform: pushes as soon as rows are waiting (polling every 100 ms), heartbeats every
 * 2 s to learn approval and suspension, and backs off exponentially (0.5 s … 30 s) while the upper platform is
 * unreachable or refuses. Returns a stop function that waits for the round in flight.
 */
export function startSharing(db: Kysely<DB>, config: Config, log: { warn: (o: object, m: string) => void }) {
  if (!config.upperPlatformUrl || config.platformTier === 'national') return async () => {};
  let stopped = false;
  let failures = 0;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((r) => {
      const t = setTimeout(r, ms);
      wake = () => {
        clearTimeout(t);
        r();
      };
    });
  const loop = (async () => {
    while (!stopped) {
      try {
        const n = await pushPipelined(db, config);
        failures = 0;
        if (n <= 0) await sleep(IDLE_MS);
      } catch (err) {
        failures++;
        if (failures === 1 || failures % 20 === 0) log.warn({ err: String(err) }, 'upward sharing: push failed');
        await sleep(Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures - 1, 6)));
      }
    }
  })();
  return async () => {
    stopped = true;
    wake?.();
    await loop;
  };
}
