import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicWrite, write } from '../../kernel/http.js';
import { Nullable, Page, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Category = Type.Union(Object.keys(svc.CATEGORIES).map((k) => Type.Literal(k)), { description: 'quality 质量问题 · counterfeit 疑似假冒 · label 标签不符 · other 其他' });
const Status = Type.Union([Type.Literal('submitted'), Type.Literal('handling'), Type.Literal('closed')]);
const Complaint = Type.Object({
  id: Uuid, number: Type.String(), code: Type.String(), category: Type.String(), categoryName: Type.String(), text: Type.String(),
  contactName: Nullable(Type.String()), contactPhone: Nullable(Type.String()), photoFileId: Nullable(Uuid), divisionCode: Type.String(),
  orgId: Nullable(Uuid), orgName: Nullable(Type.String()), subjectId: Nullable(Uuid), batchId: Nullable(Uuid), status: Type.String(), outcome: Nullable(Type.String()),
  handledAt: Nullable(Type.String()), createdAt: Type.String(), allowedActions: Type.Array(Type.String()),
});
export const ComplaintBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 300, description: 'trace code, certificate number or subject identity code from the label' }),
  category: Type.Optional(Category),
  text: Type.String({ minLength: 1, maxLength: 2000 }),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  contactPhone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+\\- ]{5,20}$' }))),
  photoFileId: Type.Optional(Nullable(Uuid)),
}, { additionalProperties: false });

export default async function complaintRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['complaints'];
  r.post('/public/complaints', {
    config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      operationId: 'submitComplaint', summary: '投诉举报（公开；照片先用 uploadFile 上传，purpose=image）Submit a complaint (public; upload the photo first)', tags: ['public', ...tags],
      body: ComplaintBody,
      response: { 201: Type.Object({ id: Uuid, number: Type.String(), status: Type.String(), orgName: Nullable(Type.String()) }), ...errors(400, 404, 429) },
    },
  }, async (req, reply) => reply.status(201).send(await publicWrite(req, (ctx) => svc.submitComplaint(ctx, req.body))));

  r.get('/complaints', {
    config: { verb: 'complaint.handle' },
    schema: {
      operationId: 'listComplaints', summary: '本辖区投诉 Complaints in my jurisdiction', tags,
      querystring: Type.Object({ status: Type.Optional(Status), ...PageQuery }), response: { 200: Page(Complaint), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listComplaints(ctxOf(req), req.query));

  r.get('/complaints/:id', {
    config: { verb: 'complaint.handle' },
    schema: { operationId: 'getComplaint', summary: '投诉详情 A complaint', tags, params: Type.Object({ id: Uuid }), response: { 200: Complaint, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getComplaint(ctxOf(req), req.params.id));

  r.post('/complaints/:id/actions', {
    config: { verb: 'complaint.handle' },
    schema: {
      operationId: 'handleComplaint', summary: '受理 / 办结投诉（办结须填处理结果）Accept or close a complaint (closing needs the outcome)', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({ action: Type.Union([Type.Literal('accept'), Type.Literal('close')]), outcome: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 200: Complaint, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.handleComplaint(ctx, req.params.id, req.body)));
}
