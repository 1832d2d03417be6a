import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DivisionCode, Nullable, PageQuery, Phone, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Industry = Type.Union([Type.Literal('planting'), Type.Literal('livestock'), Type.Literal('fishery')], { description: 'planting 种植业 · livestock 畜牧业 · fishery 渔业' });
const DateStr = Type.String({ format: 'date' });
const Certification = Type.Object({
  type: Type.Union([Type.Literal('green'), Type.Literal('organic'), Type.Literal('gi')], { description: 'green 绿色食品 · organic 有机 · gi 地理标志' }),
  number: Type.String({ minLength: 1, maxLength: 60 }),
  validFrom: Type.Optional(Nullable(DateStr)),
  validTo: Type.Optional(Nullable(DateStr)),
}, { additionalProperties: false });

export const Product = Type.Object({
  id: Uuid, subjectId: Uuid, name: Type.String(), industry: Type.String(), classification: Nullable(Type.String()), keyProduct: Nullable(Type.String()),
  unit: Type.String(), certifications: Type.Array(Type.Object({ type: Type.String(), typeName: Type.String(), number: Type.String(), validFrom: Nullable(Type.String()), validTo: Nullable(Type.String()) })),
  createdAt: Type.String(),
});
export const Base = Type.Object({
  id: Uuid, subjectId: Uuid, name: Type.String(), divisionCode: Type.String(), divisionName: Nullable(Type.String()), address: Nullable(Type.String()),
  area: Nullable(Type.Number()), areaUnit: Type.String(), longitude: Nullable(Type.Number()), latitude: Nullable(Type.Number()), method: Nullable(Type.String()),
  photos: Type.Array(Type.String()), createdAt: Type.String(),
});
const Customer = Type.Object({
  id: Uuid, name: Type.String(), kind: Type.String(), contactName: Nullable(Type.String()), phone: Nullable(Type.String()), address: Nullable(Type.String()),
  customerSubjectId: Nullable(Type.String()), createdAt: Type.String(),
});
export const Unit = Type.String({ minLength: 1, maxLength: 10, description: 'kg 公斤 · 斤 · t 吨 · 头 · 只 · 羽 · 尾 · 枚 · 箱 · 袋 …' });

export default async function catalogRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['catalog'];

  r.post('/products', {
    config: { verb: 'product.manage' },
    schema: {
      operationId: 'createProduct', summary: '新增产品 Create a product', tags,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 50 }),
        industry: Industry,
        classification: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
        keyProduct: Type.Optional(Nullable(Type.String({ enum: [...svc.KEY_PRODUCTS], description: '12 key products of seed 004' }))),
        unit: Type.Optional(Unit),
        certifications: Type.Optional(Type.Array(Certification, { maxItems: 10 })),
      }, { additionalProperties: false }),
      response: { 201: Product, ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createProduct(ctx, req.body))));

  r.get('/products', {
    config: { verb: 'batch.read' },
    schema: { operationId: 'listProducts', summary: '产品列表 Products', tags, querystring: Type.Object(PageQuery), response: { 200: Type.Array(Product), ...authErrors, ...errors(400) } },
  }, async (req) => svc.listProducts(ctxOf(req), req.query));

  r.post('/bases', {
    config: { verb: 'product.manage' },
    schema: {
      operationId: 'createBase', summary: '新增生产基地 Create a production base', tags,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 50 }),
        divisionCode: DivisionCode,
        address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
        area: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }))),
        areaUnit: Type.Optional(Type.Union([Type.Literal('mu'), Type.Literal('m2'), Type.Literal('ha')])),
        longitude: Type.Optional(Nullable(Type.Number({ minimum: 73, maximum: 136 }))),
        latitude: Type.Optional(Nullable(Type.Number({ minimum: 3, maximum: 54 }))),
        method: Type.Optional(Nullable(Type.Union([Type.Literal('open_field'), Type.Literal('facility')]))),
        photos: Type.Optional(Type.Array(Uuid, { maxItems: 20, uniqueItems: true, description: 'ids of uploaded images (POST /files)' })),
      }, { additionalProperties: false }),
      response: { 201: Base, ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createBase(ctx, req.body))));

  r.get('/bases', {
    config: { verb: 'batch.read' },
    schema: { operationId: 'listBases', summary: '生产基地列表 Production bases', tags, querystring: Type.Object(PageQuery), response: { 200: Type.Array(Base), ...authErrors, ...errors(400) } },
  }, async (req) => svc.listBases(ctxOf(req), req.query));

  r.post('/customers', {
    config: { verb: 'product.manage' },
    schema: {
      operationId: 'createCustomer', summary: '新增客户 Create a customer', tags,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        kind: Type.Union(['buyer', 'market', 'processor', 'retailer', 'individual', 'other'].map((k) => Type.Literal(k))),
        contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
        phone: Type.Optional(Nullable(Phone)),
        address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
      }, { additionalProperties: false }),
      response: { 201: Customer, ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createCustomer(ctx, req.body as svc.CustomerInput))));

  r.get('/customers', {
    config: { verb: 'batch.read' },
    schema: { operationId: 'listCustomers', summary: '客户列表 Customers', tags, querystring: Type.Object(PageQuery), response: { 200: Type.Array(Customer), ...authErrors, ...errors(400) } },
  }, async (req) => svc.listCustomers(ctxOf(req), req.query));
}
