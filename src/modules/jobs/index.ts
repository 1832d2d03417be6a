import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { inScope } from '../../kernel/auth/scope.js';
import { ctxOf } from '../../kernel/http.js';
import { getJob, jobDto } from '../../kernel/jobs.js';
import type { ModuleDef } from '../../kernel/module.js';
import { problems } from '../../kernel/problems.js';
import { Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';

export const Job = Type.Object({
  id: Uuid,
  kind: Type.String(),
  status: Type.String({ description: 'queued · running · done · failed' }),
  progress: Type.Integer(),
  total: Nullable(Type.Integer()),
  result: Type.Unknown(),
  error: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

async function routes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.get('/jobs/:id', {
    schema: {
      operationId: 'getJob', summary: '后台任务进度 Progress of a background job (imports, exports)', tags: ['platform'],
      params: Type.Object({ id: Uuid }),
      response: { 200: Job, ...authErrors, ...errors(404) },
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    const job = await getJob(ctx.db, req.params.id);
    // Visible to whoever started it, and to anyone whose jurisdiction contains the job's division.
    if (!job || (job.created_by !== ctx.actor.id && !inScope(ctx.actor.scope, job.division_code))) throw problems.notFound('任务', 'Job');
    return jobDto(job);
  });
}

export const jobsModule: ModuleDef = { name: 'jobs', routes };
