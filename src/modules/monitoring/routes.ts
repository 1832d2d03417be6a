import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DateTime, DivisionCode, Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const DateOnly = Type.String({ format: 'date' });
const Kind = Type.Union(['routine', 'special', 'supervisory', 'retest', 'emergency'].map((k) => Type.Literal(k)), { description: 'routine 例行监测 · special 专项监测 · supervisory 监督抽查 · retest 复检 · emergency 应急' });
const Level = Type.Union(['ministry', 'province', 'city', 'county'].map((k) => Type.Literal(k)));
const Item = Type.Object({ item: Type.String({ minLength: 1, maxLength: 60 }), unit: Type.String({ minLength: 1, maxLength: 20 }), limit: Nullable(Type.Number({ minimum: 0 })), standard: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const TaskBase = {
  id: Uuid, code: Type.String(), title: Type.String(), kind: Type.String(), kindZh: Type.String(), level: Type.String(), orgId: Uuid, divisionCode: Type.String(),
  products: Type.Array(Type.String()), items: Type.Array(Type.Object({ item: Type.String(), unit: Type.String(), limit: Nullable(Type.Number()), standard: Type.String() })),
  startDate: Type.String(), endDate: Type.String(), status: Type.String(), createdAt: Type.String(),
};
const Task = Type.Object({
  ...TaskBase,
  assignments: Type.Array(Type.Object({ id: Uuid, testingOrgId: Uuid, testingOrgName: Type.String(), divisionCode: Type.String(), quantity: Type.Integer(), deadline: Type.String(), sampled: Type.Integer(), tested: Type.Integer(), failed: Type.Integer() })),
});
const Result = Type.Object({ item: Type.String(), value: Nullable(Type.Number()), valueText: Nullable(Type.String()), unit: Type.String(), limit: Nullable(Type.Number()), standard: Type.String(), passed: Type.Boolean() });
const Sheet = Type.Object({
  id: Uuid, assignmentId: Uuid, taskId: Uuid, taskCode: Type.String(), taskTitle: Type.String(), taskItems: Type.Array(Type.Object({ item: Type.String(), unit: Type.String(), limit: Nullable(Type.Number()), standard: Type.String() })),
  testingOrgId: Uuid, testingOrgName: Type.String(), sampleCode: Type.String(), productName: Type.String(), traceCode: Nullable(Type.String()), tempCode: Nullable(Type.String()),
  subjectId: Nullable(Uuid), subjectName: Type.String(), tempSubject: Type.Unknown(), place: Type.String(), divisionCode: Type.String(), sampledAt: Type.String(),
  longitude: Nullable(Type.Number()), latitude: Nullable(Type.Number()), quantity: Nullable(Type.String()), photoIds: Type.Array(Uuid), samplerName: Type.String(),
  status: Type.String(), testedAt: Nullable(Type.String()), results: Type.Array(Result),
});
const Risk = Type.Object({
  id: Uuid, sheetId: Uuid, subjectId: Nullable(Uuid), subjectName: Type.String(), traceCode: Nullable(Type.String()), batchId: Nullable(Uuid), productName: Type.String(),
  countyCode: Type.String(), divisionCode: Type.String(), failedItems: Type.Array(Type.Unknown()), trace: Type.Unknown(), proposedRecall: Type.Unknown(), recallId: Nullable(Uuid),
  status: Type.String(), creditRecordId: Nullable(Uuid), createdAt: Type.String(), recallOpenedAt: Nullable(Type.String()), allowedActions: Type.Array(Type.String()),
});
const ResultIn = Type.Object({
  item: Type.String({ minLength: 1, maxLength: 60 }),
  value: Type.Optional(Nullable(Type.Number())),
  valueText: Type.Optional(Nullable(Type.String({ maxLength: 30, description: 'e.g. 未检出 / ND' }))),
  unit: Type.String({ minLength: 1, maxLength: 20 }),
  limit: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
  standard: Type.String({ minLength: 1, maxLength: 100 }),
  passed: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export default async function monitoringRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['monitoring'];
  r.post('/monitoring-tasks', {
    config: { verb: 'monitoring.manage' },
    schema: {
      operationId: 'createMonitoringTask', summary: '下达监测任务并分配检测机构 Create a monitoring task with assignments', tags,
      body: Type.Object({
        title: Type.String({ minLength: 2, maxLength: 100 }),
        kind: Kind,
        level: Type.Optional(Level),
        products: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 50 }),
        items: Type.Array(Item, { minItems: 1, maxItems: 100 }),
        startDate: DateOnly,
        endDate: DateOnly,
        drawId: Type.Optional(Uuid),
        assignments: Type.Array(Type.Object({ testingOrgId: Uuid, divisionCode: DivisionCode, quantity: Type.Integer({ minimum: 1, maximum: 100000 }), deadline: DateOnly }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
      }, { additionalProperties: false }),
      response: { 201: Task, ...authErrors, ...errors(400) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createMonitoringTask(ctx, req.body as svc.TaskInput))));

  r.get('/monitoring-tasks', {
    config: { verb: 'monitoring.read' },
    schema: { operationId: 'listMonitoringTasks', summary: '监测任务 Monitoring tasks (mine or assigned to me)', tags, response: { 200: Type.Array(Type.Object(TaskBase)), ...authErrors } },
  }, async (req) => svc.listTasks(ctxOf(req)));

  r.get('/monitoring-tasks/:id', {
    config: { verb: 'monitoring.read' },
    schema: { operationId: 'getMonitoringTask', summary: '监测任务详情及进度 A task with progress', tags, params: Type.Object({ id: Uuid }), response: { 200: Task, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getTask(ctxOf(req), req.params.id));

  r.get('/monitoring-assignments/mine', {
    config: { verb: 'monitoring.sample' },
    schema: {
      operationId: 'listMyAssignments', summary: '本检测机构的抽样任务 Assignments of my testing organisation', tags,
      response: { 200: Type.Array(Type.Object({ id: Uuid, taskId: Uuid, taskCode: Type.String(), taskTitle: Type.String(), taskKind: Type.String(), products: Type.Array(Type.String()), divisionCode: Type.String(), quantity: Type.Integer(), deadline: Type.String(), sampled: Type.Integer() })), ...authErrors },
    },
  }, async (req) => svc.myAssignments(ctxOf(req)));

  r.post('/monitoring-assignments/:id/sheets', {
    config: { verb: 'monitoring.sample' },
    schema: {
      operationId: 'submitSamplingSheet', summary: '提交抽样单 Submit a sampling sheet', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({
        productName: Type.String({ minLength: 1, maxLength: 60 }),
        traceCode: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
        tempCode: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
        identityCode: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
        subjectId: Type.Optional(Nullable(Uuid)),
        tempSubject: Type.Optional(Nullable(Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), contact: Type.Optional(Nullable(Type.String({ maxLength: 50 }))), phone: Type.Optional(Nullable(Type.String({ maxLength: 20 }))), address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))) }, { additionalProperties: false }))),
        place: Type.String({ minLength: 1, maxLength: 200 }),
        divisionCode: DivisionCode,
        sampledAt: DateTime,
        longitude: Type.Optional(Type.Number({ minimum: 73, maximum: 136 })),
        latitude: Type.Optional(Type.Number({ minimum: 3, maximum: 54 })),
        quantity: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
        photoIds: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true })),
        randomTaskId: Type.Optional(Nullable(Uuid)),
      }, { additionalProperties: false }),
      response: { 201: Sheet, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.submitSamplingSheet(ctx, req.params.id, req.body))));

  r.get('/sampling-sheets', {
    config: { verb: 'monitoring.read' },
    schema: {
      operationId: 'listSamplingSheets', summary: '抽样单 Sampling sheets (my lab’s, or in my jurisdiction)', tags,
      querystring: Type.Object({ taskId: Type.Optional(Uuid), status: Type.Optional(Type.Union([Type.Literal('sampled'), Type.Literal('passed'), Type.Literal('failed')])) }),
      response: { 200: Type.Array(Sheet), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listSheets(ctxOf(req), req.query));

  r.get('/sampling-sheets/:id', {
    config: { verb: 'monitoring.read' },
    schema: { operationId: 'getSamplingSheet', summary: '抽样单详情 A sampling sheet with results', tags, params: Type.Object({ id: Uuid }), response: { 200: Sheet, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getSheet(ctxOf(req), req.params.id));

  r.post('/sampling-sheets/:id/results', {
    config: { verb: 'monitoring.test' },
    schema: {
      operationId: 'submitTestResults', summary: '录入检测结果（不合格自动启动风险处置） Enter test results', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({ results: Type.Array(ResultIn, { minItems: 1, maxItems: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ ...Sheet.properties, riskCaseId: Nullable(Uuid) }), ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.submitTestResults(ctx, req.params.id, req.body.results)));

  r.post('/test-results/import', {
    config: { verb: 'monitoring.test' },
    bodyLimit: 12 * 1024 * 1024,
    schema: {
      operationId: 'importTestResults', summary: 'Excel 批量导入检测结果（全部正确才导入） Import results from Excel', tags,
      body: Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })), contentBase64: Type.String({ minLength: 1, maxLength: 12 * 1024 * 1024 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ imported: Type.Integer(), sheets: Type.Array(Type.Object({ sheetId: Uuid, sampleCode: Type.String(), status: Type.String(), riskCaseId: Nullable(Uuid) })) }), ...authErrors, ...errors(400, 415) },
    },
  }, async (req) => write(req, (ctx) => svc.importTestResults(ctx, req.body.contentBase64)));

  r.get('/test-results/template.xlsx', {
    config: { verb: 'monitoring.test' },
    schema: { operationId: 'getTestResultsTemplate', summary: '检测结果导入模板 Import template', tags, response: { ...authErrors } },
  }, async (_req, reply) =>
    reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', "attachment; filename*=UTF-8''test-results.xlsx").send((await svc.resultsTemplate()) as never));

  r.get('/risk-cases', {
    config: { verb: 'monitoring.read' },
    schema: {
      operationId: 'listRiskCases', summary: '风险处置（不合格样品） Risk cases from failed tests', tags,
      querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('recall_opened'), Type.Literal('closed')])) }),
      response: { 200: Type.Array(Risk), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listRisks(ctxOf(req), req.query.status));

  r.get('/risk-cases/:id', {
    config: { verb: 'monitoring.read' },
    schema: { operationId: 'getRiskCase', summary: '风险处置详情 A risk case', tags, params: Type.Object({ id: Uuid }), response: { 200: Risk, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getRisk(ctxOf(req), req.params.id));

  r.post('/risk-cases/:id/actions', {
    config: { verb: 'risk.recall' },
    schema: {
      operationId: 'actOnRiskCase', summary: '一键启动召回或结案 Open the proposed recall, or close the case', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({ action: Type.Union([Type.Literal('openRecall'), Type.Literal('close')]), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
      response: { 200: Risk, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.openRecall(ctx, req.params.id, req.body.action, req.body.note)));
}
