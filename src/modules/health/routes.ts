import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../kernel/schemas.js';
import { Health } from './schemas.js';
import { healthProbe } from './service.js';

export default async function healthRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const health = healthProbe(app.database, app.config);
  r.get(
    '/health',
    {
      config: { public: true },
      schema: {
        operationId: 'getHealth',
        summary: '健康检查 Health',
        tags: ['platform'],
        response: { 200: Health, ...errors(503) },
      },
    },
    () => health(),
  );
}
