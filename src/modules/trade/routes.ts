import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, write } from '../../kernel/http.js';
import { FileResponse, Page, authErrors, errors } from '../../kernel/schemas.js';
import { listAnomalies, scanAnomaliesNow } from './anomalies.js';
import {
  IncomingQuery,
  Anomaly,
  AnomalyQuery,
  IdParams,
  ReceiptInput,
  Sale,
  SaleInput,
  SaleQuery,
  ScanResult,
  VoucherCheck,
  VoucherCheckInput,
  VoucherCheckQuery,
  VoucherCheckResult,
} from './schemas.js';
import { listIncoming } from './network.js';
import * as svc from './service.js';
import { listChecks, verifyVoucher } from './verify.js';
import { voucherPdf } from './voucher.js';

export default async function tradeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['trade'];

  r.post(
    '/sales',
    {
      config: { verb: 'trade.sell' },
      schema: {
        operationId: 'createSale',
        summary:
          '登记销售（扫买方身份码、选客户，或开具追溯凭证/入市追溯凭证）Record a sale (scan the buyer, choose a customer, or issue a voucher)',
        tags,
        body: SaleInput,
        response: { 201: Sale, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createSale(ctx, req.body))),
  );

  r.get(
    '/sales',
    {
      config: { verb: 'trade.read' },
      schema: {
        operationId: 'listSales',
        summary: '销售/收货记录 Sales and receipts',
        tags,
        querystring: SaleQuery,
        response: { 200: Page(Sale), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listSales(ctxOf(req), req.query),
  );

  r.get(
    '/sales/incoming',
    {
      config: { verb: 'trade.read' },
      schema: {
        operationId: 'listIncomingSales',
        summary: '来自其他平台的销售（买方在本平台确认收货）Sales from other platforms, confirmed here by the buyer',
        tags,
        querystring: IncomingQuery,
        response: { 200: Page(Sale), ...authErrors, ...errors(400) },
      },
    },
    async (req) => listIncoming(ctxOf(req), req.query),
  );

  r.get(
    '/sales/:id',
    {
      config: { verb: 'trade.read' },
      schema: {
        operationId: 'getSale',
        summary: '销售记录 A sale',
        tags,
        params: IdParams,
        response: { 200: Sale, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getSale(ctxOf(req), req.params.id),
  );

  r.get(
    '/sales/:id/voucher.pdf',
    {
      config: { verb: 'trade.read' },
      schema: {
        operationId: 'printVoucher',
        summary: '打印追溯凭证/入市追溯凭证（PDF）Print the voucher (PDF)',
        tags,
        params: IdParams,
        response: {
          200: FileResponse(MIME.pdf, 'the voucher, A6 (inline)'),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await voucherPdf(ctxOf(req), req.params.id);
      return sendFile(reply, pdf, { filename, type: MIME.pdf, inline: true });
    },
  );

  r.post(
    '/receipts',
    {
      config: { verb: 'trade.receive' },
      schema: {
        operationId: 'confirmReceipt',
        summary:
          "确认收货或拒收（一键；可扫货品追溯码）Confirm or refuse a receipt (one click; or scan the goods' code)",
        tags,
        body: ReceiptInput,
        response: { 200: Sale, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.confirmReceipt(ctx, req.body)),
  );

  r.post(
    '/voucher-checks',
    {
      config: { verb: 'trade.verify' },
      schema: {
        operationId: 'verifyVoucher',
        summary:
          '入市查验：扫凭证或追溯码（每次查验都记录）Market gate: verify a voucher or trace code (every check recorded)',
        tags,
        body: VoucherCheckInput,
        response: { 200: VoucherCheckResult, ...authErrors, ...errors(400) },
      },
    },
    async (req) => write(req, (ctx) => verifyVoucher(ctx, req.body)),
  );

  r.get(
    '/voucher-checks',
    {
      config: { verb: 'trade.verify' },
      schema: {
        operationId: 'listVoucherChecks',
        summary: '入市查验记录 Gate check records',
        tags,
        querystring: VoucherCheckQuery,
        response: { 200: Page(VoucherCheck), ...authErrors, ...errors(400) },
      },
    },
    async (req) => listChecks(ctxOf(req), req.query),
  );

  r.get(
    '/anomalies',
    {
      config: { verb: 'trade.read' },
      schema: {
        operationId: 'listAnomalies',
        summary: '链条异常（产出超投入、销售超收获、一码多用、收发不符）Chain anomalies',
        tags,
        querystring: AnomalyQuery,
        response: { 200: Page(Anomaly), ...authErrors, ...errors(400) },
      },
    },
    async (req) => listAnomalies(ctxOf(req), req.query),
  );

  r.post(
    '/anomalies/scan',
    {
      config: { verb: 'anomaly.scan' },
      schema: {
        operationId: 'scanAnomalies',
        summary: '立即运行链条异常检查（平时每小时自动运行）Run the chain anomaly checks now (they also run hourly)',
        tags,
        response: { 200: ScanResult, ...authErrors },
      },
    },
    async (req) => write(req, (ctx) => scanAnomaliesNow(ctx)),
  );
}
