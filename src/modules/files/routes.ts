import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { FILE_RULES, type FileRule, readStoredFile, saveFile } from '../../kernel/files.js';
import { ctxOf, publicWrite } from '../../kernel/http.js';
import { Problem } from '../../kernel/problems.js';
import { Uuid, authErrors, errors } from '../../kernel/schemas.js';

export const StoredFile = Type.Object({ id: Uuid, name: Type.String(), mime: Type.String(), size: Type.Integer(), sha256: Type.String(), createdAt: Type.String() });

export default async function fileRoutes(app: FastifyInstance) {
  await app.register(multipart, { limits: { fileSize: Math.max(...Object.values(FILE_RULES).map((r) => r.maxBytes)) + 1, files: 1, fields: 5 } });
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['files'];

  r.post('/files', {
    // Public: applicants upload proofs before they have an account. Limited per address; unattached files expire.
    config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: {
      operationId: 'uploadFile', summary: '上传文件（证照图片、PDF、导入表格） Upload a file (multipart field "file")', tags,
      consumes: ['multipart/form-data'],
      querystring: Type.Object({ purpose: Type.Optional(Type.Union(Object.keys(FILE_RULES).map((k) => Type.Literal(k)), { default: 'proof' })) }),
      response: { 201: StoredFile, ...errors(400, 413, 415, 429) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) throw new Problem('UNSUPPORTED_MEDIA_TYPE', { type: String(req.headers['content-type'] ?? '') });
    const part = await req.file();
    if (!part) throw new Problem('FILE_EMPTY', { field: 'file' });
    const data = await part.toBuffer();
    const purpose = (req.query.purpose ?? 'proof') as FileRule;
    const saved = await publicWrite(req, (ctx) => saveFile(ctx, { name: part.filename, data, rule: purpose, field: part.fieldname }));
    return reply.status(201).send(saved);
  });

  r.get('/files/:id', {
    schema: {
      operationId: 'getFile', summary: '下载文件 Download a file (owner module decides who may)', tags,
      params: Type.Object({ id: Uuid }),
      produces: ['application/octet-stream'],
      response: { 200: Type.Any(), ...authErrors, ...errors(404) },
    },
  }, async (req, reply) => {
    const { file, data } = await readStoredFile(ctxOf(req), req.params.id);
    return reply
      .header('content-type', file.mime)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .header('cache-control', 'private, max-age=300')
      .send(data);
  });
}
