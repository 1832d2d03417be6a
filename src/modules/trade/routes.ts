import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DateTime, Nullable, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { readScopeOf } from '../catalog/owner.js';
import { listAnomalies, scanAnomaliesNow } from './anomalies.js';
import * as svc from './service.js';
import { listChecks, verifyVoucher } from './verify.js';

const Quantity = Type.Number({ exclusiveMinimum: 0, maximum: 1e12 });
const SaleStatus = Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('refused'), Type.Literal('vouchered')]);
export const Sale = Type.Object({
  id: Uuid, batchId: Uuid, batchNo: Type.String(), batchCode: Nullable(Type.String()), productName: Type.String(), quantity: Type.Number(), unit: Type.String(),
  price: Nullable(Type.Number()), sellerSubjectId: Uuid, sellerName: Type.String(), buyerKind: Type.String(), buyerSubjectId: Nullable(Uuid), buyerName: Type.String(),
  buyerPhone: Nullable(Type.String()), status: Type.String(), statusName: Type.String(), voucherKind: Nullable(Type.String()), voucherName: Nullable(Type.String()),
  voucherCode: Nullable(Type.String()), voucherUrl: Nullable(Type.String()), soldAt: Type.String(), receiptBatchId: Nullable(Uuid), receiptCode: Nullable(Type.String()),
  receivedQuantity: Nullable(Type.Number()), decidedAt: Nullable(Type.String()), refuseReason: Nullable(Type.String()), allowedActions: Type.Array(Type.String()),
});
const Reason = Type.Object({ code: Type.String(), ok: Type.Boolean(), message: Type.String(), messageEn: Type.String() });
const AnomalyKind = Type.Union([Type.Literal('output_exceeds_input'), Type.Literal('sales_exceed_harvest'), Type.Literal('code_reused'), Type.Literal('receipt_mismatch')]);

export default async function tradeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['trade'];

  r.post('/sales', {
    config: { verb: 'trade.sell' },
    schema: {
      operationId: 'createSale', summary: '登记销售（扫买方身份码、选客户，或开具追溯凭证/入市追溯凭证）Record a sale (scan the buyer, choose a customer, or issue a voucher)', tags,
      body: Type.Object({
        batchId: Uuid,
        quantity: Quantity,
        buyerKind: Type.Union([Type.Literal('registered'), Type.Literal('unregistered'), Type.Literal('market')], { description: 'registered 已注册主体（待其确认）· unregistered 未注册买方（追溯凭证）· market 入市（入市追溯凭证）' }),
        buyerIdentityCode: Type.Optional(Type.String({ minLength: 4, maxLength: 80, description: '买方主体身份码（扫码）' })),
        customerId: Type.Optional(Uuid),
        buyerName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        buyerPhone: Type.Optional(Type.String({ pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$' })),
        price: Type.Optional(Type.Number({ minimum: 0, maximum: 1e10 })),
        soldAt: Type.Optional(DateTime),
      }, { additionalProperties: false }),
      response: { 201: Sale, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createSale(ctx, req.body))));

  r.get('/sales', {
    config: { verb: 'trade.read' },
    schema: {
      operationId: 'listSales', summary: '销售/收货记录 Sales and receipts', tags,
      querystring: Type.Object({ role: Type.Optional(Type.Union([Type.Literal('seller'), Type.Literal('buyer')])), status: Type.Optional(SaleStatus), batchId: Type.Optional(Uuid), ...PageQuery }),
      response: { 200: Type.Object({ items: Type.Array(Sale), page: Type.Integer(), pageSize: Type.Integer(), more: Type.Boolean() }), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listSales(ctxOf(req), req.query));

  r.get('/sales/:id', {
    config: { verb: 'trade.read' },
    schema: { operationId: 'getSale', summary: '销售记录 A sale', tags, params: Type.Object({ id: Uuid }), response: { 200: Sale, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getSale(ctxOf(req), req.params.id));

  r.get('/sales/:id/voucher.pdf', {
    config: { verb: 'trade.read' },
    schema: {
      operationId: 'printVoucher', summary: '打印追溯凭证/入市追溯凭证（PDF）Print the voucher (PDF)', tags, params: Type.Object({ id: Uuid }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const { pdf, filename } = await svc.voucherPdf(ctxOf(req), req.params.id);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);
  });

  r.post('/receipts', {
    config: { verb: 'trade.receive' },
    schema: {
      operationId: 'confirmReceipt', summary: '确认收货或拒收（一键；可扫货品追溯码）Confirm or refuse a receipt (one click; or scan the goods\' code)', tags,
      body: Type.Object({
        saleId: Type.Optional(Uuid),
        code: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        decision: Type.Union([Type.Literal('accept'), Type.Literal('refuse')]),
        receivedQuantity: Type.Optional(Quantity),
        reason: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 200: Sale, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.confirmReceipt(ctx, req.body)));

  r.post('/voucher-checks', {
    config: { verb: 'trade.verify' },
    schema: {
      operationId: 'verifyVoucher', summary: '入市查验：扫凭证或追溯码（每次查验都记录）Market gate: verify a voucher or trace code (every check recorded)', tags,
      body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 200 }), quantity: Type.Optional(Quantity), productName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ id: Uuid, verified: Type.Boolean(), message: Type.String(), messageEn: Type.String(), reasons: Type.Array(Reason), info: Nullable(Type.Record(Type.String(), Type.Unknown())), checkedAt: Type.String() }),
        ...authErrors, ...errors(400),
      },
    },
  }, async (req) => write(req, (ctx) => verifyVoucher(ctx, req.body)));

  r.get('/voucher-checks', {
    config: { verb: 'trade.verify' },
    schema: {
      operationId: 'listVoucherChecks', summary: '入市查验记录 Gate check records', tags, querystring: Type.Object({ ...PageQuery }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, input: Type.String(), verified: Type.Boolean(), reasons: Type.Array(Reason), marketName: Nullable(Type.String()), checkedAt: Type.String() })), page: Type.Integer(), pageSize: Type.Integer() }), ...authErrors, ...errors(400) },
    },
  }, async (req) => listChecks(ctxOf(req), req.query));

  r.get('/anomalies', {
    config: { verb: 'trade.read' },
    schema: {
      operationId: 'listAnomalies', summary: '链条异常（产出超投入、销售超收获、一码多用、收发不符）Chain anomalies', tags,
      querystring: Type.Object({ kind: Type.Optional(AnomalyKind), status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])), ...PageQuery }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            id: Uuid, kind: Type.String(), kindName: Type.String(), kindNameEn: Type.String(), subjectId: Nullable(Uuid), subjectName: Nullable(Type.String()), divisionCode: Type.String(),
            batchId: Nullable(Uuid), batchNo: Nullable(Type.String()), saleId: Nullable(Uuid), details: Type.Unknown(), status: Type.String(), detectedAt: Type.String(),
          })),
          total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(),
        }),
        ...authErrors, ...errors(400),
      },
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    return listAnomalies(ctx, await readScopeOf(ctx), req.query);
  });

  r.post('/anomalies/scan', {
    config: { verb: 'anomaly.scan' },
    schema: {
      operationId: 'scanAnomalies', summary: '立即运行链条异常检查（平时每小时自动运行）Run the chain anomaly checks now (they also run hourly)', tags,
      response: { 200: Type.Object({ found: Type.Integer(), flagged: Type.Integer() }), ...authErrors },
    },
  }, async (req) => write(req, (ctx) => scanAnomaliesNow(ctx)));
}
