import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type TObject, Type } from 'typebox';
import { inScope } from './auth/scope.js';
import type { Ctx } from './context.js';
import { MIME, sendFile } from './download.js';
import { FILE_RULES, storedFileData } from './files.js';
import { ctxOf, write } from './http.js';
import { ImportReport, ImportStarted, type Upload, startImport } from './imports.js';
import { getJob } from './jobs.js';
import { Problem, problems } from './problems.js';
import { FileResponse, Uuid, authErrors, errors } from './schemas.js';

/**
 * The one upload style, mounted by every import (subjects, origin records, test results) under its own path:
 *
 *  - `POST {base}/imports` — `multipart/form-data` with a `file` part (.xlsx, or CSV in UTF-8 or GBK/GB18030), or JSON `{ fileId }` of a
 *    file uploaded through `uploadFile?purpose=spreadsheet` → 202 `{ jobId, statusUrl }`; `GET /jobs/{jobId}` gives
 *    the progress and, when done, the merge report;
 *  - `GET {base}/import-template.xlsx` — the template;
 *  - `GET {base}/imports/{jobId}/report` — the merge report of a finished import (the job's result, typed for this
 *    import in OpenAPI);
 *  - `GET {base}/imports/{jobId}/errors` — the error workbook of a finished import.
 */
export interface ImportRoutes {
  def: {
    kind: string;
    verb: string;
    ownerType: string;
    name: { zh: string; en: string };
    guard?(ctx: Ctx): void;
  } & Parameters<typeof startImport>[1];
  /** Path prefix, e.g. `/subjects`. */
  base: string;
  tags: string[];
  /** operationIds. */
  ids: { upload: string; template: string; report: string; errors: string };
  template: { fileName: string; build(ctx: Ctx): Promise<Buffer> };
  /** Shown in the upload route's description (e.g. what the import does with duplicates). */
  description?: string;
  /** The schema of this import's merge report (default: the pipeline's `ImportReport`). */
  report?: TObject;
}

/** The finished import job `jobId` of this kind, if the caller may see it. */
async function finishedJob(ctx: Ctx, o: ImportRoutes, jobId: string) {
  o.def.guard?.(ctx);
  const kind = o.def.kind;
  const job = await getJob(ctx.db, jobId);
  const visible = job && (job.created_by === ctx.actor.id || inScope(ctx.actor.scope, job.division_code));
  return job && job.kind === kind && visible && job.result ? job : undefined;
}

const UPLOAD_LIMIT = FILE_RULES.spreadsheet.maxBytes;

/** Either body of an upload, per content type (validated as such by Fastify, documented as such in OpenAPI). */
const UploadBody = Type.Unsafe<{ fileId?: string; file?: string } | undefined>({
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        properties: { file: { type: 'string', format: 'binary', description: '.xlsx or .csv' } },
        required: ['file'],
      },
    },
    'application/json': { schema: Type.Object({ fileId: Uuid }, { additionalProperties: false }) },
  },
});

export async function importRoutes(app: FastifyInstance, o: ImportRoutes) {
  if (!app.hasContentTypeParser('multipart/form-data'))
    await app.register(multipart, { limits: { fileSize: UPLOAD_LIMIT + 1, files: 1, fields: 5 } });
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const name = o.def.name;

  r.post(
    `${o.base}/imports`,
    {
      config: { verb: o.def.verb, uploadLimitBytes: UPLOAD_LIMIT },
      bodyLimit: UPLOAD_LIMIT + 64 * 1024,
      // The multipart parser leaves the body empty (the part is streamed in the handler): stand in for validation.
      preValidation: async (req) => {
        if (req.isMultipart()) req.body = { file: '' };
      },
      schema: {
        operationId: o.ids.upload,
        summary: `${name.zh}（后台任务，返回任务编号） ${name.en} (background job)`,
        description: [
          o.description,
          'Upload `multipart/form-data` with the spreadsheet in the part `file` (.xlsx, or CSV in UTF-8 or GBK/GB18030, detected), or JSON `{ "fileId" }` of a file uploaded with `uploadFile?purpose=spreadsheet`. Answers 202 with the job; `GET /jobs/{jobId}` reports progress and, when done, the merge report (inserted / updated / unchanged / rejected, the first rejected rows, `errorFileId`).',
        ]
          .filter(Boolean)
          .join('\n\n'),
        tags: o.tags,
        consumes: ['multipart/form-data', 'application/json'],
        body: UploadBody,
        response: { 202: ImportStarted, ...authErrors, ...errors(400, 413, 415) },
      },
    },
    async (req, reply) => {
      let upload: Upload;
      if (req.isMultipart()) {
        const part = await req.file();
        if (!part || part.fieldname !== 'file') throw problems.invalid('file', '请上传表格文件', 'is required');
        upload = { file: { filename: part.filename, mimetype: part.mimetype, data: await part.toBuffer() } };
      } else {
        if (!req.body?.fileId) throw problems.invalid('fileId', '请上传表格文件', 'is required');
        upload = { fileId: req.body.fileId };
      }
      return reply.status(202).send(await write(req, (ctx) => startImport(ctx, o.def, upload)));
    },
  );

  r.get(
    `${o.base}/import-template.xlsx`,
    {
      config: { verb: o.def.verb },
      schema: {
        operationId: o.ids.template,
        summary: `${name.zh}模板（带下拉选项） Template for: ${name.en}`,
        tags: o.tags,
        response: { 200: FileResponse(MIME.xlsx, `${name.zh}模板 template (.xlsx)`), ...authErrors },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      o.def.guard?.(ctx);
      return sendFile(reply, await o.template.build(ctx), { filename: o.template.fileName, type: MIME.xlsx });
    },
  );

  r.get(
    `${o.base}/imports/:jobId/report`,
    {
      config: { verb: o.def.verb },
      schema: {
        operationId: o.ids.report,
        summary: `导入结果（合并报告） Merge report of a finished import (${name.en})`,
        description:
          'The result of the finished job (the same as `GET /jobs/{jobId}` `result`): 404 while it runs or when it failed.',
        tags: o.tags,
        params: Type.Object({ jobId: Uuid }),
        response: { 200: o.report ?? ImportReport, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => {
      const job = await finishedJob(ctxOf(req), o, req.params.jobId);
      if (!job) throw problems.notFound('导入结果', 'Import report');
      // The job stored the report it returned (jsonb); the schema serialises this import's fields.
      return job.result as ImportReport;
    },
  );

  r.get(
    `${o.base}/imports/:jobId/errors`,
    {
      config: { verb: o.def.verb },
      schema: {
        operationId: o.ids.errors,
        summary: `下载错误表（改正后可再次导入） Error workbook of an import (${name.en})`,
        tags: o.tags,
        params: Type.Object({ jobId: Uuid }),
        response: { 200: FileResponse(MIME.xlsx, '错误表 error workbook (.xlsx)'), ...authErrors, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req);
      const job = await finishedJob(ctx, o, req.params.jobId);
      const fileId = (job?.result as Pick<ImportReport, 'errorFileId'> | undefined)?.errorFileId;
      if (!fileId) throw problems.notFound('错误表', 'Error workbook');
      const stored = await storedFileData(ctx.db, ctx.config, fileId);
      if (!stored) throw new Problem('NOT_FOUND', { targetZh: '错误表', targetEn: 'Error workbook' });
      return sendFile(reply, stored.data, { filename: stored.file.name, type: MIME.xlsx });
    },
  );
}
