import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { MIME, sendFile } from '../../kernel/download.js';
import { FileResponse, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import {
  ActivateInput,
  CodeUse,
  CodeUseInput,
  DeviceReservation,
  DeviceReservationList,
  DeviceReservationQuery,
  DeviceReserveInput,
  IssueCodesInput,
  Issued,
  ReleaseResult,
  Reservation,
  ReserveInput,
} from './schemas.js';
import { Problem } from '../../kernel/problems.js';
import * as svc from './service.js';

export default async function codeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['codes'];

  r.post(
    '/codes/issue',
    {
      config: { verb: 'code.issue' },
      schema: {
        operationId: 'issueTraceCodes',
        summary: '生产线取码（单个或成批，API 令牌）Issue codes for a packing line (singly or in blocks, API token)',
        tags,
        body: IssueCodesInput,
        response: {
          201: Type.Object({ batchId: Uuid, count: Type.Integer(), codes: Type.Array(Issued) }),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.issueTraceCodes(ctx, req.body))),
  );

  r.post(
    '/codes/reservations',
    {
      config: { verb: 'code.reserve' },
      schema: {
        operationId: 'reserveCodes',
        summary:
          '预留未激活码段交第三方印刷（最多 100 万）Reserve inactive codes for a third-party printer (up to 1,000,000)',
        tags,
        body: ReserveInput,
        response: { 201: Reservation, 202: Reservation, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => {
      const out = await write(req, (ctx) => svc.reserveCodes(ctx, req.body));
      return reply.status(out.status === 'ready' ? 201 : 202).send(out);
    },
  );

  r.get(
    '/codes/reservations',
    {
      config: { verb: 'code.reserve' },
      schema: {
        operationId: 'listCodeReservations',
        summary: '预留码段列表 My code reservations',
        tags,
        response: { 200: Type.Array(Reservation), ...authErrors },
      },
    },
    async (req) => svc.listReservations(ctxOf(req)),
  );

  r.get(
    '/codes/reservations/:id',
    {
      config: { verb: 'code.reserve' },
      schema: {
        operationId: 'getCodeReservation',
        summary: '预留码段 A code reservation',
        tags,
        params: Type.Object({ id: Uuid }),
        response: { 200: Reservation, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.reservationDto(req.server.config, await svc.getReservation(ctxOf(req), req.params.id)),
  );

  r.get(
    '/codes/reservations/:id/file',
    {
      config: { verb: 'code.reserve' },
      schema: {
        operationId: 'downloadCodeReservation',
        summary: '下载印刷文件（CSV）Download the printer file (CSV)',
        tags,
        params: Type.Object({ id: Uuid }),
        response: {
          200: FileResponse(MIME.csv),
          ...authErrors,
          ...errors(400, 404, 409),
        },
      },
    },
    async (req, reply) => {
      const res = await svc.getReservation(ctxOf(req), req.params.id);
      if (res.status !== 'ready')
        throw new Problem('INVALID_STATE', {
          stateZh: '生成中',
          stateEn: 'generating',
          actionZh: '下载',
          actionEn: 'download',
        });
      return sendFile(reply, Readable.from(svc.reservationCsv(req.server.config, res)), {
        filename: `codes-${res.id}.csv`,
        type: MIME.csv,
      });
    },
  );

  r.post(
    '/codes/activate',
    {
      config: { verb: 'code.reserve' },
      schema: {
        operationId: 'activateCodes',
        summary:
          '按码段或扫码激活预印码并绑定批次 Activate printed codes by range or by scanning, binding them to a batch',
        tags,
        body: ActivateInput,
        response: {
          200: Type.Object({ batchId: Uuid, activated: Type.Integer() }),
          ...authErrors,
          ...errors(400, 404, 409),
        },
      },
    },
    async (req) => write(req, (ctx) => svc.activateCodes(ctx, req.body)),
  );

  // ── codes kept on a phone for offline labels (issue 16 item 2) ──
  r.post(
    '/codes/device-reservations',
    {
      config: { verb: 'code.issue' },
      schema: {
        operationId: 'reserveCodesForDevice',
        summary: '预留追溯码存到手机（无信号时打印标签） Reserve codes to keep on the phone for offline labels',
        tags,
        body: DeviceReserveInput,
        response: { 201: DeviceReservation, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.reserveForDevice(ctx, req.body))),
  );

  r.get(
    '/codes/device-reservations',
    {
      config: { verb: 'code.issue' },
      schema: {
        operationId: 'listDeviceCodeReservations',
        summary:
          '我的本机预留码（批次、剩余、到期、设备） My device code reservations (batch, codes left, expiry, device)',
        tags,
        querystring: DeviceReservationQuery,
        response: { 200: DeviceReservationList, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listDeviceReservations(ctxOf(req), req.query),
  );

  r.get(
    '/codes/device-reservations/:id',
    {
      config: { verb: 'code.issue' },
      schema: {
        operationId: 'getDeviceCodeReservation',
        summary: '本机预留码 A device reservation (its owner only)',
        tags,
        params: Type.Object({ id: Uuid }),
        response: { 200: DeviceReservation, ...authErrors, ...errors(404) },
      },
    },
    async (req) => svc.getDeviceReservation(ctxOf(req), req.params.id),
  );

  r.post(
    '/codes/device-reservations/:id/uses',
    {
      config: { verb: 'code.issue' },
      schema: {
        operationId: 'reportReservedCodeUse',
        summary: '上报离线打印所用的预留码（激活绑定到批次，幂等） Report a reserved code printed offline',
        tags,
        params: Type.Object({ id: Uuid }),
        body: CodeUseInput,
        response: { 200: CodeUse, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.reportCodeUse(ctx, req.params.id, req.body)),
  );

  r.post(
    '/codes/device-reservations/:id/release',
    {
      config: { verb: 'code.issue' },
      schema: {
        operationId: 'releaseDeviceCodeReservation',
        summary: '释放未用的预留码（作废） Release the unused reserved codes',
        tags,
        params: Type.Object({ id: Uuid }),
        response: { 200: ReleaseResult, ...authErrors, ...errors(404) },
      },
    },
    async (req) => write(req, (ctx) => svc.releaseDeviceReservation(ctx, req.params.id)),
  );
}
