import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, publicCtxOf, publicWrite, write } from '../../kernel/http.js';
import { Page, authErrors, errors } from '../../kernel/schemas.js';
import { AgencyChangeBody } from '../subjects/schemas.js';
import {
  Agency,
  Authorisation,
  AvailableAgency,
  ChangeOnBehalfResult,
  Client,
  Consent,
  ConsentBody,
  ConsentListQuery,
  Farmer,
  FarmerQuery,
  GrantBody,
  IdParam,
  ListPageQuery,
  ListQuery,
  OrgIdParam,
  RegisterBody,
  Registered,
  RegistrationStatus,
  RejectBody,
  RevokeConsentBody,
  SubjectIdParam,
} from './schemas.js';
import * as svc from './service.js';

export default async function agencyRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['service agencies'];
  r.post(
    '/service-agencies/registrations',
    {
      config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        operationId: 'registerServiceAgency',
        summary: '第三方服务机构注册（省级审核） Service agency registration (reviewed by the province)',
        tags,
        body: RegisterBody,
        response: { 201: Registered, ...errors(400, 409, 429) },
      },
    },
    async (req, reply) => reply.status(201).send(await publicWrite(req, (ctx) => svc.register(ctx, req.body))),
  );

  r.get(
    '/service-agencies/registrations/:orgId',
    {
      config: { public: true },
      schema: {
        operationId: 'getServiceAgencyRegistration',
        summary: '服务机构注册审核进度 Registration status',
        tags,
        params: OrgIdParam,
        response: { 200: RegistrationStatus, ...errors(404) },
      },
    },
    async (req) => svc.registrationStatus(publicCtxOf(req), req.params.orgId),
  );

  r.get(
    '/service-agencies',
    {
      config: { verb: 'agency.read' },
      schema: {
        operationId: 'listServiceAgencies',
        summary: '辖区服务机构 Service agencies in my jurisdiction',
        tags,
        querystring: ListQuery,
        response: { 200: Page(Agency), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  r.post(
    '/service-agencies/:orgId/approve',
    {
      config: { verb: 'agency.review' },
      schema: {
        operationId: 'approveServiceAgency',
        summary: '服务机构审核通过（省级） Approve an agency (province)',
        tags,
        params: OrgIdParam,
        response: { 200: Agency, ...authErrors, ...errors(404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.decide(ctx, req.params.orgId, true, null)),
  );

  r.post(
    '/service-agencies/:orgId/reject',
    {
      config: { verb: 'agency.review' },
      schema: {
        operationId: 'rejectServiceAgency',
        summary: '驳回服务机构注册 Reject an agency',
        tags,
        params: OrgIdParam,
        body: RejectBody,
        response: { 200: Agency, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.decide(ctx, req.params.orgId, false, req.body.reasons)),
  );

  r.get(
    '/my-subject/authorisations',
    {
      config: { verb: 'mySubject.authorise' },
      schema: {
        operationId: 'listMyAgencyAuthorisations',
        summary: '本主体对服务机构的授权 My authorisations of agencies',
        tags,
        querystring: ListPageQuery,
        response: { 200: Page(Authorisation), ...authErrors },
      },
    },
    async (req) => svc.myAuthorisations(ctxOf(req), req.query),
  );

  r.get(
    '/my-subject/available-agencies',
    {
      config: { verb: 'mySubject.authorise' },
      schema: {
        operationId: 'listAvailableAgencies',
        summary: '可授权的服务机构（本省已审核） Approved agencies I may authorise',
        tags,
        querystring: ListPageQuery,
        response: { 200: Page(AvailableAgency), ...authErrors },
      },
    },
    async (req) => svc.available(ctxOf(req), req.query),
  );

  r.post(
    '/my-subject/authorisations',
    {
      config: { verb: 'mySubject.authorise' },
      schema: {
        operationId: 'authoriseAgency',
        summary: '授权服务机构代为采集 Authorise an agency (scoped)',
        tags,
        body: GrantBody,
        response: { 200: Page(Authorisation), ...authErrors, ...errors(400) },
      },
    },
    async (req) => write(req, (ctx) => svc.grant(ctx, req.body)),
  );

  r.post(
    '/my-subject/authorisations/:id/revoke',
    {
      config: { verb: 'mySubject.authorise' },
      schema: {
        operationId: 'revokeAgencyAuthorisation',
        summary: '撤回授权 Revoke an authorisation',
        tags,
        params: IdParam,
        response: { 200: Page(Authorisation), ...authErrors, ...errors(404) },
      },
    },
    async (req) => write(req, (ctx) => svc.revoke(ctx, req.params.id)),
  );

  r.get(
    '/agency/clients',
    {
      config: { verb: 'agency.collect' },
      schema: {
        operationId: 'listAgencyClients',
        summary: '授权本机构代采的主体 Producers that authorised my agency',
        tags,
        querystring: ListPageQuery,
        response: { 200: Page(Client), ...authErrors },
      },
    },
    async (req) => svc.clients(ctxOf(req), req.query),
  );

  r.post(
    '/agency/clients/:subjectId/changes',
    {
      config: { verb: 'agency.collect' },
      schema: {
        operationId: 'requestSubjectChangeOnBehalf',
        summary: '代主体提交信息变更（记录代录机构） Submit a producer change on its behalf',
        tags,
        params: SubjectIdParam,
        body: AgencyChangeBody,
        response: { 200: ChangeOnBehalfResult, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.changeForClient(ctx, req.params.subjectId, req.body)),
  );

  // ── acting for a farmer with its consent (代农户办理) ────────────────────────────────────────────────────────────
  const consentTags = ['farmer consent'];
  r.get(
    '/farmer-consents/farmers',
    {
      config: { verb: 'farmer.assist' },
      schema: {
        operationId: 'listAssistableFarmers',
        summary: '辖区农户（按名称查找，附本人的有效同意） Farmers I may act for, with my live consent',
        tags: consentTags,
        querystring: FarmerQuery,
        response: { 200: Page(Farmer), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.farmers(ctxOf(req), req.query),
  );

  r.get(
    '/farmer-consents',
    {
      config: { verb: 'farmer.assist' },
      schema: {
        operationId: 'listFarmerConsents',
        summary: "辖区农户的代办同意记录 Farmers' consents in my jurisdiction",
        tags: consentTags,
        querystring: ConsentListQuery,
        response: { 200: Page(Consent), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listConsents(ctxOf(req), req.query),
  );

  r.post(
    '/farmer-consents',
    {
      config: { verb: 'farmer.assist' },
      schema: {
        operationId: 'recordFarmerConsent',
        summary: "记录农户同意由本人代为办理 Record a farmer's consent that I act for it",
        tags: consentTags,
        body: ConsentBody,
        response: { 201: Consent, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.recordConsent(ctx, req.body))),
  );

  r.post(
    '/farmer-consents/:id/revoke',
    {
      config: { verb: 'farmer.assist' },
      schema: {
        operationId: 'revokeFarmerConsent',
        summary: "撤回农户同意 Revoke a farmer's consent",
        tags: consentTags,
        params: IdParam,
        body: RevokeConsentBody,
        response: { 200: Consent, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.revokeConsent(ctx, req.params.id, req.body.reason)),
  );
}
