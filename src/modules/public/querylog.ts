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
 * A failed flush is retried once with the next flush, then dropped with an error log (the page never fails).
 *
 * After each flush the counterfeit/abuse signals are evaluated for the codes just written (see `checkSignals`).
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

export class QueryLog {
  private buf: QueryRow[] = [];
  private retry: QueryRow[] = [];
  private timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private alerted = new Set<string>();
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

  push(row: QueryRow) {
    this.buf.push(row);
    if (this.buf.length >= this.cfg.logFlushRows) void this.flush();
  }

  /** Writes everything buffered; concurrent callers share one flush. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.buf.length ? this.flush() : undefined));
    if (!this.buf.length && !this.retry.length) return Promise.resolve();
    const rows = [...this.retry, ...this.buf];
    const wasRetry = this.retry.length;
    this.buf = [];
    this.retry = [];
    this.flushing = this.write(rows)
      .catch((err) => {
        if (wasRetry) this.dropped += wasRetry;
        this.retry = rows.slice(wasRetry);
        this.log.error({ err }, 'query log flush failed');
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

  private async write(rows: QueryRow[]) {
    const col = <T>(f: (r: QueryRow) => T) => rows.map(f);
    await sql`
      INSERT INTO query_log (at, code, code_kind, code_serial, result, channel, viewer, actor_id, subject_id, division_code, client_ip, client_net, user_agent, latitude, longitude)
      SELECT * FROM unnest(
        ${col((r) => r.at.toISOString())}::timestamptz[], ${col((r) => r.code)}::text[], ${col((r) => r.kind)}::smallint[], ${col((r) => r.serial)}::bigint[],
        ${col((r) => r.result)}::text[], ${col((r) => r.channel)}::text[], ${col((r) => r.viewer)}::text[], ${col((r) => r.actorId)}::uuid[],
        ${col((r) => r.subjectId)}::uuid[], ${col((r) => r.divisionCode)}::text[], ${col((r) => r.ip)}::text[], ${col((r) => clientNet(r.ip))}::text[],
        ${col((r) => r.userAgent?.slice(0, 300) ?? null)}::text[], ${col((r) => r.latitude)}::float8[], ${col((r) => r.longitude)}::float8[])`.execute(this.db);
    // Per-code counts: one row per distinct issued code in this flush.
    const counts = new Map<string, { kind: number; serial: number; subjectId: string | null; n: number; first: Date; last: Date }>();
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
    const res = await sql<{ code_kind: number; code_serial: string; n: string; subject_id: string }>`
      INSERT INTO query_count (code_kind, code_serial, subject_id, n, first_at, last_at)
      SELECT * FROM unnest(${cs.map((c) => c.kind)}::smallint[], ${cs.map((c) => c.serial)}::bigint[], ${cs.map((c) => c.subjectId)}::uuid[],
                           ${cs.map((c) => c.n)}::bigint[], ${cs.map((c) => c.first.toISOString())}::timestamptz[], ${cs.map((c) => c.last.toISOString())}::timestamptz[])
      ON CONFLICT (code_kind, code_serial) DO UPDATE SET n = query_count.n + EXCLUDED.n, last_at = greatest(query_count.last_at, EXCLUDED.last_at)
      RETURNING code_kind, code_serial, n, subject_id`.execute(this.db);
    const geo = new Set(rows.filter((r) => r.latitude !== null).map((r) => `${r.kind}:${r.serial}`));
    for (const c of res.rows) {
      const n = Number(c.n);
      const key = `${c.code_kind}:${c.code_serial}`;
      if (n >= this.cfg.alertNetworks || geo.has(key) || n > this.cfg.alertMinScans) {
        await this.checkSignals(c.code_kind, Number(c.code_serial), n, geo.has(key), rows.find((r) => `${r.kind}:${r.serial}` === key)?.code ?? key);
      }
    }
  }

  /**
   * Counterfeit / abuse signals for one code (documented in docs/public.md):
   *  A. many places: ≥ alertNetworks distinct client networks in 7 days, or two browser-reported locations more than
   *     alertKm apart in 7 days;
   *  B. over-scanned: more queries than max(alertMinScans, alertFactor × units sold per code of the batch).
   * Each raises one notification (deduplicated per code, reason and organisation) to the producer and to its county's
   * supervision organisation.
   */
  async checkSignals(kind: number, serial: number, n: number, hasGeo: boolean, code: string) {
    const owner = await sql<{ subject_id: string; org_id: string; division_code: string; name: string; batch_id: string | null; quantity: string | null; stock: string | null; unit: string | null }>`
      SELECT s.id AS subject_id, s.org_id, s.division_code, s.name, b.id AS batch_id, b.quantity, b.stock, b.unit
      FROM trace_code c JOIN subject s ON s.id = c.subject_id LEFT JOIN batch b ON b.id = c.batch_id
      WHERE c.kind = ${kind} AND c.serial = ${serial}`.execute(this.db);
    const o = owner.rows[0];
    if (!o) return;
    const reasons: { reason: string; zh: string; en: string; details: Record<string, unknown> }[] = [];
    const since = sql`now() - interval '7 days'`;
    if (!this.alerted.has(`${kind}:${serial}:places`)) {
      const nets = await sql<{ n: string }>`SELECT count(DISTINCT client_net) AS n FROM query_log WHERE code_kind = ${kind} AND code_serial = ${serial} AND at > ${since}`.execute(this.db);
      const networks = Number(nets.rows[0].n);
      let farKm = 0;
      if (hasGeo) {
        const pts = await sql<{ latitude: number; longitude: number }>`
          SELECT latitude, longitude FROM query_log WHERE code_kind = ${kind} AND code_serial = ${serial} AND at > ${since} AND latitude IS NOT NULL ORDER BY at DESC LIMIT 200`.execute(this.db);
        for (let i = 0; i < pts.rows.length; i++)
          for (let j = i + 1; j < pts.rows.length; j++)
            farKm = Math.max(farKm, haversineKm([pts.rows[i].latitude, pts.rows[i].longitude], [pts.rows[j].latitude, pts.rows[j].longitude]));
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
    if (!this.alerted.has(`${kind}:${serial}:scans`) && n > this.cfg.alertMinScans) {
      let allowed = this.cfg.alertMinScans;
      if (o.batch_id) {
        const codes = await sql<{ n: string }>`SELECT count(*) AS n FROM trace_code WHERE batch_id = ${o.batch_id}::uuid`.execute(this.db);
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
      }
    }
    if (!reasons.length) return;
    const county = await supervisionOrgFor(this.db, o.division_code);
    if (this.alerted.size > 100_000) this.alerted.clear(); // only a shortcut: notifyOnce deduplicates in the database
    for (const r of reasons) {
      this.alerted.add(`${kind}:${serial}:${r.reason}`);
      await notifyOnce(
        this.db,
        `/t/${code}#${r.reason}`,
        { kind: 'counterfeit_signal', titleZh: r.zh, titleEn: r.en, body: JSON.stringify({ code, reason: r.reason, subjectName: o.name, ...r.details }), divisionCode: o.division_code },
        [o.org_id, ...(county ? [county.id] : [])],
      );
    }
  }
}
