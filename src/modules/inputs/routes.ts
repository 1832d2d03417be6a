import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Nullable, PageQuery, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { INPUT_KINDS } from './service.js';
import * as svc from './service.js';

const InputUse = Type.Object({
  id: Uuid, baseId: Uuid, batchId: Nullable(Uuid), kind: Type.String(), kindName: Type.String(), name: Type.String(), registrationNo: Nullable(Type.String()),
  dose: Nullable(Type.Number()), doseUnit: Nullable(Type.String()), usedOn: Type.String(), safetyDays: Nullable(Type.Integer()), operation: Nullable(Type.String()),
  photos: Type.Array(Type.String()), note: Nullable(Type.String()), createdAt: Type.String(), safeFrom: Nullable(Type.String()),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), messageEn: Type.String() })),
});

export default async function inputRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['production-process'];

  r.post('/input-uses', {
    config: { verb: 'input.record' },
    schema: {
      operationId: 'recordInputUse', summary: '记录投入品使用或农事操作 Record an input used or a farming operation', tags,
      body: Type.Object({
        baseId: Uuid,
        batchId: Type.Optional(Nullable(Uuid)),
        kind: Type.Union(Object.keys(INPUT_KINDS).map((k) => Type.Literal(k)), { description: 'pesticide 农药 · fertiliser 肥料 · vet_drug 兽药 · feed 饲料 · operation 农事操作' }),
        name: Type.String({ minLength: 1, maxLength: 60 }),
        registrationNo: Type.Optional(Nullable(Type.String({ maxLength: 40, pattern: '^[0-9A-Za-z()（）\\-]+$', description: '农药登记证号 e.g. PD20080001 / 兽药批准文号' }))),
        dose: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }))),
        doseUnit: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
        usedOn: Type.String({ format: 'date' }),
        safetyDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365, description: '安全间隔期 / 休药期 (days)' }))),
        operation: Type.Optional(Nullable(Type.String({ maxLength: 200, description: '农事操作 e.g. 灌溉、施肥、除草、采收' }))),
        photos: Type.Optional(Type.Array(Uuid, { maxItems: 10, uniqueItems: true, description: 'ids of uploaded photos (POST /files)' })),
        note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
      }, { additionalProperties: false }),
      response: { 201: InputUse, ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.recordInputUse(ctx, req.body as svc.InputUseInput))));

  r.get('/input-uses', {
    config: { verb: 'batch.read' },
    schema: {
      operationId: 'listInputUses', summary: '生产过程记录 Production-process records', tags,
      querystring: Type.Object({ baseId: Type.Optional(Uuid), batchId: Type.Optional(Uuid), ...PageQuery }),
      response: { 200: Type.Array(InputUse), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listInputUses(ctxOf(req), req.query));
}
