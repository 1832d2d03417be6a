import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicCtxOf, publicWrite, write } from '../../kernel/http.js';
import { DivisionCode, Nullable, Phone, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Scope = Type.String({ enum: Object.keys(svc.SCOPES), description: 'profile 主体信息 · products 产品 · bases 基地 · batches 批次' });
const Agency = Type.Object({
  orgId: Uuid, name: Type.String(), divisionCode: Type.String(), creditCode: Nullable(Type.String()), legalPerson: Nullable(Type.String()), services: Nullable(Type.String()),
  contactName: Nullable(Type.String()), contactPhone: Nullable(Type.String()), status: Type.String(), reasons: Nullable(Type.String()), submittedAt: Nullable(Type.String()), allowedActions: Type.Array(Type.String()),
});
const Authorisation = Type.Object({ id: Uuid, agencyOrgId: Uuid, agencyName: Type.String(), scopes: Type.Array(Type.String()), grantedAt: Type.String(), revokedAt: Nullable(Type.String()), active: Type.Boolean() });

export default async function agencyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['service agencies'];
  r.post('/service-agencies/registrations', {
    config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      operationId: 'registerServiceAgency', summary: '第三方服务机构注册（省级审核） Service agency registration (reviewed by the province)', tags,
      body: Type.Object({
        name: Type.String({ minLength: 2, maxLength: 100 }), creditCode: Type.String({ minLength: 18, maxLength: 24 }), legalPerson: Type.String({ minLength: 1, maxLength: 50 }),
        services: Type.String({ minLength: 2, maxLength: 500 }), divisionCode: DivisionCode, contactName: Type.String({ minLength: 1, maxLength: 50 }), contactPhone: Phone,
        address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), username: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]{2,31}$' }), password: Type.String({ minLength: 8, maxLength: 128 }),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ orgId: Uuid, status: Type.String() }), ...errors(400, 409, 429) },
    },
  }, async (req, reply) => reply.status(201).send(await publicWrite(req, (ctx) => svc.register(ctx, req.body))));

  r.get('/service-agencies/registrations/:orgId', {
    config: { public: true },
    schema: { operationId: 'getServiceAgencyRegistration', summary: '服务机构注册审核进度 Registration status', tags, params: Type.Object({ orgId: Uuid }), response: { 200: Type.Object({ name: Type.String(), status: Type.String(), reasons: Nullable(Type.String()), submittedAt: Type.String(), decidedAt: Nullable(Type.String()) }), ...errors(404) } },
  }, async (req) => svc.registrationStatus(publicCtxOf(req), req.params.orgId));

  r.get('/service-agencies', {
    config: { verb: 'agency.read' },
    schema: { operationId: 'listServiceAgencies', summary: '辖区服务机构 Service agencies in my jurisdiction', tags, querystring: Type.Object({ status: Type.Optional(Type.String({ enum: ['pending', 'approved', 'rejected'] })) }), response: { 200: Type.Array(Agency), ...authErrors, ...errors(400) } },
  }, async (req) => svc.list(ctxOf(req), req.query));

  r.post('/service-agencies/:orgId/approve', {
    config: { verb: 'agency.review' },
    schema: { operationId: 'approveServiceAgency', summary: '服务机构审核通过（省级） Approve an agency (province)', tags, params: Type.Object({ orgId: Uuid }), response: { 200: Agency, ...authErrors, ...errors(404, 409) } },
  }, async (req) => write(req, (ctx) => svc.decide(ctx, req.params.orgId, true, null)) as never);

  r.post('/service-agencies/:orgId/reject', {
    config: { verb: 'agency.review' },
    schema: { operationId: 'rejectServiceAgency', summary: '驳回服务机构注册 Reject an agency', tags, params: Type.Object({ orgId: Uuid }), body: Type.Object({ reasons: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }), response: { 200: Agency, ...authErrors, ...errors(400, 404, 409) } },
  }, async (req) => write(req, (ctx) => svc.decide(ctx, req.params.orgId, false, req.body.reasons)) as never);

  r.get('/my-subject/authorisations', {
    config: { verb: 'mySubject.authorise' },
    schema: { operationId: 'listMyAgencyAuthorisations', summary: '本主体对服务机构的授权 My authorisations of agencies', tags, response: { 200: Type.Array(Authorisation), ...authErrors } },
  }, async (req) => svc.myAuthorisations(ctxOf(req)));

  r.get('/my-subject/available-agencies', {
    config: { verb: 'mySubject.authorise' },
    schema: { operationId: 'listAvailableAgencies', summary: '可授权的服务机构（本省已审核） Approved agencies I may authorise', tags, response: { 200: Type.Array(Type.Object({ orgId: Uuid, name: Type.String(), divisionCode: Type.String(), services: Nullable(Type.String()) })), ...authErrors } },
  }, async (req) => svc.available(ctxOf(req)));

  r.post('/my-subject/authorisations', {
    config: { verb: 'mySubject.authorise' },
    schema: { operationId: 'authoriseAgency', summary: '授权服务机构代为采集 Authorise an agency (scoped)', tags, body: Type.Object({ agencyOrgId: Uuid, scopes: Type.Array(Scope, { minItems: 1, maxItems: 4, uniqueItems: true }) }, { additionalProperties: false }), response: { 200: Type.Array(Authorisation), ...authErrors, ...errors(400) } },
  }, async (req) => write(req, (ctx) => svc.grant(ctx, req.body)));

  r.post('/my-subject/authorisations/:id/revoke', {
    config: { verb: 'mySubject.authorise' },
    schema: { operationId: 'revokeAgencyAuthorisation', summary: '撤回授权 Revoke an authorisation', tags, params: Type.Object({ id: Uuid }), response: { 200: Type.Array(Authorisation), ...authErrors, ...errors(404) } },
  }, async (req) => write(req, (ctx) => svc.revoke(ctx, req.params.id)));

  r.get('/agency/clients', {
    config: { verb: 'agency.collect' },
    schema: {
      operationId: 'listAgencyClients', summary: '授权本机构代采的主体 Producers that authorised my agency', tags,
      response: { 200: Type.Array(Type.Object({ authorisationId: Uuid, scopes: Type.Array(Type.String()), grantedAt: Type.String(), subjectId: Uuid, name: Type.String(), identityCode: Nullable(Type.String()), status: Type.String(), divisionCode: Type.String() })), ...authErrors },
    },
  }, async (req) => svc.clients(ctxOf(req)));

  r.post('/agency/clients/:subjectId/changes', {
    config: { verb: 'agency.collect' },
    schema: {
      operationId: 'requestSubjectChangeOnBehalf', summary: '代主体提交信息变更（记录代录机构） Submit a producer change on its behalf', tags, params: Type.Object({ subjectId: Uuid }),
      body: Type.Object({ changes: Type.Object({ contactName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), contactPhone: Type.Optional(Phone), address: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })), longitude: Type.Optional(Type.Number({ minimum: 73, maximum: 136 })), latitude: Type.Optional(Type.Number({ minimum: 3, maximum: 54 })) }, { additionalProperties: false }), reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Uuid, name: Type.String(), status: Type.String(), applications: Type.Array(Type.Any()) }), ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.changeForClient(ctx, req.params.subjectId, req.body)));
}
