import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, readCtxOf, write } from '../../kernel/http.js';
import { FileResponse, authErrors, errors } from '../../kernel/schemas.js';
import {
  NetworkLineage,
  NetworkLineageQuery,
  DIRECTIONS,
  Graph,
  GraphQuery,
  IdParams,
  MergeInput,
  SplitInput,
  Trace,
  TraceQuery,
  TransformResult,
} from './schemas.js';
import { networkLineage } from './network.js';
import * as svc from './service.js';
import { mergeBatches, splitBatch } from './transform.js';

export default async function lineageRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['lineage'];
  for (const direction of DIRECTIONS) {
    r.get(
      `/batches/:id/${direction}`,
      {
        config: { verb: 'lineage.read' },
        schema: {
          operationId: direction === 'backward' ? 'traceBackward' : 'traceForward',
          summary:
            direction === 'backward'
              ? '向上追溯到每个来源 Trace back to every source'
              : '向下追踪到每个持有者 Trace forward to every holder',
          tags,
          params: IdParams,
          querystring: TraceQuery,
          response: { 200: Trace, ...authErrors, ...errors(400, 404) },
        },
      },
      // The body is the UTF-8 JSON of the `Trace` schema spliced from what the database wrote (service.traceOf,
      // issue 19): a buffer goes out as it is, so it is neither parsed nor serialised again; the schema above still
      // documents it in OpenAPI. (The type provider types the reply as the parsed schema, hence the cast.)
      async (req, reply) => {
        const json = await svc.readTrace(ctxOf(req), direction, req.params.id, req.query);
        return reply.type(MIME.json).send(json as unknown as Static<typeof Trace>);
      },
    );
  }

  r.get(
    '/batches/:id/graph',
    {
      config: { verb: 'lineage.graph' },
      schema: {
        operationId: 'lineageGraph',
        summary: '完整链条图（监管）The whole chain graph (regulators)',
        tags,
        params: IdParams,
        querystring: GraphQuery,
        response: { 200: Graph, ...authErrors, ...errors(400, 404) },
      },
    },
    // The UTF-8 JSON of the `Graph` schema, spliced like a trace (above).
    async (req, reply) => {
      const json = await svc.wholeGraph(ctxOf(req), req.params.id, req.query);
      return reply.type(MIME.json).send(json as unknown as Static<typeof Graph>);
    },
  );

  r.get(
    '/network/lineage',
    {
      config: { verb: 'lineage.graph' },
      schema: {
        operationId: 'networkLineage',
        summary:
          '跨平台完整链条（由下级平台共享的追溯事件汇成，注明每一步的来源平台）The chain across platforms, each step with its platform',
        tags,
        querystring: NetworkLineageQuery,
        response: { 200: NetworkLineage, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => networkLineage(ctxOf(req), req.query),
  );

  r.get(
    '/batches/:id/lineage.xlsx',
    {
      config: { verb: 'lineage.read' },
      schema: {
        operationId: 'exportLineage',
        summary:
          '导出批次上下游完整记录（可排序表格，FSMA 204 式）Export the full up- and downstream records (sortable spreadsheet)',
        tags,
        params: IdParams,
        response: {
          200: FileResponse(
            MIME.xlsx,
            'Excel workbook (sheets: events, lots, links); headers x-lineage-lots and x-lineage-events give the counts',
          ),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => {
      const x = await svc.exportLineage(readCtxOf(req), req.params.id);
      reply.header('x-lineage-lots', String(x.lots)).header('x-lineage-events', String(x.events));
      return sendFile(reply, x.xlsx, { filename: x.filename, type: MIME.xlsx });
    },
  );

  r.post(
    '/batches/:id/split',
    {
      config: { verb: 'batch.transform' },
      schema: {
        operationId: 'splitBatch',
        summary: '分装或重新包装（生成新批次和新追溯码）Split or repack a batch (new batches and codes)',
        tags,
        params: IdParams,
        body: SplitInput,
        response: { 201: TransformResult, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => splitBatch(ctx, req.params.id, req.body))),
  );

  r.post(
    '/batches/merge',
    {
      config: { verb: 'batch.transform' },
      schema: {
        operationId: 'mergeBatches',
        summary: '合并批次（混批，生成新批次和新追溯码）Merge batches (a mixed lot with a new code)',
        tags,
        body: MergeInput,
        response: { 201: TransformResult, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => mergeBatches(ctx, req.body))),
  );
}
