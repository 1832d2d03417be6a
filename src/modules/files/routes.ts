import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sendFile } from '../../kernel/download.js';
import { FILE_RULES, INLINE_IMAGE_MIMES, assertDiskRoom, sniffMime } from '../../kernel/files.js';
import { ctxOf, publicCtxOf, publicWrite, sizeText } from '../../kernel/http.js';
import { Problem } from '../../kernel/problems.js';
import { STORED_FILE_CSP } from '../../kernel/security.js';
import { BinaryField, FileResponse, MultipartBody, authErrors, errors } from '../../kernel/schemas.js';
import { FileParams, STORED_MIMES, StoredFile, UploadQuery } from './schemas.js';
import * as svc from './service.js';

export default async function fileRoutes(app: FastifyInstance) {
  await app.register(multipart, {
    limits: { fileSize: Math.max(...Object.values(FILE_RULES).map((r) => r.maxBytes)) + 1, files: 1, fields: 5 },
  });
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['files'];

  r.post(
    '/files',
    {
      // Public: applicants upload proofs and complainants photos before they have an account (small files, a quota
      // per address, swept after an hour unless attached); everything else needs an account.
      config: {
        public: true,
        rateLimit: { max: 60, timeWindow: '1 minute' },
      },
      schema: {
        operationId: 'uploadFile',
        summary: '上传文件（证照图片、PDF、导入表格） Upload a file (multipart field "file")',
        tags,
        consumes: ['multipart/form-data'],
        querystring: UploadQuery,
        // The handler reads the one part itself (and answers 415 to anything but multipart).
        body: MultipartBody({ file: BinaryField('the file (one part named "file")') }, ['file']),
        response: { 201: StoredFile, ...errors(400, 401, 413, 415, 429, 507) },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new Problem('UNSUPPORTED_MEDIA_TYPE', { type: String(req.headers['content-type'] ?? '') });
      const purpose = req.query.purpose ?? 'proof';
      // Refuse before reading: a purpose anonymous callers may not use, a used-up quota, a nearly full disk.
      await svc.assertAnonymousUploadAllowed(publicCtxOf(req), purpose);
      await assertDiskRoom(app.config, Number(req.headers['content-length'] ?? 0));
      const limit = svc.uploadLimit(req.actor, purpose);
      const part = await req.file({ limits: { fileSize: limit + 1, files: 1, fields: 5 } });
      if (!part) throw new Problem('FILE_EMPTY', { field: 'file' });
      let data: Buffer;
      try {
        data = await part.toBuffer();
      } catch (err) {
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE')
          throw new Problem('FILE_TOO_LARGE', { field: 'file', limit: sizeText(limit) });
        throw err;
      }
      const saved = await publicWrite(req, (ctx) =>
        svc.upload(ctx, { name: part.filename, data, field: part.fieldname }, purpose),
      );
      return reply.status(201).send(saved);
    },
  );

  r.get(
    '/files/:id',
    {
      schema: {
        operationId: 'getFile',
        summary: '下载文件 Download a file (owner module decides who may)',
        tags,
        params: FileParams,
        response: {
          200: FileResponse(STORED_MIMES, 'the stored file, with its sniffed type'),
          ...authErrors,
          ...errors(404),
        },
      },
    },
    async (req, reply) => {
      const { file, data } = await svc.download(ctxOf(req), req.params.id);
      // Only images whose bytes say so are shown inline; everything else downloads. Nothing stored may run.
      const inline = sniffMime(data, file.name, INLINE_IMAGE_MIMES) !== null;
      reply
        .header('cache-control', 'private, max-age=300')
        .header('content-security-policy', STORED_FILE_CSP)
        .header('x-content-type-options', 'nosniff');
      return sendFile(reply, data, { filename: file.name, type: file.mime, inline });
    },
  );
}
