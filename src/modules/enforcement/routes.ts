import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import * as insp from './inspections.js';
import {
  Case,
  CaseActionInput,
  CaseInput,
  CaseListQuery,
  CasePage,
  IdParams,
  Inspection,
  InspectionInput,
  InspectionListQuery,
  InspectionPage,
  InspectionScan,
} from './schemas.js';
import * as svc from './service.js';
import { Type } from 'typebox';

export default async function enforcementRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['enforcement'];
  r.post(
    '/enforcement-cases',
    {
      config: { verb: 'enforcement.manage' },
      schema: {
        operationId: 'createEnforcementCase',
        summary: '立案（行政处罚案件） Register an administrative penalty case',
        tags,
        body: CaseInput,
        response: { 201: Case, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createEnforcementCase(ctx, req.body))),
  );

  r.post(
    '/enforcement-cases/:id/actions',
    {
      config: { verb: 'enforcement.manage' },
      schema: {
        operationId: 'actOnEnforcementCase',
        summary: '案件流转（调查、决定、结案、撤案） Move a case along its state table',
        tags,
        params: IdParams,
        body: CaseActionInput,
        response: { 200: Case, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.actOnCase(ctx, req.params.id, req.body)),
  );

  r.get(
    '/enforcement-cases',
    {
      config: { verb: 'enforcement.read' },
      schema: {
        operationId: 'listEnforcementCases',
        summary: '本辖区执法案件 Cases in my jurisdiction',
        tags,
        querystring: CaseListQuery,
        response: { 200: CasePage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listCases(ctxOf(req), req.query),
  );

  r.get(
    '/enforcement-cases/:id',
    {
      config: { verb: 'enforcement.read' },
      schema: {
        operationId: 'getEnforcementCase',
        summary: '案件详情 A case',
        tags,
        params: IdParams,
        response: { 200: Case, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getCase(ctxOf(req), req.params.id),
  );

  // ── on-site enforcement inspections (执法检查) ──
  r.get(
    '/enforcement-inspections/scan',
    {
      config: { verb: 'enforcement.manage' },
      schema: {
        operationId: 'scanSubjectForInspection',
        summary: '执法检查扫主体身份码 Look up a producer by its identity code for an inspection',
        tags,
        querystring: Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) }),
        response: { 200: InspectionScan, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => insp.scanForInspection(ctxOf(req), req.query.code),
  );
  r.post(
    '/enforcement-inspections',
    {
      config: { verb: 'enforcement.manage' },
      schema: {
        operationId: 'recordEnforcementInspection',
        summary: '记录执法检查（扫码） Record an on-site enforcement inspection (by scanning)',
        tags,
        body: InspectionInput,
        response: { 201: Inspection, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => insp.recordInspection(ctx, req.body))),
  );
  r.get(
    '/enforcement-inspections',
    {
      config: { verb: 'enforcement.read' },
      schema: {
        operationId: 'listEnforcementInspections',
        summary: '本辖区执法检查记录 Inspections in my jurisdiction',
        tags,
        querystring: InspectionListQuery,
        response: { 200: InspectionPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => insp.listInspections(ctxOf(req), req.query),
  );
  r.get(
    '/enforcement-inspections/:id',
    {
      config: { verb: 'enforcement.read' },
      schema: {
        operationId: 'getEnforcementInspection',
        summary: '执法检查记录 An inspection',
        tags,
        params: IdParams,
        response: { 200: Inspection, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => insp.getInspection(ctxOf(req), req.params.id),
  );
}
