import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { Page, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { BulkApprove, BulkResult, Decision, ReasonList, ReviewDetail, ReviewItem, ReviewQuery } from './schemas.js';
import * as svc from './service.js';

export default async function reviewRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['review'];
  const Id = Type.Object({ id: Uuid });

  r.get(
    '/reviews',
    {
      config: { verb: 'review.read' },
      schema: {
        operationId: 'listReviews',
        summary: '信息审核事项 Review items (own organisation, or my jurisdiction)',
        tags,
        querystring: ReviewQuery,
        response: { 200: Page(ReviewItem), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listReviews(ctxOf(req), req.query),
  );

  r.get(
    '/reviews/reasons',
    {
      config: { verb: 'review.read' },
      schema: {
        operationId: 'listReviewReasons',
        summary: '退回原因 Reasons for returning',
        tags,
        response: { 200: ReasonList, ...authErrors },
      },
    },
    async () => svc.reasonList(),
  );

  r.get(
    '/reviews/:id',
    {
      config: { verb: 'review.read' },
      schema: {
        operationId: 'getReview',
        summary: '审核事项详情 Review item with its history',
        tags,
        params: Id,
        response: { 200: ReviewDetail, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getReview(ctxOf(req), req.params.id),
  );

  r.post(
    '/reviews/:id/decision',
    {
      // review.decide for catalogue-reviewed items, the owner's reviewers for registrations and origin records.
      config: { verb: 'review.read' },
      schema: {
        operationId: 'decideReview',
        summary: '审核：通过或退回（附原因）Approve, or return with reasons',
        tags,
        params: Id,
        body: Decision,
        response: { 200: ReviewDetail, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.decide(ctx, req.params.id, req.body)),
  );

  r.post(
    '/reviews/:id/resubmit',
    {
      config: { verb: 'review.read' },
      schema: {
        operationId: 'resubmitReview',
        summary: '修改后重新提交 Resubmit a returned item',
        tags,
        params: Id,
        response: { 200: ReviewDetail, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.resubmit(ctx, req.params.id)),
  );

  r.post(
    '/reviews/bulk-approve',
    {
      config: { verb: 'review.read' },
      schema: {
        operationId: 'bulkApproveReviews',
        summary: '批量通过筛选出的待审核事项 Approve a filtered set at once',
        tags,
        body: BulkApprove,
        response: { 200: BulkResult, ...authErrors, ...errors(400) },
      },
    },
    async (req) => write(req, (ctx) => svc.bulkApprove(ctx, req.body)),
  );
}
