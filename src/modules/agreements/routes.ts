import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { Page, authErrors, errors } from '../../kernel/schemas.js';
import {
  Mine,
  PublishBody,
  RemindBody,
  Reminded,
  SignBody,
  SignatureItem,
  SignatureParams,
  SignaturesQuery,
  Template,
  TemplatesQuery,
  UnsignedItem,
  UnsignedQuery,
} from './schemas.js';
import * as svc from './service.js';

export default async function agreementRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['traceability agreements'];
  r.get(
    '/agreement-templates',
    {
      config: { verb: 'agreement.read' },
      schema: {
        operationId: 'listAgreementTemplates',
        summary: '县级追溯协议模板（各版本） Agreement template versions of a county',
        tags,
        querystring: TemplatesQuery,
        response: { 200: Page(Template), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.templates(ctxOf(req), req.query),
  );

  r.post(
    '/agreement-templates',
    {
      config: { verb: 'agreement.manage' },
      schema: {
        operationId: 'publishAgreementTemplate',
        summary: '发布新版追溯协议 Publish a new version of the county template',
        tags,
        body: PublishBody,
        response: { 201: Template, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.publish(ctx, req.body))),
  );

  r.get(
    '/agreements/unsigned',
    {
      config: { verb: 'agreement.read' },
      schema: {
        operationId: 'listUnsignedAgreements',
        summary: '未签订追溯协议的主体 Producers without a signed current agreement',
        tags,
        querystring: UnsignedQuery,
        response: { 200: Page(UnsignedItem), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.unsigned(ctxOf(req), req.query),
  );

  r.get(
    '/my-subject/agreement',
    {
      config: { verb: 'mySubject.read' },
      schema: {
        operationId: 'getMyAgreement',
        summary: '本县追溯协议及签订情况 My county’s agreement and whether I accepted it',
        tags,
        response: { 200: Mine, ...authErrors, ...errors(403, 404) },
      },
    },
    async (req) => svc.mine(ctxOf(req)),
  );

  r.post(
    '/my-subject/agreement',
    {
      config: { verb: 'agreement.sign' },
      schema: {
        operationId: 'signAgreement',
        summary: '签订（接受）追溯协议 Accept the current agreement',
        tags,
        body: SignBody,
        response: { 200: Mine, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.sign(ctx, req.body)),
  );

  r.post(
    '/agreements/remind',
    {
      config: { verb: 'agreement.manage' },
      schema: {
        operationId: 'remindUnsignedAgreements',
        summary: '提醒未签订追溯协议的主体 Remind producers that have not accepted the current agreement',
        tags,
        body: RemindBody,
        response: { 200: Reminded, ...authErrors, ...errors(400) },
      },
    },
    async (req) => write(req, (ctx) => svc.remind(ctx, req.body)),
  );

  r.get(
    '/agreements',
    {
      config: { verb: 'agreement.read' },
      schema: {
        operationId: 'listAgreementSignatures',
        summary:
          '主体已签订的追溯协议（待县级签署 / 双方已签） Producers’ acceptances, awaiting or with the county’s signature',
        tags,
        querystring: SignaturesQuery,
        response: { 200: Page(SignatureItem), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listSignatures(ctxOf(req), req.query),
  );

  r.post(
    '/agreements/:id/countersign',
    {
      config: { verb: 'agreement.manage' },
      schema: {
        operationId: 'countersignAgreement',
        summary: '县级签署追溯协议 The county signs the agreement as the other party',
        tags,
        params: SignatureParams,
        response: { 200: SignatureItem, ...authErrors, ...errors(404, 409) },
      },
    },
    async (req) => write(req, (c) => svc.countersign(c, req.params.id)),
  );
}
