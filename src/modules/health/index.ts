import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Type } from 'typebox';
import type { ModuleDef } from '../../kernel/module.js';
import { errors } from '../../kernel/schemas.js';
import { loadedLevels } from '../regions/loader.js';

async function routes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
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
    await sql`SELECT 1`.execute(app.database.db);
    const levels = [...(await loadedLevels(app.database)).keys()].sort();
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
