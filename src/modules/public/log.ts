import type { FastifyInstance } from 'fastify';
import { QueryLog } from './querylog.js';

/** One query-log buffer per database (the API and page plugins share it); flushed and stopped on app close. */
const logs = new WeakMap<object, QueryLog>();

export function queryLogOf(app: FastifyInstance): QueryLog {
  let log = logs.get(app.database);
  if (!log) {
    log = new QueryLog(app.database.logDb, app.config.publicTrace, app.log);
    logs.set(app.database, log);
  }
  return log;
}

/** Registers the flush-on-close hook (called by each plugin; closing twice is harmless). */
export function closeLogOnShutdown(app: FastifyInstance) {
  app.addHook('onClose', async () => {
    const log = logs.get(app.database);
    if (log) await log.close();
  });
}

/**
 * No per-request access log on the public lookups (issue 19): the query log already records every scan, and two
 * info lines per request cost a fifth of the lookup's throughput. Their warnings and errors are still logged. Called
 * first in each public plugin: the hook applies to the public routes that plugin registers after it.
 */
export function quietPublicRoutes(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if ((route.config as { public?: boolean } | undefined)?.public && !route.logLevel) route.logLevel = 'warn';
  });
}
