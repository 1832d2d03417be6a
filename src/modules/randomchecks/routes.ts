import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DivisionCode, Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Draw = Type.Object({
  id: Uuid, title: Type.String(), taskKind: Type.String(), divisionCode: Type.String(), seed: Type.String(), algorithm: Type.String(),
  filter: Type.Unknown(), subjectPool: Type.Array(Uuid), inspectorPool: Type.Array(Uuid), subjectCount: Type.Integer(), inspectorsPerSubject: Type.Integer(),
  createdAt: Type.String(), reproducible: Type.Boolean(),
  tasks: Type.Array(Type.Object({
    id: Uuid, kind: Type.String(), status: Type.String(), doneRef: Nullable(Uuid), subjectId: Uuid, subjectName: Type.String(), identityCode: Nullable(Type.String()),
    divisionCode: Type.String(), inspectors: Type.Array(Type.Object({ id: Uuid, name: Type.String(), orgName: Type.String() })),
  })),
});

export default async function randomCheckRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['random checks'];
  r.post('/random-draws', {
    config: { verb: 'randomcheck.draw' },
    schema: {
      operationId: 'drawRandomChecks', summary: '双随机抽取（可复现） Draw random checks (seeded, reproducible)', tags,
      body: Type.Object({
        title: Type.String({ minLength: 2, maxLength: 100 }),
        taskKind: Type.Union([Type.Literal('patrol'), Type.Literal('sampling')]),
        seed: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'omit for a fresh random seed; give one to reproduce a public draw' })),
        within: Type.Optional(DivisionCode),
        industries: Type.Optional(Type.Array(Type.Union([Type.Literal('planting'), Type.Literal('livestock'), Type.Literal('fishery')]), { uniqueItems: true })),
        orgForms: Type.Optional(Type.Array(Type.Union([Type.Literal('enterprise'), Type.Literal('cooperative'), Type.Literal('family_farm'), Type.Literal('individual')]), { uniqueItems: true })),
        inspectorOrgIds: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
        subjectCount: Type.Integer({ minimum: 1, maximum: 1000 }),
        inspectorsPerSubject: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
      }, { additionalProperties: false }),
      response: { 201: Draw, ...authErrors, ...errors(400) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.drawRandomChecks(ctx, req.body))));

  r.get('/random-draws', {
    config: { verb: 'randomcheck.read' },
    schema: {
      operationId: 'listRandomDraws', summary: '双随机抽取记录 Random draws in my jurisdiction', tags,
      response: { 200: Type.Array(Type.Object({ id: Uuid, title: Type.String(), taskKind: Type.String(), divisionCode: Type.String(), seed: Type.String(), subjectCount: Type.Integer(), poolSize: Type.Integer(), createdAt: Type.String() })), ...authErrors },
    },
  }, async (req) => svc.listDraws(ctxOf(req)));

  r.get('/random-draws/:id', {
    config: { verb: 'randomcheck.read' },
    schema: { operationId: 'getRandomDraw', summary: '抽取详情与复现校验 A draw, re-run to verify', tags, params: Type.Object({ id: Uuid }), response: { 200: Draw, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getDraw(ctxOf(req), req.params.id));
}
