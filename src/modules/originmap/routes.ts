import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type TSchema, Type } from 'typebox';
import { assertInScope } from '../../kernel/auth/scope.js';
import { ctxOf, write } from '../../kernel/http.js';
import { enqueue } from '../../kernel/jobs.js';
import { problems } from '../../kernel/problems.js';
import { DivisionCode, Nullable, Page, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { exportTable, template } from './importer.js';
import * as repo from './repo.js';
import * as svc from './service.js';

const tags = ['originmap'];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const Str = (max: number) => Type.String({ maxLength: max });
const Opt = <T extends TSchema>(t: T) => Type.Optional(Type.Union([Type.Null(), t]));
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

const RecordFields = {
  divisionCode: Type.String({ pattern: '^(\\d{9}|\\d{12})$', description: '乡镇（街道）9 位或村 12 位代码' }),
  subjectName: Type.String({ minLength: 1, maxLength: 100, description: '种养殖主体名称' }),
  subjectType: Type.String({ enum: ['enterprise', 'cooperative', 'family_farm', 'farmer', 'broker'], description: '主体类型' }),
  creditCode: Opt(Str(18)),
  productCode: Type.String({ maxLength: 20, description: '12 个重点品种之一（见 listOriginProducts）' }),
  alias: Opt(Str(50)),
  certification: Type.Optional(Type.String({ enum: ['none', 'green', 'organic', 'gi', 'gap', 'other'] })),
  baseAddress: Type.String({ minLength: 1, maxLength: 200, description: '基地地址' }),
  longitude: Opt(Type.Number({ minimum: -180, maximum: 180 })),
  latitude: Opt(Type.Number({ minimum: -90, maximum: 90 })),
  contactName: Type.String({ minLength: 1, maxLength: 50 }),
  contactPhone: Type.String({ minLength: 1, maxLength: 20 }),
  scale: Type.Number({ description: '种养规模（亩/头/只，按品种）' }),
  marketStart: Opt(DateStr),
  marketEnd: Opt(DateStr),
  productionMethod: Type.String({ enum: ['open_field', 'facility'] }),
  traceMethods: Type.Optional(Type.Array(Type.String({ enum: ['certificate', 'trace_code', 'ear_tag', 'quarantine', 'package_label', 'other'] }), { maxItems: 6, uniqueItems: true })),
  creditRating: Type.Optional(Type.String({ enum: ['A', 'B', 'C', 'D', 'none'] })),
  gridWorkerName: Opt(Str(50)),
  gridWorkerPhone: Opt(Str(20)),
  collectorName: Opt(Str(50)),
  collectorPhone: Opt(Str(20)),
  geoSource: Type.Optional(Type.String({ enum: ['map', 'gps', 'form'], description: '点位来源：地图标注、手机定位、手填' })),
  gpsAccuracyM: Opt(Type.Number({ minimum: 0, description: '定位精度（米）' })),
};

export const OriginRecord = Type.Object({
  id: Uuid, recordKey: Type.String(), divisionCode: Type.String(), divisionName: Type.String(), subjectName: Type.String(), subjectType: Type.String(), subjectTypeName: Type.String(),
  creditCode: Nullable(Type.String()), subjectId: Nullable(Type.String()), productCode: Type.String(), productName: Type.String(), unit: Type.String(), unitName: Type.String(),
  alias: Nullable(Type.String()), certification: Type.String(), baseAddress: Type.String(), longitude: Nullable(Type.Number()), latitude: Nullable(Type.Number()),
  geoCheck: Nullable(Type.String()), geoSource: Type.String(), gpsAccuracyM: Nullable(Type.Number()), contactName: Type.String(), contactPhone: Type.String(), scale: Type.Number(),
  marketStart: Nullable(Type.String()), marketEnd: Nullable(Type.String()), productionMethod: Type.String(), traceMethods: Type.Array(Type.String()), creditRating: Type.String(),
  gridWorkerName: Nullable(Type.String()), gridWorkerPhone: Nullable(Type.String()), collectorName: Nullable(Type.String()), collectorPhone: Nullable(Type.String()),
  status: Type.String({ description: 'draft 草稿 · submitted 待审核 · approved 已通过 · returned 已退回' }), statusName: Type.String(), reviewComment: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()), approvedAt: Nullable(Type.String()), collectedAt: Type.String(), updatedAt: Type.String(),
  allowedActions: Type.Array(Type.String(), { description: 'update · submit · approve · return' }),
});

const csv = (max: number) => Type.Optional(Type.String({ maxLength: max, description: 'comma-separated' }));
const FilterQuery = {
  within: Type.Optional(DivisionCode),
  product: csv(200),
  status: csv(100),
  minScale: Type.Optional(Type.Number({ minimum: 0 })),
  maxScale: Type.Optional(Type.Number({ minimum: 0 })),
  marketFrom: Type.Optional(DateStr),
  marketTo: Type.Optional(DateStr),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  mine: Type.Optional(Type.Boolean()),
};
type FilterQ = { within?: string; product?: string; status?: string; minScale?: number; maxScale?: number; marketFrom?: string; marketTo?: string; q?: string; mine?: boolean; page?: number; pageSize?: number };
const split = (s?: string) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);
function listQuery(q: FilterQ): svc.ListQuery {
  const status = split(q.status);
  for (const s of status ?? []) if (!['draft', 'submitted', 'approved', 'returned'].includes(s)) throw problems.invalid('status', `“${s}”不是有效状态`, `"${s}" is not a status`);
  return { ...q, product: split(q.product), status };
}

export default async function originRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  // Spreadsheets arrive as the raw request body (no multipart needed from a browser's fetch or curl --data-binary).
  app.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: 64 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  r.get('/origin/products', {
    config: { verb: 'origin.read' },
    schema: {
      operationId: 'listOriginProducts', summary: '重点品种与采集标准（含本地标准）Key products and thresholds in force at a division', tags,
      querystring: Type.Object({ divisionCode: Type.Optional(DivisionCode) }),
      response: { 200: Type.Object({ divisionCode: Type.String(), products: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String(), industry: Type.String(), unit: Type.String(), unitName: Type.String(), threshold: Type.Number(), facilityThreshold: Nullable(Type.Number()), cycleDays: Type.Integer(), maxPlausible: Type.Number() })), enumerations: Type.Unknown() }), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listProducts(ctxOf(req), req.query.divisionCode));

  r.put('/origin/thresholds', {
    config: { verb: 'origin.configure' },
    schema: {
      operationId: 'setOriginThreshold', summary: '制定本地区采集标准 Set a local scale threshold / cycle for a product', tags,
      body: Type.Object({ divisionCode: DivisionCode, productCode: Type.String({ maxLength: 20 }), threshold: Type.Number({ minimum: 0 }), facilityThreshold: Opt(Type.Number({ minimum: 0 })), cycleDays: Opt(Type.Integer({ minimum: 1, maximum: 730 })) }, { additionalProperties: false }),
      response: { 200: Type.Unknown(), ...authErrors, ...errors(400) },
    },
  }, async (req) => write(req, (ctx) => svc.setThreshold(ctx, req.body)));

  r.post('/origin/records', {
    config: { verb: 'origin.collect' },
    schema: {
      operationId: 'createOriginRecord', summary: '采集一条产地溯源信息（地图标注或手机现场）Collect one origin record (map point or phone on site)', tags,
      body: Type.Object({ ...RecordFields, submit: Type.Optional(Type.Boolean({ description: 'true = 提交审核 (every field required)' })) }, { additionalProperties: false }),
      response: { 201: OriginRecord, ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createRecord(ctx, req.body as never))));

  r.get('/origin/records', {
    config: { verb: 'origin.read' },
    schema: {
      operationId: 'listOriginRecords', summary: '“一张表”：按条件查询 The table: records by filter', tags,
      querystring: Type.Object({ ...FilterQuery, ...PageQuery }),
      response: { 200: Page(OriginRecord), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listRecords(ctxOf(req), listQuery(req.query)));

  r.get('/origin/records/:id', {
    config: { verb: 'origin.read' },
    schema: { operationId: 'getOriginRecord', summary: '记录详情 An origin record', tags, params: Type.Object({ id: Uuid }), response: { 200: OriginRecord, ...authErrors, ...errors(400, 404) } },
  }, async (req) => {
    const ctx = ctxOf(req);
    return svc.recordDto(ctx, await svc.getRecord(ctx, req.params.id));
  });

  r.patch('/origin/records/:id', {
    config: { verb: 'origin.collect' },
    schema: {
      operationId: 'updateOriginRecord', summary: '修改或重新采集（已通过的记录修改后重新审核）Update / re-collect a record', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Partial(Type.Object({ ...RecordFields, submit: Type.Boolean() }), { additionalProperties: false, minProperties: 1 }),
      response: { 200: OriginRecord, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.updateRecord(ctx, req.params.id, req.body as never)));

  r.post('/origin/records/:id/submit', {
    config: { verb: 'origin.collect' },
    schema: { operationId: 'submitOriginRecord', summary: '提交审核（信息不全不得提交）Submit for review', tags, params: Type.Object({ id: Uuid }), response: { 200: OriginRecord, ...authErrors, ...errors(400, 404, 409) } },
  }, async (req) => write(req, (ctx) => svc.submitRecord(ctx, req.params.id)));

  r.post('/origin/records/:id/review', {
    config: { verb: 'origin.review' },
    schema: {
      operationId: 'reviewOriginRecord', summary: '县级审核：通过或退回 County review: approve or return with comments', tags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({ action: Type.Union([Type.Literal('approve'), Type.Literal('return')]), comment: Opt(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: OriginRecord, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.reviewRecord(ctx, req.params.id, req.body)));

  r.post('/origin/records/review', {
    config: { verb: 'origin.review' },
    schema: {
      operationId: 'reviewOriginRecords', summary: '批量审核 Review many records at once', tags,
      body: Type.Object({ ids: Type.Array(Uuid, { minItems: 1, maxItems: 500, uniqueItems: true }), action: Type.Union([Type.Literal('approve'), Type.Literal('return')]), comment: Opt(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ reviewed: Type.Integer() }), ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => ({ reviewed: (await write(req, (ctx) => svc.reviewMany(ctx, req.body.ids, req.body))).length }));

  r.get('/origin/map', {
    config: { verb: 'origin.read' },
    schema: {
      operationId: 'queryOriginMap', summary: '“一张图”：视口内的聚合点位 The map: clustered points in a viewport', tags,
      querystring: Type.Object({
        west: Type.Number({ minimum: -180, maximum: 180 }), south: Type.Number({ minimum: -90, maximum: 90 }), east: Type.Number({ minimum: -180, maximum: 180 }), north: Type.Number({ minimum: -90, maximum: 90 }),
        zoom: Type.Optional(Type.Integer({ minimum: 0, maximum: 20 })), ...FilterQuery,
      }),
      response: {
        200: Type.Object({
          level: Type.Integer(), cellDeg: Type.Number(), source: Type.String(), total: Type.Integer(), truncated: Type.Optional(Type.Boolean()),
          clusters: Type.Array(Type.Object({ lng: Type.Number(), lat: Type.Number(), count: Type.Integer(), scale: Type.Number() })),
          points: Type.Array(Type.Object({ id: Uuid, lng: Type.Number(), lat: Type.Number(), subjectName: Type.String(), productCode: Type.String(), productName: Type.String(), scale: Type.Number(), unit: Type.String(), status: Type.String() })),
        }),
        ...authErrors, ...errors(400),
      },
    },
  }, async (req) => svc.queryMap(ctxOf(req), { ...listQuery(req.query), west: req.query.west, south: req.query.south, east: req.query.east, north: req.query.north, zoom: req.query.zoom }));

  r.get('/origin/boundaries', {
    config: { verb: 'origin.read' },
    schema: {
      operationId: 'getOriginBoundaries', summary: '下级行政区边界（离线 GeoJSON）Child boundaries of a division (bundled GeoJSON)', tags,
      querystring: Type.Object({ code: Type.Optional(Type.Union([Type.Literal(''), DivisionCode])) }),
      response: { 200: Type.Unknown(), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    void reply.header('cache-control', 'private, max-age=86400');
    return svc.boundaries(ctxOf(req), req.query.code ?? '');
  });

  r.get('/origin/summary', {
    config: { verb: 'origin.read' },
    schema: {
      operationId: 'summariseOrigin', summary: '按区划和品种统计数量与规模 Counts and scale by division and product', tags,
      querystring: Type.Object(FilterQuery),
      response: { 200: Type.Object({ within: Type.String(), rows: Type.Array(Type.Object({ divisionCode: Type.String(), divisionName: Type.String(), productCode: Type.String(), productName: Type.String(), count: Type.Integer(), scale: Type.Number() })) }), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.summarise(ctxOf(req), listQuery(req.query)));

  r.get('/origin/export', {
    config: { verb: 'origin.export' },
    schema: {
      operationId: 'exportOriginTable', summary: '导出“一张表”（Excel，可修改后再导入）Export the table as .xlsx (re-importable)', tags,
      querystring: Type.Object(FilterQuery),
      response: { 200: Type.Unknown({ description: XLSX }), ...authErrors, ...errors(400) },
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    const { buffer, rows } = await exportTable(ctx.db, svc.filterOf(ctx, listQuery(req.query)));
    return reply.type(XLSX).header('x-row-count', String(rows)).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('重点农产品产地溯源信息表.xlsx')}`).send(buffer);
  });

  r.get('/origin/template', {
    config: { verb: 'origin.collect' },
    schema: { operationId: 'downloadOriginTemplate', summary: '下载采集表模板 Download the collection template (.xlsx)', tags, response: { 200: Type.Unknown({ description: XLSX }), ...authErrors } },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    return reply.type(XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('重点农产品产地溯源信息采集表.xlsx')}`).send(await template(ctx.db, ctx.actor.scope));
  });

  r.post('/origin/imports', {
    config: { verb: 'origin.collect' },
    bodyLimit: 64 * 1024 * 1024,
    schema: {
      operationId: 'importOriginRecords', summary: '批量导入采集表（后台任务，返回任务编号）Import a filled template (background job)', tags,
      querystring: Type.Object({ fileName: Type.Optional(Type.String({ maxLength: 200 })) }),
      response: { 202: Type.Object({ importId: Uuid, jobId: Uuid }), ...authErrors, ...errors(400, 415) },
    },
  }, async (req, reply) => {
    const body = req.body as Buffer | undefined;
    if (!Buffer.isBuffer(body) || body.length < 4 || body.readUInt32LE(0) !== 0x04034b50) throw problems.invalid('file', '须为 .xlsx 表格文件（请使用下载的模板）', 'must be an .xlsx workbook');
    const out = await write(req, async (ctx) => {
      const imp = await ctx.db.insertInto('origin_import').values({ file_name: req.query.fileName ?? 'import.xlsx', content: body, division_code: ctx.actor.scope, created_by: ctx.actor.id, job_id: null, total_rows: null, created_rows: null, updated_rows: null, unchanged_rows: null, error_rows: null, errors: null, error_file: null }).returning('id').executeTakeFirstOrThrow();
      const job = await enqueue(ctx, 'origin.import', { importId: imp.id });
      await ctx.db.updateTable('origin_import').set({ job_id: job.id }).where('id', '=', imp.id).execute();
      return { importId: imp.id, jobId: job.id };
    });
    return reply.status(202).send(out);
  });

  r.get('/origin/imports/:id', {
    config: { verb: 'origin.collect' },
    schema: {
      operationId: 'getOriginImport', summary: '导入结果 Outcome of an import', tags, params: Type.Object({ id: Uuid }),
      response: { 200: Type.Object({ id: Uuid, jobId: Nullable(Type.String()), fileName: Type.String(), status: Type.String(), total: Nullable(Type.Integer()), created: Nullable(Type.Integer()), updated: Nullable(Type.Integer()), unchanged: Nullable(Type.Integer()), errorRows: Nullable(Type.Integer()), errors: Type.Unknown(), hasErrorFile: Type.Boolean() }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    const imp = await repo.importById(ctx.db, req.params.id);
    if (!imp) throw problems.notFound('导入', 'Import');
    assertInScope(ctx.actor.scope, imp.division_code, '导入', 'import');
    return { id: imp.id, jobId: imp.job_id, fileName: imp.file_name, status: imp.status, total: imp.total_rows, created: imp.created_rows, updated: imp.updated_rows, unchanged: imp.unchanged_rows, errorRows: imp.error_rows, errors: imp.errors ?? [], hasErrorFile: !!imp.error_file };
  });

  r.get('/origin/imports/:id/errors', {
    config: { verb: 'origin.collect' },
    schema: { operationId: 'downloadOriginImportErrors', summary: '下载错误表（修改后可直接再导入）Download the error workbook', tags, params: Type.Object({ id: Uuid }), response: { 200: Type.Unknown({ description: XLSX }), ...authErrors, ...errors(400, 404) } },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    const imp = await repo.importById(ctx.db, req.params.id);
    if (!imp || !imp.error_file) throw problems.notFound('错误表', 'Error workbook');
    assertInScope(ctx.actor.scope, imp.division_code, '导入', 'import');
    return reply.type(XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('导入错误表.xlsx')}`).send(imp.error_file);
  });

  r.get('/origin/flags', {
    config: { verb: 'origin.read' },
    schema: {
      operationId: 'listOriginFlags', summary: '巡查提示（本辖区）Patrol flags in my jurisdiction', tags,
      querystring: Type.Object({ within: Type.Optional(DivisionCode), status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])), kind: Type.Optional(Type.String({ enum: ['stale', 'incomplete', 'far', 'scale', 'duplicate'] })), ...PageQuery }),
      response: { 200: Page(Type.Object({ id: Uuid, recordId: Uuid, kind: Type.String(), kindName: Type.String(), detail: Type.String(), divisionCode: Type.String(), divisionName: Type.String(), status: Type.String(), subjectName: Type.String(), productCode: Type.String(), createdAt: Type.String(), resolvedAt: Nullable(Type.String()), resolution: Nullable(Type.String()) })), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listFlags(ctxOf(req), req.query));

  r.post('/origin/flags/:id/resolve', {
    config: { verb: 'origin.review' },
    schema: {
      operationId: 'resolveOriginFlag', summary: '处理巡查提示 Resolve a patrol flag', tags, params: Type.Object({ id: Uuid }),
      body: Type.Object({ resolution: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ id: Uuid, status: Type.String(), resolution: Type.String() }), ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.resolveFlag(ctx, req.params.id, req.body.resolution)));

  r.post('/origin/patrol', {
    config: { verb: 'origin.review' },
    schema: { operationId: 'runOriginPatrol', summary: '立即巡查一次（平时按计划自动运行）Run the patrol now', tags, response: { 202: Type.Object({ jobId: Uuid }), ...authErrors } },
  }, async (req, reply) => reply.status(202).send({ jobId: (await write(req, (ctx) => enqueue(ctx, 'origin.patrol', {}))).id }));

  r.get('/origin/notifications', {
    config: { verb: 'origin.read' },
    schema: {
      operationId: 'listOriginNotifications', summary: '系统提示 Notifications to me (collector) or my county', tags,
      querystring: Type.Object(PageQuery),
      response: { 200: Page(Type.Object({ id: Uuid, title: Type.String(), body: Type.String(), flagCount: Type.Integer(), toDivision: Nullable(Type.String()), createdAt: Type.String(), read: Type.Boolean() })), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listNotifications(ctxOf(req), req.query));
}
