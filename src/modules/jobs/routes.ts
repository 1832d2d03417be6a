import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf } from '../../kernel/http.js';
import { jobResultSchemas } from '../../kernel/jobs.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { JobOfKinds, JobParams } from './schemas.js';
import * as svc from './service.js';

export default async function jobRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get(
    '/jobs/:id',
    {
      schema: {
        operationId: 'getJob',
        summary: '后台任务进度 Progress of a background job (imports, exports)',
        tags: ['platform'],
        params: JobParams,
        // Job kinds are registered (installModules) before routes are mounted, so every declared result is typed.
        response: { 200: JobOfKinds(jobResultSchemas()), ...authErrors, ...errors(404) },
      },
    },
    async (req) => svc.getJob(ctxOf(req), req.params.id),
  );
}
