import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, write } from '../../kernel/http.js';
import { FileResponse, Page, authErrors, errors } from '../../kernel/schemas.js';
import { incidentReport } from './report.js';
import {
  CloseInput,
  DispatchInput,
  IdParams,
  Incident,
  IncidentQuery,
  IncidentSummary,
  OpenIncidentInput,
  TaskActionInput,
} from './schemas.js';
import * as svc from './service.js';

export default async function incidentRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['incidents'];
  r.post(
    '/incidents',
    {
      config: { verb: 'incident.command' },
      schema: {
        operationId: 'openIncident',
        summary: '启动应急事件（由风险处置或追溯码正向追踪） Open an incident (traced forward from its source)',
        tags,
        body: OpenIncidentInput,
        response: { 201: Incident, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.openIncident(ctx, req.body))),
  );
  r.get(
    '/incidents',
    {
      config: { verb: 'incident.read' },
      schema: {
        operationId: 'listIncidents',
        summary: '应急事件（本辖区及派给本机构的） Incidents in my jurisdiction or with my tasks',
        tags,
        querystring: IncidentQuery,
        response: { 200: Page(IncidentSummary), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listIncidents(ctxOf(req), req.query),
  );
  r.get(
    '/incidents/:id',
    {
      config: { verb: 'incident.read' },
      schema: {
        operationId: 'getIncident',
        summary: '应急事件工作台 The incident workspace',
        tags,
        params: IdParams,
        response: { 200: Incident, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getIncident(ctxOf(req), req.params.id),
  );
  r.post(
    '/incidents/:id/tasks',
    {
      config: { verb: 'incident.command' },
      schema: {
        operationId: 'dispatchIncidentTask',
        summary: '派发调度任务（机构、期限） Dispatch a task to an agency with a deadline',
        tags,
        params: IdParams,
        body: DispatchInput,
        response: { 201: Incident, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await write(req, (ctx) => svc.dispatchIncidentTask(ctx, req.params.id, req.body))),
  );
  r.post(
    '/incident-tasks/:id/actions',
    {
      config: { verb: 'incident.task' },
      schema: {
        operationId: 'actOnIncidentTask',
        summary: '接收 / 完成调度任务 Accept or complete a dispatched task',
        tags,
        params: IdParams,
        body: TaskActionInput,
        response: { 200: Incident, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.actOnTask(ctx, req.params.id, req.body)),
  );
  r.post(
    '/incidents/:id/close',
    {
      config: { verb: 'incident.command' },
      schema: {
        operationId: 'closeIncident',
        summary: '结束应急事件（须填处置总结） Close the incident with its summary',
        tags,
        params: IdParams,
        body: CloseInput,
        response: { 200: Incident, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.closeIncident(ctx, req.params.id, req.body)),
  );
  r.get(
    '/incidents/:id/report.pdf',
    {
      config: { verb: 'incident.read' },
      schema: {
        operationId: 'getIncidentReport',
        summary: '事件处置报告 PDF The incident report',
        tags,
        params: IdParams,
        response: { 200: FileResponse(MIME.pdf, 'the incident report'), ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const r = await incidentReport(ctxOf(req), req.params.id);
      return sendFile(reply, r.pdf, { filename: `应急事件-${r.number}.pdf`, type: MIME.pdf, inline: true });
    },
  );
}
