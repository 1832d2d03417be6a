import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { Page, authErrors, errors } from '../../kernel/schemas.js';
import {
  FollowUpInput,
  IdParams,
  Patrol,
  PatrolListQuery,
  PatrolPage,
  Plan,
  PlanInput,
  PlanListQuery,
  ScanQuery,
  ScanResult,
  StartInput,
  SubmitInput,
  Template,
  TemplateListQuery,
} from './schemas.js';
import * as svc from './service.js';

export default async function patrolRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['patrols'];

  r.get(
    '/patrol-templates',
    {
      config: { verb: 'patrol.read' },
      schema: {
        operationId: 'listPatrolTemplates',
        summary: '巡查检查表模板 Checklist templates',
        tags,
        querystring: TemplateListQuery,
        response: { 200: Page(Template), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listTemplates(ctxOf(req), req.query),
  );

  r.get(
    '/patrol-plans',
    {
      config: { verb: 'patrol.read' },
      schema: {
        operationId: 'listPatrolPlans',
        summary: '巡查计划及完成情况 Patrol plans with progress',
        tags,
        querystring: PlanListQuery,
        response: { 200: Page(Plan), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listPlans(ctxOf(req), req.query),
  );

  r.post(
    '/patrol-plans',
    {
      config: { verb: 'patrol.plan' },
      schema: {
        operationId: 'createPatrolPlan',
        summary: '制定巡查计划 Create a patrol plan for my organisation',
        tags,
        body: PlanInput,
        response: { 201: Plan, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createPlan(ctx, req.body))),
  );

  r.get(
    '/patrols/scan',
    {
      config: { verb: 'patrol.start' },
      schema: {
        operationId: 'scanSubjectForPatrol',
        summary: '扫主体身份码 Look up a producer by its identity code (scan)',
        tags,
        querystring: ScanQuery,
        response: { 200: ScanResult, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.scan(ctxOf(req), req.query.code),
  );

  r.post(
    '/patrols',
    {
      config: { verb: 'patrol.start' },
      schema: {
        operationId: 'startPatrol',
        summary: '扫码开始巡查 Start a patrol by the producer’s identity code',
        tags,
        body: StartInput,
        response: { 201: Patrol, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.startPatrol(ctx, req.body))),
  );

  r.post(
    '/patrols/:id/submit',
    {
      config: { verb: 'patrol.start' },
      schema: {
        operationId: 'submitPatrol',
        summary: '提交巡查结果（检查表、照片、签名） Submit a patrol result',
        description:
          'Photos and the drawn signature are uploaded first through `uploadFile` (POST /files?purpose=image, multipart) and named here by id.',
        tags,
        params: IdParams,
        body: SubmitInput,
        response: { 200: Patrol, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.submitPatrol(ctx, req.params.id, req.body)),
  );

  r.post(
    '/patrols/:id/follow-up',
    {
      config: { verb: 'patrol.start' },
      schema: {
        operationId: 'followUpPatrol',
        summary: '整改复查（闭环） Follow up a rectification',
        tags,
        params: IdParams,
        body: FollowUpInput,
        response: { 200: Patrol, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.followUp(ctx, req.params.id, req.body)),
  );

  r.get(
    '/patrols',
    {
      config: { verb: 'patrol.read' },
      schema: {
        operationId: 'listPatrols',
        summary: '本辖区巡查记录 Patrols in my jurisdiction',
        tags,
        querystring: PatrolListQuery,
        response: { 200: PatrolPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listPatrols(ctxOf(req), req.query),
  );

  r.get(
    '/patrols/:id',
    {
      config: { verb: 'patrol.read' },
      schema: {
        operationId: 'getPatrol',
        summary: '巡查详情 A patrol',
        tags,
        params: IdParams,
        response: { 200: Patrol, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getPatrol(ctxOf(req), req.params.id),
  );
}
