import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, readCtxOf, write } from '../../kernel/http.js';
import { FileResponse, Page, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as patrol from './patrol.js';
import {
  CollectedRecord,
  CreatePatrol,
  DrillQuery,
  Evaluation,
  EvaluationQuery,
  IssueNotice,
  MarkItem,
  Notice,
  NoticeAction,
  OnlinePatrol,
  Snapshot,
} from './schemas.js';
import * as svc from './service.js';

export default async function evaluationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['evaluation'];
  const Id = Type.Object({ id: Uuid });
  const Paging = Type.Object(PageQuery);

  r.get(
    '/evaluation',
    {
      config: { verb: 'evaluation.read' },
      schema: {
        operationId: 'getEvaluation',
        summary: '考核评价：下一级单位排名 Evaluation: ranked units one level down',
        tags,
        querystring: EvaluationQuery,
        response: { 200: Evaluation, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.getEvaluation(ctxOf(req), req.query),
  );

  r.get(
    '/evaluation/export',
    {
      config: { verb: 'evaluation.read' },
      schema: {
        operationId: 'exportEvaluation',
        summary: '考核评价导出 Excel Evaluation as Excel',
        tags,
        querystring: EvaluationQuery,
        response: { 200: FileResponse(MIME.xlsx, 'the ranked table'), ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) =>
      sendFile(reply, await svc.evaluationXlsx(readCtxOf(req), req.query), {
        filename: '考核评价.xlsx',
        type: MIME.xlsx,
      }),
  );

  r.get(
    '/evaluation/records',
    {
      config: { verb: 'evaluation.read' },
      schema: {
        operationId: 'listEvaluationRecords',
        summary: '考核评价明细：采集记录 Drill-down: the collected records behind a figure',
        tags,
        querystring: DrillQuery,
        response: { 200: Page(CollectedRecord), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.drillDown(ctxOf(req), req.query),
  );

  r.get(
    '/evaluation/snapshots',
    {
      config: { verb: 'evaluation.read' },
      schema: {
        operationId: 'listEvaluationSnapshots',
        summary: '月度考核快照 Monthly snapshots',
        tags,
        querystring: Type.Object({ divisionCode: EvaluationQuery.properties.divisionCode }),
        response: { 200: Type.Array(Snapshot), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listSnapshots(ctxOf(req), req.query.divisionCode),
  );

  r.post(
    '/online-patrols',
    {
      config: { verb: 'evaluation.patrol' },
      schema: {
        operationId: 'createOnlinePatrol',
        summary: '网上巡检：抽取下级单位的记录样本 Online patrol: draw a reproducible sample of a lower unit',
        tags,
        body: CreatePatrol,
        response: { 201: OnlinePatrol, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => patrol.createOnlinePatrol(ctx, req.body))),
  );

  r.get(
    '/online-patrols',
    {
      config: { verb: 'evaluation.patrol' },
      schema: {
        operationId: 'listOnlinePatrols',
        summary: '网上巡检列表 Online patrols',
        tags,
        querystring: Paging,
        response: { 200: Page(OnlinePatrol), ...authErrors, ...errors(400) },
      },
    },
    async (req) => patrol.listOnlinePatrols(ctxOf(req), req.query),
  );

  r.get(
    '/online-patrols/:id',
    {
      config: { verb: 'evaluation.patrol' },
      schema: {
        operationId: 'getOnlinePatrol',
        summary: '网上巡检详情 An online patrol',
        tags,
        params: Id,
        response: { 200: OnlinePatrol, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => patrol.getOnlinePatrol(ctxOf(req), req.params.id),
  );

  r.post(
    '/online-patrols/:id/marks',
    {
      config: { verb: 'evaluation.patrol' },
      schema: {
        operationId: 'markOnlinePatrolItem',
        summary: '标记样本问题 Mark a sampled record',
        tags,
        params: Id,
        body: MarkItem,
        response: { 200: OnlinePatrol, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => patrol.markItem(ctx, req.params.id, req.body)),
  );

  r.post(
    '/online-patrols/:id/notices',
    {
      config: { verb: 'evaluation.patrol' },
      schema: {
        operationId: 'issueRectificationNotice',
        summary: '下发整改通知 Send a rectification notice with a deadline',
        tags,
        params: Id,
        body: IssueNotice,
        response: { 201: Notice, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await write(req, (ctx) => patrol.issueRectificationNotice(ctx, req.params.id, req.body))),
  );

  r.get(
    '/rectification-notices',
    {
      config: { verb: 'evaluation.notices' },
      schema: {
        operationId: 'listRectificationNotices',
        summary: '整改通知 Rectification notices (received, or in my jurisdiction)',
        tags,
        querystring: Paging,
        response: { 200: Page(Notice), ...authErrors, ...errors(400) },
      },
    },
    async (req) => patrol.listNotices(ctxOf(req), req.query),
  );

  r.post(
    '/rectification-notices/:id/actions',
    {
      config: { verb: 'evaluation.notices' },
      schema: {
        operationId: 'actOnRectificationNotice',
        summary: '回复或办结整改通知 Reply to (responsible) or close (issuer) a notice',
        tags,
        params: Id,
        body: NoticeAction,
        response: { 200: Notice, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => patrol.actOnNotice(ctx, req.params.id, req.body)),
  );
}
