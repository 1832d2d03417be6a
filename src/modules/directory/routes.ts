import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, readCtxOf, write } from '../../kernel/http.js';
import { FileResponse, Page, authErrors, errors } from '../../kernel/schemas.js';
import {
  Entry,
  EntryFilter,
  EntryInput,
  EntryListQuery,
  EntryPatch,
  IdParam,
  StatsQuery,
  StatsRow,
} from './schemas.js';
import * as svc from './service.js';

export default async function directoryRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['supervision directory'];
  r.get(
    '/directory',
    {
      config: { verb: 'directory.read' },
      schema: {
        operationId: 'listDirectoryEntries',
        summary: '监管名录（可筛选“在名录未注册”） Supervision directory',
        tags,
        querystring: EntryListQuery,
        response: { 200: Page(Entry), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.list(ctxOf(req), req.query),
  );

  r.get(
    '/directory/stats',
    {
      config: { verb: 'directory.read' },
      schema: {
        operationId: 'getDirectoryStats',
        summary: '名录注册情况（按下级区划） Registered vs not, per child division',
        tags,
        querystring: StatsQuery,
        response: { 200: Type.Array(StatsRow), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.stats(ctxOf(req), req.query.within),
  );

  r.get(
    '/directory/export.xlsx',
    {
      config: { verb: 'directory.read' },
      schema: {
        operationId: 'exportDirectory',
        summary: '导出监管名录（Excel） Export the directory',
        tags,
        querystring: EntryFilter,
        response: { 200: FileResponse(MIME.xlsx, '监管名录 Excel workbook'), ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) =>
      sendFile(reply, await svc.exportWorkbook(readCtxOf(req), req.query), {
        filename: '监管名录.xlsx',
        type: MIME.xlsx,
      }),
  );

  r.post(
    '/directory',
    {
      config: { verb: 'directory.write' },
      schema: {
        operationId: 'createDirectoryEntry',
        summary: '录入监管名录 Record a producer found in the census',
        tags,
        body: EntryInput,
        response: { 201: Entry, ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.create(ctx, req.body))),
  );

  r.patch(
    '/directory/:id',
    {
      config: { verb: 'directory.write' },
      schema: {
        operationId: 'updateDirectoryEntry',
        summary: '修改监管名录条目 Update a directory entry',
        tags,
        params: IdParam,
        body: EntryPatch,
        response: { 200: Entry, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => svc.update(ctx, req.params.id, req.body)),
  );
}
