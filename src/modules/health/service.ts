import type { Config } from '../../config.js';
import type { Database } from '../../kernel/db/connect.js';
import { runningJobs } from '../../kernel/jobs.js';
import { loadedLevels } from '../regions/loader.js';
import * as repo from './repo.js';
import type { Health } from './schemas.js';

/**
 * Health answers from a probe of the database that is at most one second old: load balancers and monitors poll
 * health many times a second, and one `SELECT 1` plus the division-load state per second tells them as much as
 * one per request. Concurrent callers share the probe in flight; a failed probe is retried by the next request.
 *
 * While a background job runs, the probe may wait behind it for the connection (PGlite has exactly one). Jobs yield
 * between short pages, so the probe normally gets its turn at once; should it still wait more than `BUSY_WAIT_MS`
 * while a job runs, health answers from the last successful probe with `busy: true` — the database is working
 * for a job, not gone — instead of leaving a load balancer without an answer (issue 12 item 13). With no job
 * running, a probe that does not answer is a real outage and health waits for it (and fails with it). This helps
 * while a job holds the connection across several statements (a transaction); one long statement on PGlite runs
 * inside this process (WASM) and stops everything, which is why jobs work in short pages instead.
 */
const BUSY_WAIT_MS = 1000;

export function healthProbe(database: Database, config: Config): () => Promise<Health> {
  let last: { at: number; levels: number[] } | undefined;
  let inflight: Promise<{ at: number; levels: number[] }> | undefined;
  const probe = async () => {
    if (last && Date.now() - last.at < 1000) return last;
    inflight ??= (async () => {
      try {
        await repo.ping(database.db);
        last = { at: Date.now(), levels: [...(await loadedLevels(database)).keys()].sort() };
        return last;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };
  return async () => {
    const fresh = probe();
    let busy = false;
    let levels: number[];
    const known = last;
    if (known && runningJobs() > 0) {
      fresh.catch(() => {});
      const waited = await Promise.race([
        fresh.then((p) => p.levels),
        new Promise<null>((r) => setTimeout(() => r(null), BUSY_WAIT_MS).unref()),
      ]);
      busy = waited === null;
      levels = waited ?? known.levels;
    } else levels = (await fresh).levels;
    return {
      status: 'ok',
      database: database.kind,
      version: config.version,
      tier: config.platformTier,
      region: config.platformRegion,
      divisions: { levels, villagesLoaded: levels.includes(5) },
      ...(busy ? { busy } : {}),
    };
  };
}
