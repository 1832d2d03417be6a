import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicCtxOf } from '../../kernel/http.js';
import { DivisionCode, Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const Archive = Type.Object({
  subject: Type.Object({ id: Uuid, name: Type.String(), divisionCode: Type.String(), identityCode: Nullable(Type.String()) }),
  points: Type.Integer(),
  rating: Type.Object({ grade: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  recordsInWindow: Type.Integer(),
  repeatOffender: Type.Boolean(),
  policy: Type.Object({ windowMonths: Type.Integer(), repeatThreshold: Type.Integer() }),
  records: Type.Array(Type.Object({
    id: Uuid, source: Type.String(), sourceId: Uuid, ruleCode: Type.String(), points: Type.Integer(),
    titleZh: Type.String(), titleEn: Type.String(), occurredAt: Type.String(), withdrawn: Type.Boolean(),
  })),
});
const Tallied = Type.Object({
  subjectId: Uuid, name: Type.String(), divisionCode: Type.String(), identityCode: Nullable(Type.String()), points: Type.Integer(),
  records: Type.Integer(), grade: Type.String(), gradeZh: Type.String(), repeatOffender: Type.Boolean(), lastAt: Type.String(),
});

export default async function creditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['credit'];
  r.get('/credit/subjects/:subjectId', {
    config: { verb: 'credit.read' },
    schema: {
      operationId: 'getCreditArchive', summary: '主体诚信档案 Credit archive of a producer', tags,
      params: Type.Object({ subjectId: Uuid }),
      response: { 200: Archive, ...authErrors, ...errors(400, 404) },
    },
  }, async (req) => svc.subjectArchive(ctxOf(req), req.params.subjectId));

  r.get('/credit/subjects', {
    config: { verb: 'credit.read' },
    schema: {
      operationId: 'listCreditRecords', summary: '本辖区有不良记录的主体 Producers with bad records in my jurisdiction', tags,
      querystring: Type.Object({ repeatOnly: Type.Optional(Type.Boolean()) }),
      response: { 200: Type.Array(Tallied), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listInScope(ctxOf(req), req.query));

  r.get('/credit/rules', {
    config: { verb: 'credit.read' },
    schema: {
      operationId: 'getCreditRules', summary: '信用评价规则（数据） Credit rules, grades and policy', tags,
      response: {
        200: Type.Object({
          rules: Type.Array(Type.Object({ code: Type.String(), source: Type.String(), severity: Type.String(), points: Type.Integer(), nameZh: Type.String(), nameEn: Type.String() })),
          grades: Type.Array(Type.Object({ grade: Type.String(), maxPoints: Type.Integer(), nameZh: Type.String(), nameEn: Type.String() })),
          policy: Type.Object({ windowMonths: Type.Integer(), repeatThreshold: Type.Integer() }),
        }),
        ...authErrors,
      },
    },
  }, async (req) => svc.rulesAndGrades(ctxOf(req)));

  r.get('/credit/mine', {
    config: { verb: 'credit.readOwn' },
    schema: { operationId: 'getMyCreditArchive', summary: '本主体的诚信档案 My own credit archive (producers)', tags, response: { 200: Archive, ...authErrors, ...errors(404) } },
  }, async (req) => svc.myArchive(ctxOf(req)));

  r.get('/public/credit/offenders', {
    config: { public: true },
    schema: {
      operationId: 'listPublicOffenders', summary: '屡教不改主体公示 Public list of repeat offenders', tags,
      querystring: Type.Object({ within: Type.Optional(DivisionCode) }),
      response: {
        200: Type.Object({
          policy: Type.Object({ windowMonths: Type.Integer(), repeatThreshold: Type.Integer() }),
          items: Type.Array(Type.Object({ name: Type.String(), divisionCode: Type.String(), identityCode: Nullable(Type.String()), records: Type.Integer(), grade: Type.String(), gradeZh: Type.String(), lastAt: Type.String() })),
        }),
        ...errors(400),
      },
    },
  }, async (req) => svc.publicOffenders(publicCtxOf(req), req.query.within));
}
