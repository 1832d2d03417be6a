import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { MIME, sendFile } from '../../kernel/download.js';
import { FileResponse, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { CodesExportQuery, PrintLabelsInput } from './schemas.js';
import * as svc from './service.js';

export default async function labelRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['labels'];

  r.post(
    '/batches/:id/labels',
    {
      config: { verb: 'code.issue' },
      schema: {
        operationId: 'printLabels',
        summary: '打印标签（PDF：40×30、60×40 毫米或 A4）Print labels (PDF: 40×30, 60×40 mm or A4 sheets)',
        tags,
        params: Type.Object({ id: Uuid }),
        body: PrintLabelsInput,
        response: {
          200: FileResponse(MIME.pdf),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await write(req, (ctx) => svc.printLabels(ctx, req.params.id, req.body));
      return sendFile(reply, pdf, { filename, type: MIME.pdf });
    },
  );

  r.get(
    '/batches/:id/codes',
    {
      config: { verb: 'code.issue' },
      schema: {
        operationId: 'downloadBatchCodes',
        summary: "下载批次码表（Excel/CSV，本地打印）Download a batch's codes (Excel/CSV, for local printing)",
        tags,
        params: Type.Object({ id: Uuid }),
        querystring: CodesExportQuery,
        response: {
          200: FileResponse([MIME.xlsx, MIME.csv]),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => {
      const out = await svc.exportCodes(ctxOf(req), req.params.id, req.query.format ?? 'xlsx');
      return sendFile(reply, out.body, { filename: out.filename, type: out.type });
    },
  );
}
