import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, readCtxOf, write } from '../../kernel/http.js';
import { importRoutes } from '../../kernel/import-routes.js';
import { DivisionCode, FileResponse, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import {
  Boundaries,
  CreateRecordBody,
  Deadlines,
  FilterQuerySchema,
  FlagPage,
  FlagQuery,
  ImportOutcome,
  ListQuery,
  MapAnswer,
  MapQuery,
  NotificationPage,
  OriginRecord,
  ProductsAt,
  RecordPage,
  ResolveFlagBody,
  ResolvedFlag,
  ReviewBody,
  ReviewManyBody,
  SeasonBody,
  Seasons,
  VisitBody,
  Summary,
  ThresholdBody,
  UpdateRecordBody,
} from './schemas.js';
import * as svc from './service.js';
import { collectorRoutes } from './routes-collectors.js';

const tags = ['originmap'];
const Id = Type.Object({ id: Uuid });

export default async function originRoutes(app: FastifyInstance) {
  await collectorRoutes(app);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/origin/products',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'listOriginProducts',
        summary: '重点品种与采集标准（含本地标准）Key products and thresholds in force at a division',
        tags,
        querystring: Type.Object({ divisionCode: Type.Optional(DivisionCode) }),
        response: { 200: ProductsAt, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listProducts(ctxOf(req), req.query.divisionCode),
  );

  r.put(
    '/origin/thresholds',
    {
      config: { verb: 'origin.configure' },
      schema: {
        operationId: 'setOriginThreshold',
        summary: '制定本地区采集标准 Set a local scale threshold / cycle for a product',
        tags,
        body: ThresholdBody,
        response: { 200: ProductsAt, ...authErrors, ...errors(400) },
      },
    },
    async (req) => write(req, (ctx) => svc.setThreshold(ctx, req.body)),
  );

  r.post(
    '/origin/records',
    {
      config: { verb: 'origin.collect' },
      schema: {
        operationId: 'createOriginRecord',
        summary: '采集一条产地溯源信息（地图标注或手机现场）Collect one origin record (map point or phone on site)',
        tags,
        body: CreateRecordBody,
        response: { 201: OriginRecord, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createRecord(ctx, req.body))),
  );

  r.get(
    '/origin/records',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'listOriginRecords',
        summary: '“一张表”：按条件查询 The table: records by filter',
        tags,
        querystring: ListQuery,
        response: { 200: RecordPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listRecords(ctxOf(req), req.query),
  );

  r.get(
    '/origin/records/:id',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'getOriginRecord',
        summary: '记录详情 An origin record',
        tags,
        params: Id,
        response: { 200: OriginRecord, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.readRecord(ctxOf(req), req.params.id),
  );

  r.patch(
    '/origin/records/:id',
    {
      config: { verb: 'origin.collect' },
      schema: {
        operationId: 'updateOriginRecord',
        summary: '修改或重新采集（已通过的记录修改后重新审核）Update / re-collect a record',
        tags,
        params: Id,
        body: UpdateRecordBody,
        response: { 200: OriginRecord, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.updateRecord(ctx, req.params.id, req.body)),
  );

  r.post(
    '/origin/records/:id/submit',
    {
      config: { verb: 'origin.collect' },
      schema: {
        operationId: 'submitOriginRecord',
        summary: '提交审核（信息不全不得提交）Submit for review',
        tags,
        params: Id,
        response: { 200: OriginRecord, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.submitRecord(ctx, req.params.id)),
  );

  r.post(
    '/origin/records/:id/visit',
    {
      config: { verb: 'origin.collect' },
      schema: {
        operationId: 'visitOriginRecord',
        summary: '现场走访：补充或核对点位（先导入、后走访）Site visit: complete or correct the point of a record',
        tags,
        params: Id,
        body: VisitBody,
        response: { 200: OriginRecord, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.visitRecord(ctx, req.params.id, req.body)),
  );

  r.post(
    '/origin/records/:id/seasons',
    {
      config: { verb: 'origin.collect' },
      schema: {
        operationId: 'newOriginSeason',
        summary: '采集新一茬（种植业）或本月更新（畜产品、水产品）Collect a new planting or the monthly update',
        tags,
        params: Id,
        body: SeasonBody,
        response: { 200: OriginRecord, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.newSeason(ctx, req.params.id, req.body)),
  );

  r.get(
    '/origin/records/:id/seasons',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'listOriginSeasons',
        summary: '历次采集（往茬、往月）Earlier plantings / monthly collections of a record',
        tags,
        params: Id,
        response: { 200: Seasons, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.listSeasons(ctxOf(req), req.params.id),
  );

  r.post(
    '/origin/records/:id/review',
    {
      config: { verb: 'origin.review' },
      schema: {
        operationId: 'reviewOriginRecord',
        summary: '县级审核：通过或退回 County review: approve or return with comments',
        tags,
        params: Id,
        body: ReviewBody,
        response: { 200: OriginRecord, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.reviewRecord(ctx, req.params.id, req.body)),
  );

  r.post(
    '/origin/records/review',
    {
      config: { verb: 'origin.review' },
      schema: {
        operationId: 'reviewOriginRecords',
        summary: '批量审核 Review many records at once',
        tags,
        body: ReviewManyBody,
        response: { 200: Type.Object({ reviewed: Type.Integer() }), ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.reviewMany(ctx, req.body.ids, req.body)),
  );

  r.get(
    '/origin/deadlines',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'getOriginDeadlines',
        summary: '审核、整改期限与逾期统计（按乡镇）Review and correction deadlines, overdue work per township',
        tags,
        querystring: Type.Object({ within: Type.Optional(DivisionCode) }),
        response: { 200: Deadlines, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.deadlines(ctxOf(req), req.query.within),
  );

  r.get(
    '/origin/map',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'queryOriginMap',
        summary: '“一张图”：视口内的聚合点位 The map: clustered points in a viewport',
        tags,
        querystring: MapQuery,
        response: { 200: MapAnswer, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.queryMap(ctxOf(req), req.query),
  );

  r.get(
    '/origin/boundaries',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'getOriginBoundaries',
        summary: '下级行政区边界（离线 GeoJSON）Child boundaries of a division (bundled GeoJSON)',
        tags,
        querystring: Type.Object({ code: Type.Optional(Type.Union([Type.Literal(''), DivisionCode])) }),
        response: { 200: Boundaries, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      void reply.header('cache-control', 'private, max-age=86400');
      return svc.boundaries(ctxOf(req), req.query.code ?? '');
    },
  );

  r.get(
    '/origin/summary',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'summariseOrigin',
        summary: '按区划和品种统计数量与规模 Counts and scale by division and product',
        tags,
        querystring: FilterQuerySchema,
        response: { 200: Summary, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.summarise(ctxOf(req), req.query),
  );

  r.get(
    '/origin/export',
    {
      config: { verb: 'origin.export' },
      schema: {
        operationId: 'exportOriginTable',
        summary: '导出“一张表”（Excel，可修改后再导入）Export the table as .xlsx (re-importable)',
        tags,
        querystring: FilterQuerySchema,
        response: { 200: FileResponse(MIME.xlsx, '重点农产品产地溯源信息表 (.xlsx)'), ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => {
      const ctx = readCtxOf(req);
      const { stream, rows } = await svc.exportStream(ctx.db, svc.filterOf(ctx, req.query), req.log);
      void reply.header('x-row-count', String(rows));
      return sendFile(reply, stream, { filename: '重点农产品产地溯源信息表.xlsx', type: MIME.xlsx });
    },
  );

  await importRoutes(app, {
    def: svc.originImport,
    base: '/origin',
    tags,
    ids: {
      upload: 'importOriginRecords',
      template: 'getOriginImportTemplate',
      errors: 'getOriginImportErrors',
      report: 'getOriginImportReport',
    },
    template: {
      fileName: '重点农产品产地溯源信息采集表.xlsx',
      build: (ctx) => svc.template(ctx.db, ctx.actor.scope),
    },
    description:
      'Good rows are inserted, or updated by key (record number, else township + credit code or name + product + base address), in batches of 1,000; updated records re-enter review; bad rows come back in the error workbook (the template again, reasons in a last column).',
  });

  r.get(
    '/origin/imports/:id',
    {
      config: { verb: 'origin.collect' },
      schema: {
        operationId: 'getOriginImport',
        summary: '导入结果（同 getJob 的结果）Outcome of an import by its job id',
        tags,
        params: Id,
        response: { 200: ImportOutcome, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.importOutcome(ctxOf(req), req.params.id),
  );

  r.get(
    '/origin/flags',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'listOriginFlags',
        summary: '巡查提示（本辖区）Patrol flags in my jurisdiction',
        tags,
        querystring: FlagQuery,
        response: { 200: FlagPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listFlags(ctxOf(req), req.query),
  );

  r.post(
    '/origin/flags/:id/resolve',
    {
      config: { verb: 'origin.review' },
      schema: {
        operationId: 'resolveOriginFlag',
        summary: '处理巡查提示 Resolve a patrol flag',
        tags,
        params: Id,
        body: ResolveFlagBody,
        response: { 200: ResolvedFlag, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.resolveFlag(ctx, req.params.id, req.body.resolution)),
  );

  r.post(
    '/origin/patrol',
    {
      config: { verb: 'origin.review' },
      schema: {
        operationId: 'runOriginPatrol',
        summary: '立即巡查一次（平时按计划自动运行）Run the patrol now',
        tags,
        response: { 202: Type.Object({ jobId: Uuid }), ...authErrors },
      },
    },
    async (req, reply) => reply.status(202).send(await write(req, (ctx) => svc.runPatrolNow(ctx))),
  );

  r.get(
    '/origin/notifications',
    {
      config: { verb: 'origin.read' },
      schema: {
        operationId: 'listOriginNotifications',
        summary: '系统提示 Notifications to me (collector) or my county',
        tags,
        querystring: Type.Object(PageQuery),
        response: { 200: NotificationPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listNotifications(ctxOf(req), req.query),
  );
}
