import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DivisionCode, Nullable, Page, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Lng = Type.Number({ minimum: 73, maximum: 136 });
const Lat = Type.Number({ minimum: 3, maximum: 54 });
const DateOnly = Type.String({ format: 'date' });
const FileRef = Type.Object({ id: Uuid, name: Type.String(), mime: Type.String() });
const Target = Type.Union([Type.Literal('base'), Type.Literal('subject'), Type.Literal('input_dealer')], { description: 'base 基地 · subject 主体 · input_dealer 农资经营店' });

const Template = Type.Object({
  id: Uuid, code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), target: Type.String(),
  items: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), critical: Type.Boolean() })),
});
const Plan = Type.Object({
  id: Uuid, orgId: Uuid, orgName: Type.String(), divisionCode: Type.String(), year: Type.Integer(), period: Type.String(), periodNo: Type.Integer(),
  target: Type.Integer(), title: Type.String(), done: Type.Integer(),
});
export const Patrol = Type.Object({
  id: Uuid, orgId: Uuid, orgName: Type.String(), divisionCode: Type.String(), subjectId: Uuid, subjectName: Type.String(), identityCode: Nullable(Type.String()),
  target: Type.String(), templateId: Uuid, templateName: Type.String(),
  templateItems: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), critical: Type.Boolean() })),
  planId: Nullable(Uuid), taskId: Nullable(Uuid), inspectorId: Uuid, inspectorName: Type.String(),
  status: Type.String(), statusZh: Type.String(), statusEn: Type.String(), result: Nullable(Type.String()),
  checklist: Type.Array(Type.Object({ code: Type.String(), ok: Type.Boolean(), note: Nullable(Type.String()) })),
  findings: Nullable(Type.String()), photos: Type.Array(FileRef), signature: Nullable(FileRef), signerName: Nullable(Type.String()),
  longitude: Nullable(Type.Number()), latitude: Nullable(Type.Number()), accuracyM: Nullable(Type.Number()), rectifyDeadline: Nullable(Type.String()),
  startedAt: Type.String(), submittedAt: Nullable(Type.String()), followUpNote: Nullable(Type.String()), followUpPhotos: Type.Array(FileRef),
  closedAt: Nullable(Type.String()), allowedActions: Type.Array(Type.String()),
});

export default async function patrolRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['patrols'];

  r.get('/patrol-templates', {
    config: { verb: 'patrol.read' },
    schema: { operationId: 'listPatrolTemplates', summary: '巡查检查表模板 Checklist templates', tags, response: { 200: Type.Array(Template), ...authErrors } },
  }, async (req) => svc.listTemplates(ctxOf(req)));

  r.get('/patrol-plans', {
    config: { verb: 'patrol.read' },
    schema: {
      operationId: 'listPatrolPlans', summary: '巡查计划及完成情况 Patrol plans with progress', tags,
      querystring: Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }),
      response: { 200: Type.Array(Plan), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listPlans(ctxOf(req), req.query.year));

  r.post('/patrol-plans', {
    config: { verb: 'patrol.plan' },
    schema: {
      operationId: 'createPatrolPlan', summary: '制定巡查计划 Create a patrol plan for my organisation', tags,
      body: Type.Object({
        year: Type.Integer({ minimum: 2000, maximum: 2100 }),
        period: Type.Union([Type.Literal('year'), Type.Literal('quarter'), Type.Literal('month')]),
        periodNo: Type.Optional(Type.Integer({ minimum: 0, maximum: 12 })),
        target: Type.Integer({ minimum: 1, maximum: 100000 }),
        title: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
      }, { additionalProperties: false }),
      response: { 201: Plan, ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createPlan(ctx, req.body))));

  r.get('/patrols/scan', {
    config: { verb: 'patrol.start' },
    schema: {
      operationId: 'scanSubjectForPatrol', summary: '扫主体身份码 Look up a producer by its identity code (scan)', tags,
      querystring: Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) }),
      response: {
        200: Type.Object({
          subject: Type.Object({
            id: Uuid, name: Type.String(), divisionCode: Type.String(), identityCode: Nullable(Type.String()), status: Type.String(), orgForm: Type.String(),
            industries: Type.Array(Type.String()), contactName: Type.String(), contactPhone: Type.String(), address: Type.String(),
          }),
          credit: Type.Object({ grade: Type.String(), gradeZh: Type.String(), points: Type.Integer(), repeatOffender: Type.Boolean() }),
          openTasks: Type.Array(Type.Object({ id: Uuid, drawId: Uuid })),
          recentPatrols: Type.Array(Type.Object({ id: Uuid, status: Type.String(), startedAt: Type.String(), inspectorName: Type.String() })),
        }),
        ...authErrors, ...errors(400, 404),
      },
    },
  }, async (req) => svc.scan(ctxOf(req), req.query.code));

  r.post('/patrols', {
    config: { verb: 'patrol.start' },
    schema: {
      operationId: 'startPatrol', summary: '扫码开始巡查 Start a patrol by the producer’s identity code', tags,
      body: Type.Object({
        identityCode: Type.String({ minLength: 1, maxLength: 300 }),
        target: Type.Optional(Target),
        templateId: Type.Optional(Uuid),
        planId: Type.Optional(Uuid),
        taskId: Type.Optional(Uuid),
        longitude: Type.Optional(Lng),
        latitude: Type.Optional(Lat),
        accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100000 })),
      }, { additionalProperties: false }),
      response: { 201: Patrol, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.startPatrol(ctx, req.body))));

  r.post('/patrols/:id/submit', {
    config: { verb: 'patrol.start' },
    schema: {
      operationId: 'submitPatrol', summary: '提交巡查结果（检查表、照片、签名） Submit a patrol result', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({
        result: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('rectify')], { description: 'pass 合格 · fail 不合格 · rectify 限期整改' }),
        checklist: Type.Array(Type.Object({ code: Type.String({ maxLength: 40 }), ok: Type.Boolean(), note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))) }, { additionalProperties: false }), { maxItems: 100 }),
        findings: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
        photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
        signatureFileId: Type.Optional(Nullable(Uuid)),
        signerName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
        rectifyDeadline: Type.Optional(Nullable(DateOnly)),
        longitude: Type.Optional(Lng),
        latitude: Type.Optional(Lat),
        accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100000 })),
      }, { additionalProperties: false }),
      response: { 200: Patrol, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.submitPatrol(ctx, req.params.id, req.body)));

  r.post('/patrols/:id/follow-up', {
    config: { verb: 'patrol.start' },
    schema: {
      operationId: 'followUpPatrol', summary: '整改复查（闭环） Follow up a rectification', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({ rectified: Type.Boolean(), note: Type.String({ minLength: 1, maxLength: 2000 }), photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })) }, { additionalProperties: false }),
      response: { 200: Patrol, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.followUp(ctx, req.params.id, req.body)));

  r.get('/patrols', {
    config: { verb: 'patrol.read' },
    schema: {
      operationId: 'listPatrols', summary: '本辖区巡查记录 Patrols in my jurisdiction', tags,
      querystring: Type.Object({ within: Type.Optional(DivisionCode), status: Type.Optional(Type.String({ maxLength: 20 })), subjectId: Type.Optional(Uuid), ...PageQuery }),
      response: { 200: Page(Patrol), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listPatrols(ctxOf(req), req.query));

  r.get('/patrols/:id', {
    config: { verb: 'patrol.read' },
    schema: { operationId: 'getPatrol', summary: '巡查详情 A patrol', tags, params: Type.Object({ id: Uuid }), response: { 200: Patrol, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getPatrol(ctxOf(req), req.params.id));
}
