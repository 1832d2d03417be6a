import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicWrite, write } from '../../kernel/http.js';
import { Page, PageQuery, authErrors, errors } from '../../kernel/schemas.js';
import {
  Application,
  ApplicationAnswer,
  ApplyInput,
  Connection,
  ConnectionActionInput,
  ConnectionList,
  Correction,
  CorrectionAnswerInput,
  CorrectionInput,
  CorrectionQuery,
  IdParams,
  InboundAnswer,
  InboundBatch,
  SubjectLookup,
  SubjectLookupAnswer,
  ParkedRecord,
  SharedRecord,
  SharedRecordQuery,
  SharedResource,
} from './schemas.js';
import * as corrections from './corrections.js';
import { answerSubjectLookup } from './messages.js';
import * as svc from './service.js';

/** Platform-to-platform bodies may carry a batch of records. */
const INBOUND_BODY_LIMIT = 16 * 1024 * 1024;

export default async function sharingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['sharing'];

  r.get(
    '/sharing/connections',
    {
      config: { verb: 'sharing.manage' },
      schema: {
        operationId: 'listConnections',
        summary: '平台对接与共享状态（最近成功、滞后、积压、错误）Platform connections with lag, backlog and errors',
        tags,
        response: { 200: ConnectionList, ...authErrors },
      },
    },
    async (req) => svc.listConnections(ctxOf(req)),
  );

  r.post(
    '/sharing/connections/apply',
    {
      config: { verb: 'sharing.manage' },
      schema: {
        operationId: 'applyConnection',
        summary: '向上级平台申请对接 Apply to the upper platform for a connection',
        tags,
        body: ApplyInput,
        response: { 200: Connection, ...authErrors, ...errors(400, 409, 502) },
      },
    },
    async (req) => write(req, (ctx) => svc.applyConnection(ctx, req.body)),
  );

  r.post(
    '/sharing/connections/:id/actions',
    {
      config: { verb: 'sharing.manage' },
      schema: {
        operationId: 'actOnConnection',
        summary: '批准 / 驳回 / 暂停 / 恢复对接 approveConnection, rejectConnection, suspend or resume a connection',
        tags,
        params: IdParams,
        body: ConnectionActionInput,
        response: { 200: Connection, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.actOnConnection(ctx, req.params.id, req.body)),
  );

  r.get(
    '/sharing/records',
    {
      config: { verb: 'sharing.read' },
      schema: {
        operationId: 'searchSharedRecords',
        summary: '下级平台共享来的记录（标明来源平台，按辖区）Records shared from lower platforms, with their origin',
        tags,
        querystring: SharedRecordQuery,
        response: { 200: Page(SharedRecord), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.searchSharedRecords(ctxOf(req), req.query),
  );

  r.get(
    '/sharing/resources',
    {
      config: { verb: 'sharing.read' },
      schema: {
        operationId: 'listSharedResources',
        summary: '共享的资源及其字段（名称）Resources shared between platforms, with their and their fields’ names',
        tags,
        response: { 200: Type.Object({ items: Type.Array(SharedResource) }), ...authErrors },
      },
    },
    async (req) => svc.listSharedResources(ctxOf(req)),
  );

  r.get(
    '/sharing/parked',
    {
      config: { verb: 'sharing.manage' },
      schema: {
        operationId: 'listParkedRecords',
        summary: '无法入库的共享记录及原因 Shared records that could not be applied, with the reason',
        tags,
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(ParkedRecord), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listParked(ctxOf(req), req.query),
  );

  // ── corrections requested from above (更正请求): docs/sharing.md ──
  r.post(
    '/sharing/corrections',
    {
      config: { verb: 'sharing.correct' },
      schema: {
        operationId: 'requestSharedCorrection',
        summary: '请求下级平台更正共享记录（以消息下发，不覆盖）Ask the origin platform to correct a shared-in record',
        tags,
        body: CorrectionInput,
        response: { 201: Correction, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await write(req, (ctx) => corrections.requestSharedCorrection(ctx, req.body))),
  );

  r.get(
    '/sharing/corrections',
    {
      config: { verb: 'sharing.read' },
      schema: {
        operationId: 'listSharedCorrections',
        summary: '更正请求及其状态（发出的与收到的）Correction requests sent and received, with their status',
        tags,
        querystring: CorrectionQuery,
        response: { 200: Page(Correction), ...authErrors, ...errors(400) },
      },
    },
    async (req) => corrections.listCorrections(ctxOf(req), req.query),
  );

  r.post(
    '/sharing/corrections/:id/answer',
    {
      config: { verb: 'sharing.correct' },
      schema: {
        operationId: 'answerSharedCorrection',
        summary: '答复上级平台的更正请求 Answer a correction request from the upper platform',
        tags,
        params: IdParams,
        body: CorrectionAnswerInput,
        response: { 200: Correction, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => corrections.answerCorrection(ctx, req.params.id, req.body)),
  );

  // ── platform to platform (authenticated by the SM2 signature of the registered key, not by an account) ──
  r.post(
    '/sharing/applications',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'receiveConnectionApplication',
        summary: '下级平台提交对接申请（SM2 签名）A lower platform applies (signed with SM2)',
        tags,
        body: Application,
        response: { 200: ApplicationAnswer, ...errors(400, 401, 429) },
      },
    },
    async (req) => publicWrite(req, (ctx) => svc.receiveApplication(ctx, req.body)),
  );

  r.post(
    '/sharing/inbound',
    {
      // A lower platform pushes as soon as rows wait (up to ten rounds a second, two batches in flight): the public
      // per-address limit (PUBLIC_RATE_LIMIT) answered 429 under a steady 1,000 records/s and the sender backed off
      // for a minute. The signature is checked per push; this limit only bounds a flood.
      config: { public: true, rateLimit: { max: 12_000, timeWindow: '1 minute' } },
      bodyLimit: INBOUND_BODY_LIMIT,
      schema: {
        operationId: 'receiveSharedBatch',
        summary:
          '下级平台推送共享数据（SM2 签名，序号连续，幂等）A lower platform pushes a signed batch (sequenced, idempotent)',
        tags,
        body: InboundBatch,
        response: { 200: InboundAnswer, ...errors(400, 401, 403, 409) },
      },
    },
    async (req) => publicWrite(req, (ctx) => svc.receiveBatch(ctx, req.body)),
  );

  r.post(
    '/sharing/subject-lookup',
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        operationId: 'lookupNetworkSubject',
        summary:
          '下级平台按主体身份码查询在其他平台注册的主体（SM2 签名）A lower platform looks up a subject registered elsewhere by identity code (signed)',
        tags,
        body: SubjectLookup,
        response: { 200: SubjectLookupAnswer, ...errors(400, 401, 403, 429) },
      },
    },
    async (req) => publicWrite(req, (ctx) => answerSubjectLookup(ctx, req.body)),
  );
}
