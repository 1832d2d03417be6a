import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { PageQuery, authErrors, errors } from '../../kernel/schemas.js';
import { Base, BaseInput, Customer, CustomerInput, Product, ProductInput } from './schemas.js';
import * as svc from './service.js';

export default async function catalogRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['catalog'];

  r.post(
    '/products',
    {
      config: { verb: 'product.manage' },
      schema: {
        operationId: 'createProduct',
        summary: '新增产品 Create a product',
        tags,
        body: ProductInput,
        response: { 201: Product, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createProduct(ctx, req.body))),
  );

  r.get(
    '/products',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'listProducts',
        summary: '产品列表 Products',
        tags,
        querystring: Type.Object(PageQuery),
        response: { 200: Type.Array(Product), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listProducts(ctxOf(req), req.query),
  );

  r.post(
    '/bases',
    {
      config: { verb: 'product.manage' },
      schema: {
        operationId: 'createBase',
        summary: '新增生产基地 Create a production base',
        tags,
        body: BaseInput,
        response: { 201: Base, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createBase(ctx, req.body))),
  );

  r.get(
    '/bases',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'listBases',
        summary: '生产基地列表 Production bases',
        tags,
        querystring: Type.Object(PageQuery),
        response: { 200: Type.Array(Base), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listBases(ctxOf(req), req.query),
  );

  r.post(
    '/customers',
    {
      config: { verb: 'product.manage' },
      schema: {
        operationId: 'createCustomer',
        summary: '新增客户 Create a customer',
        tags,
        body: CustomerInput,
        response: { 201: Customer, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createCustomer(ctx, req.body))),
  );

  r.get(
    '/customers',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'listCustomers',
        summary: '客户列表 Customers',
        tags,
        querystring: Type.Object(PageQuery),
        response: { 200: Type.Array(Customer), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listCustomers(ctxOf(req), req.query),
  );
}
