import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, publicCtxOf, publicWrite, write } from '../../kernel/http.js';
import { Page, authErrors, errors } from '../../kernel/schemas.js';
import {
  Complaint,
  ComplaintActionInput,
  ComplaintInput,
  ComplaintQuery,
  ComplaintStatusView,
  IdParams,
  NumberParams,
  Submitted,
} from './schemas.js';
import * as svc from './service.js';

export default async function complaintRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['complaints'];
  r.post(
    '/public/complaints',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        operationId: 'submitComplaint',
        summary:
          '投诉举报（公开；照片先用 uploadFile 上传，purpose=image）Submit a complaint (public; upload the photo first)',
        tags: ['public', ...tags],
        body: ComplaintInput,
        response: { 201: Submitted, ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => reply.status(201).send(await publicWrite(req, (ctx) => svc.submitComplaint(ctx, req.body))),
  );

  r.get(
    '/public/complaints/:number',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'complaintStatus',
        summary: '按投诉编号查询办理进度（公开） Follow a complaint by its number (public)',
        tags: ['public', ...tags],
        params: NumberParams,
        response: { 200: ComplaintStatusView, ...errors(400, 404, 429) },
      },
    },
    async (req) => svc.complaintStatus(publicCtxOf(req), req.params.number),
  );

  r.get(
    '/complaints',
    {
      config: { verb: 'complaint.handle' },
      schema: {
        operationId: 'listComplaints',
        summary: '本辖区投诉 Complaints in my jurisdiction',
        tags,
        querystring: ComplaintQuery,
        response: { 200: Page(Complaint), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listComplaints(ctxOf(req), req.query),
  );

  r.get(
    '/complaints/:id',
    {
      config: { verb: 'complaint.handle' },
      schema: {
        operationId: 'getComplaint',
        summary: '投诉详情 A complaint',
        tags,
        params: IdParams,
        response: { 200: Complaint, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getComplaint(ctxOf(req), req.params.id),
  );

  r.post(
    '/complaints/:id/actions',
    {
      config: { verb: 'complaint.handle' },
      schema: {
        operationId: 'handleComplaint',
        summary: '受理 / 办结投诉（办结须填处理结果）Accept or close a complaint (closing needs the outcome)',
        tags,
        params: IdParams,
        body: ComplaintActionInput,
        response: { 200: Complaint, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.handleComplaint(ctx, req.params.id, req.body)),
  );
}
