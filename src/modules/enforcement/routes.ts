import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DivisionCode, Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';
import { VIOLATIONS } from './states.js';

const Violation = Type.Union(Object.keys(VIOLATIONS).map((k) => Type.Literal(k)), { description: 'seed 001 art. 17: false_info (1) · chain_broken (2) · identity_misuse (3) · batch_mixing (4) · other' });
const Case = Type.Object({
  id: Uuid, caseNo: Type.String(), orgId: Uuid, orgName: Type.String(), divisionCode: Type.String(), subjectId: Nullable(Uuid), partyName: Type.String(),
  productName: Nullable(Type.String()), traceCode: Nullable(Type.String()), batchId: Nullable(Uuid), facts: Type.String(), violationType: Type.String(),
  violationZh: Type.String(), violationEn: Type.String(), article: Type.String(), sourceType: Nullable(Type.String()), sourceId: Nullable(Uuid), decision: Nullable(Type.String()),
  fineYuan: Nullable(Type.Number()), attachments: Type.Array(Type.Object({ id: Uuid, name: Type.String(), mime: Type.String() })), status: Type.String(),
  statusZh: Type.String(), statusEn: Type.String(), creditRecordId: Nullable(Uuid), createdAt: Type.String(), decidedAt: Nullable(Type.String()), closedAt: Nullable(Type.String()),
  allowedActions: Type.Array(Type.String()),
});

export default async function enforcementRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['enforcement'];
  r.post('/enforcement-cases', {
    config: { verb: 'enforcement.manage' },
    schema: {
      operationId: 'createEnforcementCase', summary: '立案（行政处罚案件） Register an administrative penalty case', tags,
      body: Type.Object({
        identityCode: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
        subjectId: Type.Optional(Nullable(Uuid)),
        partyName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
        divisionCode: Type.Optional(Nullable(DivisionCode)),
        productName: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
        traceCode: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
        facts: Type.String({ minLength: 5, maxLength: 5000 }),
        violationType: Violation,
        sourceType: Type.Optional(Nullable(Type.Union(['patrol', 'risk_case', 'inspection', 'complaint', 'other'].map((k) => Type.Literal(k))))),
        sourceId: Type.Optional(Nullable(Uuid)),
        attachmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 30, uniqueItems: true })),
      }, { additionalProperties: false }),
      response: { 201: Case, ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createEnforcementCase(ctx, req.body as svc.CaseInput))));

  r.post('/enforcement-cases/:id/actions', {
    config: { verb: 'enforcement.manage' },
    schema: {
      operationId: 'actOnEnforcementCase', summary: '案件流转（调查、决定、结案、撤案） Move a case along its state table', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({
        action: Type.Union(['investigate', 'decide', 'close', 'dismiss'].map((k) => Type.Literal(k))),
        decision: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
        fineYuan: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e10 }))),
        note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
      }, { additionalProperties: false }),
      response: { 200: Case, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.actOnCase(ctx, req.params.id, req.body as never)));

  r.get('/enforcement-cases', {
    config: { verb: 'enforcement.read' },
    schema: {
      operationId: 'listEnforcementCases', summary: '本辖区执法案件 Cases in my jurisdiction', tags,
      querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 20 })), subjectId: Type.Optional(Uuid), violationType: Type.Optional(Violation) }),
      response: { 200: Type.Array(Case), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listCases(ctxOf(req), req.query));

  r.get('/enforcement-cases/:id', {
    config: { verb: 'enforcement.read' },
    schema: { operationId: 'getEnforcementCase', summary: '案件详情 A case', tags, params: Type.Object({ id: Uuid }), response: { 200: Case, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getCase(ctxOf(req), req.params.id));
}
