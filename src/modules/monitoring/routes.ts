import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { importRoutes } from '../../kernel/import-routes.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import {
  AssignmentListQuery,
  IdParams,
  Pages,
  QuotaQuery,
  QuotaSuggestion,
  ResultsInput,
  Risk,
  RiskActionInput,
  RiskListQuery,
  Sheet,
  SheetInput,
  SheetListQuery,
  SheetWithRisk,
  Task,
  TaskInput,
  TaskListQuery,
} from './schemas.js';
import { ResultsReport, resultsImport, resultsTemplate } from './import.js';
import * as svc from './service.js';

export default async function monitoringRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['monitoring'];
  r.post(
    '/monitoring-tasks',
    {
      config: { verb: 'monitoring.manage' },
      schema: {
        operationId: 'createMonitoringTask',
        summary: '下达监测任务并分配检测机构 Create a monitoring task with assignments',
        tags,
        body: TaskInput,
        response: { 201: Task, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createMonitoringTask(ctx, req.body))),
  );

  r.get(
    '/monitoring-tasks',
    {
      config: { verb: 'monitoring.read' },
      schema: {
        operationId: 'listMonitoringTasks',
        summary: '监测任务 Monitoring tasks (mine or assigned to me)',
        tags,
        querystring: TaskListQuery,
        response: { 200: Pages.tasks, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listTasks(ctxOf(req), req.query),
  );

  r.get(
    '/monitoring-tasks/:id',
    {
      config: { verb: 'monitoring.read' },
      schema: {
        operationId: 'getMonitoringTask',
        summary: '监测任务详情及进度 A task with progress',
        tags,
        params: IdParams,
        response: { 200: Task, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getTask(ctxOf(req), req.params.id),
  );

  r.get(
    '/monitoring-assignments/mine',
    {
      config: { verb: 'monitoring.sample' },
      schema: {
        operationId: 'listMyAssignments',
        summary: '本检测机构的抽样任务 Assignments of my testing organisation',
        tags,
        querystring: AssignmentListQuery,
        response: { 200: Pages.assignments, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.myAssignments(ctxOf(req), req.query),
  );

  r.post(
    '/monitoring-assignments/:id/sheets',
    {
      config: { verb: 'monitoring.sample' },
      schema: {
        operationId: 'submitSamplingSheet',
        summary: '提交抽样单 Submit a sampling sheet',
        description: 'Photos are uploaded first through `uploadFile` (POST /files?purpose=image) and named by id.',
        tags,
        params: IdParams,
        body: SheetInput,
        response: { 201: Sheet, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await write(req, (ctx) => svc.submitSamplingSheet(ctx, req.params.id, req.body))),
  );

  r.get(
    '/sampling-sheets',
    {
      config: { verb: 'monitoring.read' },
      schema: {
        operationId: 'listSamplingSheets',
        summary: '抽样单 Sampling sheets (my lab’s, or in my jurisdiction)',
        tags,
        querystring: SheetListQuery,
        response: { 200: Pages.sheets, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listSheets(ctxOf(req), req.query),
  );

  r.get(
    '/sampling-sheets/:id',
    {
      config: { verb: 'monitoring.read' },
      schema: {
        operationId: 'getSamplingSheet',
        summary: '抽样单详情 A sampling sheet with results',
        tags,
        params: IdParams,
        response: { 200: Sheet, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getSheet(ctxOf(req), req.params.id),
  );

  r.post(
    '/sampling-sheets/:id/results',
    {
      config: { verb: 'monitoring.test' },
      schema: {
        operationId: 'submitTestResults',
        summary: '录入检测结果（不合格自动启动风险处置） Enter test results',
        tags,
        params: IdParams,
        body: ResultsInput,
        response: { 200: SheetWithRisk, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.submitTestResults(ctx, req.params.id, req.body.results)),
  );

  await importRoutes(app, {
    def: resultsImport,
    base: '/test-results',
    tags,
    ids: {
      upload: 'importTestResults',
      template: 'getTestResultImportTemplate',
      report: 'getTestResultImportReport',
      errors: 'getTestResultImportErrors',
    },
    template: { fileName: '检测结果导入模板.xlsx', build: () => resultsTemplate() },
    report: ResultsReport,
    description:
      'All rows or none: invalid rows are refused at once (400 IMPORT_ROWS_INVALID with a detail per row); the job then enters the results sheet by sheet (a failed item opens a risk case). The report adds `imported` and `sheets`.',
  });

  r.get(
    '/monitoring-quotas',
    {
      config: { verb: 'monitoring.manage' },
      schema: {
        operationId: 'suggestMonitoringQuotas',
        summary: '按风险分配监测样品数（地区 × 产品） Split a sample quota across regions × products by risk',
        description:
          'Shrunk failure rates of product × child region × season (three years of tested samples, shrunk toward the parent region) weight a largest-remainder split of `total`; every cell gets at least one sample while the total allows. A suggestion: nothing is written.',
        tags,
        querystring: QuotaQuery,
        response: { 200: QuotaSuggestion, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.suggestQuotas(ctxOf(req), req.query),
  );

  r.get(
    '/risk-cases',
    {
      config: { verb: 'monitoring.read' },
      schema: {
        operationId: 'listRiskCases',
        summary: '风险处置（不合格样品） Risk cases from failed tests',
        tags,
        querystring: RiskListQuery,
        response: { 200: Pages.risks, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listRisks(ctxOf(req), req.query),
  );

  r.get(
    '/risk-cases/:id',
    {
      config: { verb: 'monitoring.read' },
      schema: {
        operationId: 'getRiskCase',
        summary: '风险处置详情 A risk case',
        tags,
        params: IdParams,
        response: { 200: Risk, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getRisk(ctxOf(req), req.params.id),
  );

  r.post(
    '/risk-cases/:id/actions',
    {
      config: { verb: 'risk.recall' },
      schema: {
        operationId: 'actOnRiskCase',
        summary: '一键启动召回或结案 Open the proposed recall, or close the case',
        tags,
        params: IdParams,
        body: RiskActionInput,
        response: { 200: Risk, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.actOnRisk(ctx, req.params.id, req.body)),
  );
}
