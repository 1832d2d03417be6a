import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { write } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { ApproveManyBody, ApproveManyResult, RejectReasonItem } from './schemas.js';
import * as svc from './service.js';

/** Review additions of seed 001 第八条: the standard rejection reasons and bulk approval of a filtered set. */
export async function reviewRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['subject review'];

  r.get(
    '/subject-applications/reject-reasons',
    {
      config: { verb: 'subject.review' },
      schema: {
        operationId: 'listSubjectRejectReasons',
        summary: '驳回原因列表（可另加说明）Standard rejection reasons (free text may be added)',
        tags,
        response: { 200: Type.Array(RejectReasonItem), ...authErrors },
      },
    },
    async () => svc.rejectReasons(),
  );

  r.post(
    '/subject-applications/approve-many',
    {
      config: { verb: 'subject.review' },
      schema: {
        operationId: 'approveSubjectApplications',
        summary: '批量审核通过 Approve several applications at once (each on its own rules; refusals are listed)',
        tags,
        body: ApproveManyBody,
        response: { 200: ApproveManyResult, ...authErrors, ...errors(400) },
      },
    },
    async (req) => write(req, (ctx) => svc.approveMany(ctx, req.body.ids, req.body.note ?? null)),
  );
}
