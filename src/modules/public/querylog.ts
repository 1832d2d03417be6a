import { isIPv4 } from 'node:net';
import { type Kysely, sql } from 'kysely';
import type { PublicTraceConfig } from '../../config.js';
import type { DB } from '../../schema.js';
import { notifyOnce, supervisionOrgFor } from './routing.js';

/**
 * The query log (查询记录, seed 003: 国家追溯平台自动保留查询记录), written cheaply: a lookup only pushes a row into
 * an in-process buffer; the buffer is written every `logFlushMs` (1 s) or at `logFlushRows` rows, as ONE insert of
 * all rows (unnest arrays) plus ONE upsert of the per-code counts, so the public path never waits for a write.
 *
 * Crash semantics: rows still in the buffer when the process dies abruptly (kill -9, power loss) are lost — at most
 * the last second of queries (or `logFlushRows` rows). A graceful shutdown (SIGTERM → app.close) flushes first.
 * Text no database stores (NUL, lone surrogates) is replaced when a row is pushed. When a batch fails, its rows are
 * written one by one so one bad row never takes the others with it; rows that fail only because the database is
 * unreachable are kept for the next flush (at most `MAX_PENDING` rows), never silently dropped.
 *
 * The same flush keeps the counterfeit signal incrementally: the distinct client networks per code (`query_net`) are
 * upserted with the rows, and a code is evaluated only when a verdict can change (a network entered its 7-day
 * window, a location arrived, its count passed its allowance); verdicts are remembered in `query_count`, so the
 * cost of a flush depends on the flush, not on the size of the log (see `evaluate`).
 */
export interface QueryRow {
  at: Date;
  code: string;
  kind: number | null;
  serial: number | null;
  result: string;
  channel: 'html' | 'json' | 'view';
  viewer: string;
  actorId: string | null;
  subjectId: string | null;
  divisionCode: string | null;
  ip: string | null;
  userAgent: string | null;
  latitude: number | null;
  longitude: number | null;
}

/** A row as buffered: its text made storable, the user agent cut to 300 characters, its client network. */
type Logged = QueryRow & { net: string | null };

/** The client's network: IPv4 /24 or IPv6 /48 — the offline stand-in for "a place" (no IP-to-region database here). */
export function clientNet(ip: string | null): string | null {
  if (!ip) return null;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  const parts = ip.split('::')[0].split(':');
  return `${parts.slice(0, 3).join(':')}::/48`;
}

export function haversineKm(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[0] - a[0]) * rad;
  const dLng = (b[1] - a[1]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[0] * rad) * Math.cos(b[0] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The counterfeit signal's window: networks and locations of the last 7 days. */
export const WINDOW = sql`interval '7 days'`;

/** What the per-code count upsert answers: the new total and the verdicts remembered for the code. */
interface CountRow {
  code_kind: number;
  code_serial: string;
  n: string;
  places_done: boolean;
  scans_done: boolean;
  scans_allowed: number | null;
  scans_fresh: boolean;
}

/** Rows kept in memory while the database is unreachable. */
const MAX_PENDING = 100_000;
const storable = (s: string) =>
  s
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses
    .replace(/\u0000/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

export class QueryLog {
  private buf: Logged[] = [];
  private retry: Logged[] = [];
  private timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  /** Rows lost after a failed retry (observable in health/metrics later). */
  dropped = 0;

  constructor(
    private db: Kysely<DB>,
    private cfg: PublicTraceConfig,
    private log: { error: (o: object, m: string) => void },
  ) {
    this.timer = setInterval(() => void this.flush(), cfg.logFlushMs);
    this.timer.unref();
  }

  /** Buffers a row (taken over: the caller hands a fresh object). */
  push(row: QueryRow) {
    const r = row as Logged;
    r.code = storable(r.code);
    if (r.userAgent !== null) r.userAgent = storable(r.userAgent.slice(0, 300));
    r.net = clientNet(r.ip);
    this.buf.push(r);
    if (this.buf.length >= this.cfg.logFlushRows) void this.flush();
  }

  /** Writes everything buffered; concurrent callers share one flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.buf.length ? this.flush() : undefined));
    if (!this.buf.length && !this.retry.length) return Promise.resolve();
    const rows = [...this.retry, ...this.buf];
    this.buf = [];
    this.retry = [];
    this.flushing = this.write(rows)
      .catch(async (err) => {
        this.log.error({ err }, 'query log batch failed; writing its rows one by one');
        const failed: Logged[] = [];
        for (const r of rows) await this.write([r]).catch(() => failed.push(r));
        if (failed.length === rows.length) {
          // Nothing went in: the database is unreachable, not a bad row. Keep them for the next flush.
          this.retry = failed.slice(-MAX_PENDING);
          this.dropped += failed.length - this.retry.length;
        } else if (failed.length) {
          this.dropped += failed.length;
          this.log.error({ rows: failed.length }, 'query log rows refused by the database were dropped');
        }
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  async close() {
    clearInterval(this.timer);
    await this.flush();
    if (this.retry.length) await this.flush();
  }

  private async write(rows: Logged[]) {
    // One JSON parameter for the whole flush (a native JSON.stringify), not one array per column: pg's array
    // serialisation made this statement cost 6–32 µs of the process's CPU per row of a 5,000-row flush, 3–5 µs now.
    await sql`
      INSERT INTO query_log (at, code, code_kind, code_serial, result, channel, viewer, actor_id, subject_id, division_code, client_ip, client_net, user_agent, latitude, longitude)
      SELECT at, code, kind, serial, result, channel, viewer, "actorId", "subjectId", "divisionCode", ip, net, "userAgent", latitude, longitude
      FROM json_to_recordset(${JSON.stringify(rows)}::json) AS r(at timestamptz, code text, kind smallint, serial bigint, result text,
        channel text, viewer text, "actorId" uuid, "subjectId" uuid, "divisionCode" text, ip text, net text, "userAgent" text,
        latitude float8, longitude float8)`.execute(this.db);
    // Per-code counts: one row per distinct issued code in this flush.
    const counts = new Map<
      string,
      { kind: number; serial: number; subjectId: string | null; n: number; first: Date; last: Date }
    >();
    for (const r of rows) {
      if (r.kind === null || r.serial === null || r.subjectId === null) continue;
      const k = `${r.kind}:${r.serial}`;
      const c = counts.get(k);
      if (c) {
        c.n++;
        if (r.at < c.first) c.first = r.at;
        if (r.at > c.last) c.last = r.at;
      } else counts.set(k, { kind: r.kind, serial: r.serial, subjectId: r.subjectId, n: 1, first: r.at, last: r.at });
    }
    if (!counts.size) return;
    const cs = [...counts.values()];
    const res = await sql<CountRow>`
      INSERT INTO query_count (code_kind, code_serial, subject_id, n, first_at, last_at)
      SELECT kind, serial, "subjectId", n, first, last
      FROM json_to_recordset(${JSON.stringify(cs)}::json) AS c(kind smallint, serial bigint, "subjectId" uuid, n bigint, first timestamptz, last timestamptz)
      ON CONFLICT (code_kind, code_serial) DO UPDATE SET n = query_count.n + EXCLUDED.n, last_at = greatest(query_count.last_at, EXCLUDED.last_at)
      RETURNING code_kind, code_serial, n, places_flagged_at IS NOT NULL AS places_done, scans_flagged_at IS NOT NULL AS scans_done,
                scans_allowed, coalesce(scans_checked_at > now() - interval '1 hour', false) AS scans_fresh`.execute(
      this.db,
    );
    // Networks are kept only for codes that can still be flagged for them: not yet flagged, and with at least
    // alertNetworks scans (fewer scans cannot come from that many networks). Most codes are scanned a few times and
    // never cost a network row; a code reaching the threshold in this flush is seeded from its last 7 days of log.
    const tracked = new Set<string>();
    const seed: { kind: number; serial: number }[] = [];
    for (const c of res.rows) {
      const n = Number(c.n);
      if (c.places_done || n < this.cfg.alertNetworks) continue;
      const k = `${c.code_kind}:${c.code_serial}`;
      if (n - (counts.get(k)?.n ?? 0) < this.cfg.alertNetworks)
        seed.push({ kind: c.code_kind, serial: Number(c.code_serial) });
      else tracked.add(k);
    }
    const entered = await this.trackNetworks(rows, tracked);
    for (const k of await this.seedNetworks(seed)) entered.add(k);
    await this.evaluate(rows, res.rows, entered);
  }

  /**
   * The distinct client networks of each code (`query_net`), upserted set-based in the same flush: one row per
   * (code, network) with its latest scan. Answers the codes for which a network entered the 7-day window in this
   * flush (a new network, or one whose previous scan had left the window): only their count can have grown.
   * Only the `tracked` codes are kept (see `write`): the table is the signal's working set, not a report.
   */
  private async trackNetworks(rows: Logged[], tracked: Set<string>): Promise<Set<string>> {
    const nets = new Map<string, { kind: number; serial: number; net: string; at: Date }>();
    for (const r of rows) {
      const net = r.net;
      if (r.kind === null || r.serial === null || r.subjectId === null || net === null) continue;
      if (!tracked.has(`${r.kind}:${r.serial}`)) continue;
      const k = `${r.kind}:${r.serial}:${net}`;
      const have = nets.get(k);
      if (!have) nets.set(k, { kind: r.kind, serial: r.serial, net, at: r.at });
      else if (r.at > have.at) have.at = r.at;
    }
    if (!nets.size) return new Set();
    const ns = [...nets.values()];
    const res = await sql<{ code_kind: number; code_serial: string }>`
      WITH v AS (
        SELECT * FROM unnest(${ns.map((x) => x.kind)}::smallint[], ${ns.map((x) => x.serial)}::bigint[],
                             ${ns.map((x) => x.net)}::text[], ${ns.map((x) => x.at.toISOString())}::timestamptz[]) AS v(k, s, net, at)),
      old AS (
        SELECT q.code_kind, q.code_serial, q.client_net, q.last_at FROM query_net q
        JOIN v ON q.code_kind = v.k AND q.code_serial = v.s AND q.client_net = v.net),
      up AS (
        INSERT INTO query_net (code_kind, code_serial, client_net, last_at) SELECT k, s, net, at FROM v
        ON CONFLICT (code_kind, code_serial, client_net) DO UPDATE SET last_at = greatest(query_net.last_at, EXCLUDED.last_at))
      SELECT DISTINCT v.k AS code_kind, v.s AS code_serial
      FROM v LEFT JOIN old ON old.code_kind = v.k AND old.code_serial = v.s AND old.client_net = v.net
      WHERE v.at > now() - ${WINDOW} AND (old.last_at IS NULL OR old.last_at <= now() - ${WINDOW})`.execute(this.db);
    return new Set(res.rows.map((r) => `${r.code_kind}:${r.code_serial}`));
  }

  /**
   * Codes whose count reached alertNetworks in this flush: their networks of the last 7 days, read once from the log
   * (at most the threshold plus this flush's scans of the code). Answers the codes seeded with any network.
   */
  private async seedNetworks(codes: { kind: number; serial: number }[]): Promise<Set<string>> {
    if (!codes.length) return new Set();
    const res = await sql<{ code_kind: number; code_serial: string }>`
      INSERT INTO query_net (code_kind, code_serial, client_net, last_at)
      SELECT l.code_kind, l.code_serial, l.client_net, max(l.at)
      FROM query_log l JOIN unnest(${codes.map((c) => c.kind)}::smallint[], ${codes.map((c) => c.serial)}::bigint[]) AS c(k, s)
        ON l.code_kind = c.k AND l.code_serial = c.s
      WHERE l.at > now() - ${WINDOW} AND l.client_net IS NOT NULL AND l.subject_id IS NOT NULL
      GROUP BY 1, 2, 3
      ON CONFLICT (code_kind, code_serial, client_net) DO UPDATE SET last_at = greatest(query_net.last_at, EXCLUDED.last_at)
      RETURNING code_kind, code_serial`.execute(this.db);
    return new Set(res.rows.map((r) => `${r.code_kind}:${r.code_serial}`));
  }

  /**
   * Decides which codes of this flush can have a new verdict, evaluates only those, and remembers the verdicts in
   * `query_count`. The cost depends on the flush, never on the size of the log:
   *  - places: codes not yet flagged for which a network entered the window (and n ≥ alertNetworks), or that got a
   *    browser-reported location; their windowed network counts are read in one statement from `query_net`;
   *  - scans: codes not yet flagged whose count passed the allowance last computed for them, or whose allowance is
   *    older than an hour.
   */
  private async evaluate(rows: Logged[], counted: CountRow[], entered: Set<string>) {
    const key = (kind: number, serial: number | string) => `${kind}:${serial}`;
    const geo = new Set(rows.filter((r) => r.latitude !== null).map((r) => key(r.kind ?? 0, r.serial ?? 0)));
    const todo = counted
      .map((c) => {
        const k = key(c.code_kind, c.code_serial);
        const n = Number(c.n);
        const places = !c.places_done && (geo.has(k) || (entered.has(k) && n >= this.cfg.alertNetworks));
        const scans =
          !c.scans_done &&
          n > this.cfg.alertMinScans &&
          (c.scans_allowed === null || n > c.scans_allowed || !c.scans_fresh);
        return { kind: c.code_kind, serial: Number(c.code_serial), k, n, places, scans };
      })
      .filter((c) => c.places || c.scans);
    if (!todo.length) return;
    const codeOf = new Map<string, string>();
    for (const r of rows) if (r.kind !== null && r.serial !== null) codeOf.set(key(r.kind, r.serial), r.code);
    const placed = todo.filter((c) => c.places);
    const networks = new Map<string, number>();
    if (placed.length) {
      const r = await sql<{ code_kind: number; code_serial: string; n: string }>`
        SELECT q.code_kind, q.code_serial, count(*) AS n
        FROM query_net q JOIN unnest(${placed.map((c) => c.kind)}::smallint[], ${placed.map((c) => c.serial)}::bigint[]) AS c(k, s)
          ON q.code_kind = c.k AND q.code_serial = c.s
        WHERE q.last_at > now() - ${WINDOW}
        GROUP BY 1, 2`.execute(this.db);
      for (const x of r.rows) networks.set(key(x.code_kind, x.code_serial), Number(x.n));
    }
    const verdicts: { kind: number; serial: number; places: boolean; scans: boolean; allowed: number | null }[] = [];
    for (const c of todo) {
      const nets = networks.get(c.k) ?? 0;
      // Nothing can be raised for places below the threshold without a location: no owner look-up needed.
      if (!c.scans && nets < this.cfg.alertNetworks && !geo.has(c.k)) continue;
      const code = codeOf.get(c.k) ?? c.k;
      const v = await this.checkSignals(c.kind, c.serial, c.n, code, {
        networks: c.places ? nets : null,
        hasGeo: c.places && geo.has(c.k),
        scans: c.scans,
      });
      if (v.places || v.scans || v.allowed !== null) verdicts.push({ kind: c.kind, serial: c.serial, ...v });
    }
    if (!verdicts.length) return;
    await sql`
      UPDATE query_count q SET
        places_flagged_at = CASE WHEN v.places THEN coalesce(q.places_flagged_at, now()) ELSE q.places_flagged_at END,
        scans_flagged_at = CASE WHEN v.scans THEN coalesce(q.scans_flagged_at, now()) ELSE q.scans_flagged_at END,
        scans_allowed = coalesce(v.allowed, q.scans_allowed),
        scans_checked_at = CASE WHEN v.allowed IS NULL THEN q.scans_checked_at ELSE now() END
      FROM unnest(${verdicts.map((v) => v.kind)}::smallint[], ${verdicts.map((v) => v.serial)}::bigint[], ${verdicts.map((v) => v.places)}::boolean[],
                  ${verdicts.map((v) => v.scans)}::boolean[], ${verdicts.map((v) => v.allowed)}::float8[]) AS v(k, s, places, scans, allowed)
      WHERE q.code_kind = v.k AND q.code_serial = v.s`.execute(this.db);
  }

  /**
   * Counterfeit / abuse signals for one code (documented in docs/public.md):
   *  A. many places: ≥ alertNetworks distinct client networks in 7 days, or two browser-reported locations more than
   *     alertKm apart in 7 days (`check.networks` is the windowed count, null = places not to be evaluated);
   *  B. over-scanned: more queries than max(alertMinScans, alertFactor × units sold per code of the batch).
   * Each raises one notification (deduplicated per code, reason and organisation) to the producer and to its county's
   * supervision organisation. Answers what was raised, and the allowance when B was checked and not raised.
   */
  private async checkSignals(
    kind: number,
    serial: number,
    n: number,
    code: string,
    check: { networks: number | null; hasGeo: boolean; scans: boolean },
  ): Promise<{ places: boolean; scans: boolean; allowed: number | null }> {
    const verdict = { places: false, scans: false, allowed: null as number | null };
    const owner = await sql<{
      subject_id: string;
      org_id: string;
      division_code: string;
      name: string;
      batch_id: string | null;
      quantity: string | null;
      stock: string | null;
      unit: string | null;
    }>`
      SELECT s.id AS subject_id, s.org_id, s.division_code, s.name, b.id AS batch_id, b.quantity, b.stock, b.unit
      FROM trace_code c JOIN subject s ON s.id = c.subject_id LEFT JOIN batch b ON b.id = c.batch_id
      WHERE c.kind = ${kind} AND c.serial = ${serial}`.execute(this.db);
    const o = owner.rows[0];
    if (!o) return verdict;
    const reasons: { reason: 'places' | 'scans'; zh: string; en: string; details: Record<string, unknown> }[] = [];
    if (check.networks !== null) {
      const networks = check.networks;
      let farKm = 0;
      if (check.hasGeo) {
        const pts = await sql<{ latitude: number; longitude: number }>`
          SELECT latitude, longitude FROM query_log
          WHERE code_kind = ${kind} AND code_serial = ${serial} AND at > now() - ${WINDOW} AND latitude IS NOT NULL
          ORDER BY at DESC LIMIT 200`.execute(this.db);
        for (let i = 0; i < pts.rows.length; i++)
          for (let j = i + 1; j < pts.rows.length; j++)
            farKm = Math.max(
              farKm,
              haversineKm([pts.rows[i].latitude, pts.rows[i].longitude], [pts.rows[j].latitude, pts.rows[j].longitude]),
            );
      }
      if (networks >= this.cfg.alertNetworks || farKm > this.cfg.alertKm) {
        reasons.push({
          reason: 'places',
          zh: `追溯码 ${code} 在多个不同地点被扫码查询（${networks} 个网络${farKm ? `，相距最远约 ${Math.round(farKm)} 公里` : ''}），可能被复制假冒`,
          en: `Trace code ${code} was scanned from many different places (${networks} networks${farKm ? `, up to ${Math.round(farKm)} km apart` : ''}): it may have been copied`,
          details: { networks, farKm: Math.round(farKm) },
        });
      }
    }
    if (check.scans) {
      let allowed = this.cfg.alertMinScans;
      if (o.batch_id) {
        const codes = await sql<{
          n: string;
        }>`SELECT count(*) AS n FROM trace_code WHERE batch_id = ${o.batch_id}::uuid`.execute(this.db);
        const sold = Math.max(1, Number(o.quantity) - Number(o.stock));
        allowed = Math.max(allowed, (this.cfg.alertFactor * sold) / Math.max(1, Number(codes.rows[0].n)));
      }
      if (n > allowed) {
        reasons.push({
          reason: 'scans',
          zh: `追溯码 ${code} 被查询 ${n} 次，远多于售出数量，可能被复制假冒`,
          en: `Trace code ${code} was queried ${n} times, far more than the units sold: it may have been copied`,
          details: { scans: n, allowed: Math.round(allowed) },
        });
      } else verdict.allowed = allowed;
    }
    if (!reasons.length) return verdict;
    const county = await supervisionOrgFor(this.db, o.division_code);
    for (const r of reasons) {
      verdict[r.reason] = true;
      await notifyOnce(
        this.db,
        `/t/${code}#${r.reason}`,
        {
          kind: 'counterfeit_signal',
          titleZh: r.zh,
          titleEn: r.en,
          body: JSON.stringify({ code, reason: r.reason, subjectName: o.name, ...r.details }),
          divisionCode: o.division_code,
        },
        [o.org_id, ...(county ? [county.id] : [])],
      );
    }
    return verdict;
  }
}
