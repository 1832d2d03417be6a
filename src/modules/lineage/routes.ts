import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { Batch } from '../batches/routes.js';
import * as svc from './service.js';
import { mergeBatches, splitBatch } from './transform.js';

const Quantity = Type.Number({ exclusiveMinimum: 0, maximum: 1e12 });
const Node = Type.Object({
  batchId: Uuid, depth: Type.Integer(), kind: Type.String(), batchNo: Type.String(), code: Nullable(Type.String()), codeUrl: Nullable(Type.String()), productName: Type.String(),
  subjectId: Uuid, subjectName: Type.String(), divisionCode: Type.String(), quantity: Type.Number(), stock: Type.Number(), unit: Type.String(), producedAt: Type.String(),
  createdAt: Type.String(), status: Type.String(), recall: Nullable(Type.String()), inJurisdiction: Type.Boolean(),
});
const Edge = Type.Object({ from: Uuid, to: Uuid, quantity: Nullable(Type.Number()), unit: Nullable(Type.String()), time: Type.String(), bizStep: Type.String() });
const Trace = Type.Object({
  rootId: Uuid, direction: Type.String(), maxDepth: Type.Integer(), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer(), more: Type.Boolean(),
  nodes: Type.Array(Node), edges: Type.Array(Edge),
});
const TraceQuery = Type.Object({
  maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: svc.MAX_DEPTH })),
  page: Type.Optional(Type.Integer({ minimum: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
const TransformResult = Type.Object({ input: Nullable(Batch), outputs: Type.Array(Batch), certificates: Type.Array(Type.String()), certificateWarning: Nullable(Type.String()) });

export default async function lineageRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['lineage'];
  for (const direction of ['backward', 'forward'] as const) {
    r.get(`/batches/:id/${direction}`, {
      config: { verb: 'lineage.read' },
      schema: {
        operationId: direction === 'backward' ? 'traceBackward' : 'traceForward',
        summary: direction === 'backward' ? '向上追溯到每个来源 Trace back to every source' : '向下追踪到每个持有者 Trace forward to every holder',
        tags, params: Type.Object({ id: Uuid }), querystring: TraceQuery,
        response: { 200: Trace, ...authErrors, ...errors(400, 404) },
      },
    // Large answers (hundreds of nodes) are stringified directly: the schema-driven serializer checks every
    // nullable field's union at run time, which costs more than the query for big graphs (bench/chain.bench.ts).
    }, async (req, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(await svc.trace(ctxOf(req), direction, req.params.id, req.query)) as never));
  }

  r.get('/batches/:id/graph', {
    config: { verb: 'lineage.graph' },
    schema: {
      operationId: 'lineageGraph', summary: '完整链条图（监管）The whole chain graph (regulators)', tags, params: Type.Object({ id: Uuid }),
      querystring: Type.Object({ maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: svc.MAX_DEPTH })), cap: Type.Optional(Type.Integer({ minimum: 1, maximum: svc.MAX_GRAPH_NODES })) }),
      response: { 200: Type.Object({ rootId: Uuid, total: Type.Integer(), truncated: Type.Boolean(), nodes: Type.Array(Node), edges: Type.Array(Edge) }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => reply.type('application/json; charset=utf-8').send(JSON.stringify(await svc.wholeGraph(ctxOf(req), req.params.id, req.query)) as never));

  r.get('/batches/:id/lineage.xlsx', {
    config: { verb: 'lineage.read' },
    schema: {
      operationId: 'exportLineage', summary: '导出批次上下游完整记录（可排序表格，FSMA 204 式）Export the full up- and downstream records (sortable spreadsheet)', tags,
      params: Type.Object({ id: Uuid }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const x = await svc.exportLineage(ctxOf(req), req.params.id);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${x.filename}"`)
      .header('x-lineage-lots', String(x.lots))
      .header('x-lineage-events', String(x.events))
      .send(x.xlsx);
  });

  r.post('/batches/:id/split', {
    config: { verb: 'batch.transform' },
    schema: {
      operationId: 'splitBatch', summary: '分装或重新包装（生成新批次和新追溯码）Split or repack a batch (new batches and codes)', tags, params: Type.Object({ id: Uuid }),
      body: Type.Object({
        parts: Type.Array(Type.Object({ quantity: Quantity }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
        mode: Type.Optional(Type.Union([Type.Literal('split'), Type.Literal('repack')])),
        reissueCertificates: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 201: TransformResult, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => splitBatch(ctx, req.params.id, req.body))));

  r.post('/batches/merge', {
    config: { verb: 'batch.transform' },
    schema: {
      operationId: 'mergeBatches', summary: '合并批次（混批，生成新批次和新追溯码）Merge batches (a mixed lot with a new code)', tags,
      body: Type.Object({
        inputs: Type.Array(Type.Object({ batchId: Uuid, quantity: Type.Optional(Quantity) }, { additionalProperties: false }), { minItems: 2, maxItems: 50 }),
        reissueCertificates: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 201: TransformResult, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => mergeBatches(ctx, req.body))));
}
