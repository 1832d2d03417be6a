import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, readCtxOf, write } from '../../kernel/http.js';
import { FileResponse, LiteralUnion, authErrors, errors } from '../../kernel/schemas.js';
import { catalogXlsx } from './excel.js';
import { CollectedRecord, CreateDraft, ImportBody, UpdateDraft, VersionDetail, VersionList } from './schemas.js';
import * as svc from './service.js';

export default async function infocatalogRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['infocatalog'];
  const V = Type.Object({
    version: Type.String({ minLength: 1, maxLength: 20, pattern: '^[0-9A-Za-z][0-9A-Za-z.-]*$' }),
  });

  r.get(
    '/info-catalog/versions',
    {
      config: { verb: 'infocatalog.read' },
      schema: {
        operationId: 'listCatalogVersions',
        summary: '信息资源目录版本 Information resource catalogue versions',
        tags,
        response: { 200: VersionList, ...authErrors },
      },
    },
    async (req) => svc.listCatalogVersions(ctxOf(req)),
  );

  r.get(
    '/info-catalog/current',
    {
      config: { verb: 'infocatalog.read' },
      schema: {
        operationId: 'getCurrentCatalog',
        summary:
          '现行目录（表单必填项与代码表来源）The catalogue in force (forms take required fields and code lists from it)',
        tags,
        response: { 200: VersionDetail, ...authErrors, ...errors(404) },
      },
    },
    async (req) => svc.getCurrentCatalog(ctxOf(req)),
  );

  r.get(
    '/info-catalog/records/:resource/:recordId',
    {
      config: { verb: 'infocatalog.read' },
      schema: {
        operationId: 'getCollectedRecord',
        summary:
          '一条记录的采集情况（目录版本、作业与上传时间、迟报、审核）How one record was collected (catalogue version, work and upload time, late, review)',
        tags,
        params: Type.Object({
          resource: Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z][A-Za-z0-9_]*$' }),
          recordId: Type.String({ format: 'uuid' }),
        }),
        response: { 200: CollectedRecord, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.getCollectedRecord(ctxOf(req), req.params.resource, req.params.recordId),
  );

  r.get(
    '/info-catalog/versions/:version',
    {
      config: { verb: 'infocatalog.read' },
      schema: {
        operationId: 'getCatalogVersion',
        summary: '目录版本详情 A catalogue version',
        tags,
        params: V,
        response: { 200: VersionDetail, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getCatalogVersion(ctxOf(req), req.params.version),
  );

  r.post(
    '/info-catalog/versions',
    {
      config: { verb: 'infocatalog.edit' },
      schema: {
        operationId: 'createCatalogDraft',
        summary: '新建目录草稿 Create a draft version',
        tags,
        body: CreateDraft,
        response: { 201: VersionDetail, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createCatalogDraft(ctx, req.body))),
  );

  r.patch(
    '/info-catalog/versions/:version',
    {
      config: { verb: 'infocatalog.edit' },
      schema: {
        operationId: 'updateCatalogDraft',
        summary: '修改目录草稿 Edit a draft',
        tags,
        params: V,
        body: UpdateDraft,
        response: { 200: VersionDetail, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.updateCatalogDraft(ctx, req.params.version, req.body)),
  );

  r.post(
    '/info-catalog/versions/:version/publish',
    {
      config: { verb: 'infocatalog.publish' },
      schema: {
        operationId: 'publishCatalogVersion',
        summary: '发布目录版本（原现行版本废止）Publish a draft (the version in force is retired)',
        tags,
        params: V,
        response: { 200: VersionDetail, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.publishCatalogVersion(ctx, req.params.version)),
  );

  r.get(
    '/info-catalog/versions/:version/export',
    {
      config: { verb: 'infocatalog.read' },
      schema: {
        operationId: 'exportCatalog',
        summary: '导出目录（JSON 交换文件或 Excel）Export a version (JSON exchange file, or Excel)',
        tags,
        params: V,
        querystring: Type.Object({ format: Type.Optional(LiteralUnion(['json', 'xlsx'] as const)) }),
        response: {
          200: FileResponse([MIME.json, MIME.xlsx], 'the exchange file (JSON) or a workbook'),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => {
      const f = await svc.exportCatalogFile(readCtxOf(req), req.params.version);
      if (req.query.format === 'xlsx')
        return sendFile(reply, await catalogXlsx(f), { filename: `信息资源目录-${f.version}.xlsx`, type: MIME.xlsx });
      return sendFile(reply, JSON.stringify(f, null, 1), {
        filename: `info-catalog-${f.version}.json`,
        type: MIME.json,
      });
    },
  );

  r.post(
    '/info-catalog/imports',
    {
      config: { verb: 'infocatalog.import' },
      schema: {
        operationId: 'importCatalog',
        summary: '导入上级下发的目录版本（JSON 交换文件）Import a version received from the upper tier',
        tags,
        body: ImportBody,
        response: { 200: VersionDetail, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.importCatalog(ctx, req.body)),
  );
}
