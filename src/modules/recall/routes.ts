import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, readCtxOf, write } from '../../kernel/http.js';
import { FileResponse, Page, authErrors, errors } from '../../kernel/schemas.js';
import { recallPdf, recallXlsx } from './report.js';
import {
  NetworkRecall,
  NetworkRecallDetail,
  NetworkRecallInput,
  NetworkRecallListItem,
  NetworkRecallQuery,
  AcknowledgeInput,
  CloseInput,
  IdParams,
  OpenRecallInput,
  Recall,
  RecallListItem,
  RecallQuery,
} from './schemas.js';
import { getNetworkRecall, listNetworkRecalls, openNetworkRecall } from './network.js';
import * as svc from './service.js';

export default async function recallRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['recall'];
  r.post(
    '/recalls',
    {
      config: { verb: 'recall.open' },
      schema: {
        operationId: 'openRecall',
        summary: '发起召回（向下追踪并通知每个持有者）Open a recall (forward trace, notice to every holder)',
        tags,
        body: OpenRecallInput,
        response: { 201: Recall, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.openRecall(ctx, req.body))),
  );
  r.post(
    '/network/recalls',
    {
      config: { verb: 'recall.open' },
      schema: {
        operationId: 'openNetworkRecall',
        summary:
          '跨平台召回（国家平台：沿共享的链条向下，通知各持有者所在平台）Open a recall across platforms (notices travel down to the holders)',
        tags,
        body: NetworkRecallInput,
        response: { 201: NetworkRecall, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => openNetworkRecall(ctx, req.body))),
  );
  r.get(
    '/network/recalls',
    {
      config: { verb: 'recall.read' },
      schema: {
        operationId: 'listNetworkRecalls',
        summary: '跨平台召回列表（本平台发起的）Recalls across platforms opened here',
        tags,
        querystring: NetworkRecallQuery,
        response: { 200: Page(NetworkRecallListItem), ...authErrors, ...errors(400) },
      },
    },
    async (req) => listNetworkRecalls(ctxOf(req), req.query),
  );
  r.get(
    '/network/recalls/:id',
    {
      config: { verb: 'recall.read' },
      schema: {
        operationId: 'getNetworkRecall',
        summary:
          '跨平台召回详情：各平台回报的进度和持有者状态 A recall across platforms with the progress each platform reported',
        tags,
        params: IdParams,
        response: { 200: NetworkRecallDetail, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => getNetworkRecall(ctxOf(req), req.params.id),
  );
  r.get(
    '/recalls',
    {
      config: { verb: 'recall.read' },
      schema: {
        operationId: 'listRecalls',
        summary: '召回列表 Recalls',
        tags,
        querystring: RecallQuery,
        response: { 200: Page(RecallListItem), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listRecalls(ctxOf(req), req.query),
  );
  r.get(
    '/recalls/:id',
    {
      config: { verb: 'recall.read' },
      schema: {
        operationId: 'getRecall',
        summary: '召回详情和进度 A recall with its progress',
        tags,
        params: IdParams,
        response: { 200: Recall, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getRecall(ctxOf(req), req.params.id),
  );
  r.post(
    '/recalls/:id/acknowledge',
    {
      config: { verb: 'recall.acknowledge' },
      schema: {
        operationId: 'acknowledgeRecall',
        summary: '持有者确认召回通知 A holder acknowledges the recall notice',
        tags,
        params: IdParams,
        body: AcknowledgeInput,
        response: { 200: Recall, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.acknowledgeRecall(ctx, req.params.id, req.body)),
  );
  r.post(
    '/recalls/:id/close',
    {
      config: { verb: 'recall.open' },
      schema: {
        operationId: 'closeRecall',
        summary: '结束召回 Close a recall',
        tags,
        params: IdParams,
        body: CloseInput,
        response: { 200: Recall, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.closeRecall(ctx, req.params.id, req.body)),
  );
  r.get(
    '/recalls/:id/report.xlsx',
    {
      config: { verb: 'recall.read' },
      schema: {
        operationId: 'recallReportXlsx',
        summary: '召回报告及通知名单（Excel）Recall report and holder list (Excel)',
        tags,
        params: IdParams,
        response: {
          200: FileResponse(MIME.xlsx, 'Excel workbook: summary and holder list'),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => {
      const x = await recallXlsx(readCtxOf(req), req.params.id);
      return sendFile(reply, x.xlsx, { filename: x.filename, type: MIME.xlsx });
    },
  );
  r.get(
    '/recalls/:id/report.pdf',
    {
      config: { verb: 'recall.read' },
      schema: {
        operationId: 'recallReportPdf',
        summary: '召回报告（PDF）Recall report (PDF)',
        tags,
        params: IdParams,
        response: { 200: FileResponse(MIME.pdf, 'the report (inline)'), ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const x = await recallPdf(readCtxOf(req), req.params.id);
      return sendFile(reply, x.pdf, { filename: x.filename, type: MIME.pdf, inline: true });
    },
  );
}
