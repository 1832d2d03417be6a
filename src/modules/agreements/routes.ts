import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DivisionCode, Nullable, Page, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Template = Type.Object({ id: Uuid, countyCode: Type.String(), version: Type.Integer(), title: Type.String(), body: Type.String(), createdAt: Type.String() });
const Mine = Type.Object({
  template: Nullable(Template), signedCurrent: Type.Boolean(), signedAt: Nullable(Type.String()),
  history: Type.Array(Type.Object({ version: Type.Integer(), signedAt: Type.String(), signerName: Nullable(Type.String()) })),
});

export default async function agreementRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['traceability agreements'];
  r.get('/agreement-templates', {
    config: { verb: 'agreement.read' },
    schema: { operationId: 'listAgreementTemplates', summary: '县级追溯协议模板（各版本） Agreement template versions of a county', tags, querystring: Type.Object({ county: Type.Optional(DivisionCode) }), response: { 200: Type.Array(Template), ...authErrors, ...errors(400) } },
  }, async (req) => svc.templates(ctxOf(req), req.query.county));

  r.post('/agreement-templates', {
    config: { verb: 'agreement.manage' },
    schema: { operationId: 'publishAgreementTemplate', summary: '发布新版追溯协议 Publish a new version of the county template', tags, body: Type.Object({ title: Type.String({ minLength: 2, maxLength: 100 }), body: Type.String({ minLength: 10, maxLength: 20000 }) }, { additionalProperties: false }), response: { 201: Template, ...authErrors, ...errors(400) } },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.publish(ctx, req.body))));

  r.get('/agreements/unsigned', {
    config: { verb: 'agreement.read' },
    schema: {
      operationId: 'listUnsignedAgreements', summary: '未签订追溯协议的主体 Producers without a signed current agreement', tags,
      querystring: Type.Object({ within: Type.Optional(DivisionCode), ...PageQuery }),
      response: {
        200: Page(Type.Object({ subjectId: Uuid, name: Type.String(), identityCode: Nullable(Type.String()), divisionCode: Type.String(), divisionName: Type.String(), contactName: Type.String(), contactPhone: Type.String(), currentVersion: Nullable(Type.Integer()), signedVersion: Nullable(Type.Integer()) })),
        ...authErrors, ...errors(400),
      },
    },
  }, async (req) => svc.unsigned(ctxOf(req), req.query));

  r.get('/my-subject/agreement', {
    config: { verb: 'mySubject.read' },
    schema: { operationId: 'getMyAgreement', summary: '本县追溯协议及签订情况 My county’s agreement and whether I accepted it', tags, response: { 200: Mine, ...authErrors, ...errors(403, 404) } },
  }, async (req) => svc.mine(ctxOf(req)));

  r.post('/my-subject/agreement', {
    config: { verb: 'agreement.sign' },
    schema: { operationId: 'signAgreement', summary: '签订（接受）追溯协议 Accept the current agreement', tags, body: Type.Object({ templateId: Uuid }, { additionalProperties: false }), response: { 200: Mine, ...authErrors, ...errors(400, 409) } },
  }, async (req) => write(req, (ctx) => svc.sign(ctx, req.body.templateId)));
}
