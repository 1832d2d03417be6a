import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Page, authErrors, errors } from '../../kernel/schemas.js';
import {
  AcknowledgeInput,
  Evaluation,
  HandleInput,
  IdParams,
  RuleUpdate,
  Warning,
  WarningQuery,
  WarningRule,
} from './schemas.js';
import * as svc from './service.js';

export default async function warningRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['warnings'];
  r.get(
    '/warnings',
    {
      config: { verb: 'warning.read' },
      schema: {
        operationId: 'listWarnings',
        summary: '本辖区预警 Early warnings in my jurisdiction',
        tags,
        querystring: WarningQuery,
        response: { 200: Page(Warning), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listWarnings(ctxOf(req), req.query),
  );
  r.get(
    '/warnings/:id',
    {
      config: { verb: 'warning.read' },
      schema: {
        operationId: 'getWarning',
        summary: '预警详情及处置记录 A warning with its trail',
        tags,
        params: IdParams,
        response: { 200: Warning, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getWarning(ctxOf(req), req.params.id),
  );
  r.post(
    '/warnings/:id/acknowledge',
    {
      config: { verb: 'warning.handle' },
      schema: {
        operationId: 'acknowledgeWarning',
        summary: '确认预警 Acknowledge a warning',
        tags,
        params: IdParams,
        body: AcknowledgeInput,
        response: { 200: Warning, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.acknowledgeWarning(ctx, req.params.id, req.body)),
  );
  r.post(
    '/warnings/:id/handle',
    {
      config: { verb: 'warning.handle' },
      schema: {
        operationId: 'handleWarning',
        summary: '处置预警（须填处置结果） Handle a warning with its outcome',
        tags,
        params: IdParams,
        body: HandleInput,
        response: { 200: Warning, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.handleWarning(ctx, req.params.id, req.body)),
  );
  r.get(
    '/warning-rules',
    {
      config: { verb: 'warning.read' },
      schema: {
        operationId: 'listWarningRules',
        summary: '预警规则 Warning rules',
        tags,
        response: { 200: Type.Array(WarningRule), ...authErrors },
      },
    },
    async (req) => svc.listWarningRules(ctxOf(req)),
  );
  r.patch(
    '/warning-rules/:id',
    {
      config: { verb: 'warning.manageRules' },
      schema: {
        operationId: 'updateWarningRule',
        summary: '修改预警规则（参数、启用、责任层级） Change a warning rule',
        tags,
        params: IdParams,
        body: RuleUpdate,
        response: { 200: WarningRule, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => svc.updateWarningRule(ctx, req.params.id, req.body)),
  );
  r.post(
    '/warnings/evaluate',
    {
      config: { verb: 'warning.manageRules' },
      schema: {
        operationId: 'evaluateWarnings',
        summary: '立即按规则评估预警 Evaluate the warning rules now',
        tags,
        response: { 200: Evaluation, ...authErrors },
      },
    },
    async (req) => write(req, (ctx) => svc.evaluateWarnings(ctx)),
  );
}
