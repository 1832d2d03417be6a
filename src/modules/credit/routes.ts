import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, publicCtxOf } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import {
  AgencyArchive,
  AgencyParams,
  Archive,
  OffenderPage,
  PartyTalliedPage,
  OffenderQuery,
  Rules,
  SubjectParams,
  TalliedPage,
  TalliedQuery,
} from './schemas.js';
import * as svc from './service.js';

export default async function creditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['credit'];
  r.get(
    '/credit/subjects/:subjectId',
    {
      config: { verb: 'credit.read' },
      schema: {
        operationId: 'getCreditArchive',
        summary: '主体诚信档案 Credit archive of a producer',
        tags,
        params: SubjectParams,
        response: { 200: Archive, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.subjectArchive(ctxOf(req), req.params.subjectId),
  );

  r.get(
    '/credit/subjects',
    {
      config: { verb: 'credit.read' },
      schema: {
        operationId: 'listCreditRecords',
        summary: '本辖区有不良记录的主体 Producers with bad records in my jurisdiction',
        tags,
        querystring: TalliedQuery,
        response: { 200: TalliedPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listInScope(ctxOf(req), req.query),
  );

  r.get(
    '/credit/agencies',
    {
      config: { verb: 'credit.read' },
      schema: {
        operationId: 'listAgencyCreditRecords',
        summary: '本辖区有不良记录的第三方服务机构和采集员 Service agencies and collectors with bad records',
        tags,
        querystring: TalliedQuery,
        response: { 200: PartyTalliedPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listAgenciesInScope(ctxOf(req), req.query),
  );

  r.get(
    '/credit/agencies/:orgId',
    {
      config: { verb: 'credit.read' },
      schema: {
        operationId: 'getAgencyCreditArchive',
        summary: '第三方服务机构及其采集员的诚信档案 Credit archive of a service agency and its collectors',
        tags,
        params: AgencyParams,
        response: { 200: AgencyArchive, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.agencyArchive(ctxOf(req), req.params.orgId),
  );

  r.get(
    '/credit/my-agency',
    {
      config: { verb: 'credit.readAgency' },
      schema: {
        operationId: 'getMyAgencyCreditArchive',
        summary: '本机构及其采集员的诚信档案（只读）My service agency’s and its collectors’ credit archive',
        tags,
        response: { 200: AgencyArchive, ...authErrors, ...errors(404) },
      },
    },
    async (req) => svc.myAgencyArchive(ctxOf(req)),
  );

  r.get(
    '/credit/rules',
    {
      config: { verb: 'credit.read' },
      schema: {
        operationId: 'getCreditRules',
        summary: '信用评价规则（数据） Credit rules, grades and policy',
        tags,
        response: { 200: Rules, ...authErrors },
      },
    },
    async (req) => svc.rulesAndGrades(ctxOf(req)),
  );

  r.get(
    '/credit/mine',
    {
      config: { verb: 'credit.readOwn' },
      schema: {
        operationId: 'getMyCreditArchive',
        summary: '本主体的诚信档案 My own credit archive (producers)',
        tags,
        response: { 200: Archive, ...authErrors, ...errors(404) },
      },
    },
    async (req) => svc.myArchive(ctxOf(req)),
  );

  r.get(
    '/public/credit/offenders',
    {
      config: { public: true },
      schema: {
        operationId: 'listPublicOffenders',
        summary: '屡教不改主体公示 Public list of repeat offenders',
        tags,
        querystring: OffenderQuery,
        response: { 200: OffenderPage, ...errors(400) },
      },
    },
    async (req) => svc.publicOffenders(publicCtxOf(req), req.query),
  );
}
