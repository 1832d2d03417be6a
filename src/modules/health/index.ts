import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { ModuleDef } from '../../kernel/module.js';
import { errors } from '../../kernel/schemas.js';
import { loadedLevels } from '../regions/loader.js';

/**
 * Health answers from a probe of the database that is at most one second old: load balancers and monitors poll
 * health many times a second, and one `SELECT 1` plus the division-load state per second tells them as much as
 * one per request. Concurrent callers share the probe in flight; a failed probe is retried by the next request.
 */
function healthProbe(app: FastifyInstance) {
  let last: { at: number; levels: number[] } | undefined;
  let inflight: Promise<{ at: number; levels: number[] }> | undefined;
  return async () => {
    if (last && Date.now() - last.at < 1000) return last;
    inflight ??= (async () => {
      try {
        await sql`SELECT 1`.execute(app.database.db);
        last = { at: Date.now(), levels: [...(await loadedLevels(app.database)).keys()].sort() };
        return last;
      } finally {
        inflight = undefined;
      }
    })();
    return inflight;
  };
}

async function routes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const probe = healthProbe(app);
  r.get('/health', {
    config: { public: true },
    schema: {
      operationId: 'getHealth', summary: '健康检查 Health', tags: ['platform'],
      response: {
        200: Type.Object({
          status: Type.Literal('ok'),
          database: Type.Union([Type.Literal('pglite'), Type.Literal('postgresql')]),
          version: Type.String(),
          tier: Type.String(),
          region: Type.String(),
          divisions: Type.Object({ levels: Type.Array(Type.Integer()), villagesLoaded: Type.Boolean() }),
        }),
        ...errors(503),
      },
    },
  }, async () => {
    const { levels } = await probe();
    return {
      status: 'ok' as const,
      database: app.database.kind,
      version: app.config.version,
      tier: app.config.platformTier,
      region: app.config.platformRegion,
      divisions: { levels, villagesLoaded: levels.includes(5) },
    };
  });
}

export const healthModule: ModuleDef = { name: 'health', routes, prefix: '/api' };
