import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { saveFile } from '../../kernel/files.js';
import { publicCtxOf, publicWrite } from '../../kernel/http.js';
import { Problem } from '../../kernel/problems.js';
import { CATEGORIES, submitComplaint } from '../complaints/service.js';
import { renderComplaintDone, renderComplaintForm, renderNotFound, renderTrace } from './html.js';
import { closeLogOnShutdown, queryLogOf } from './log.js';
import { sendCached } from './routes.js';
import * as svc from './service.js';

/** The server-rendered public pages: /t/{code}, /t?code=… (the retype form), /t/{code}/complaint. */
export default async function publicPages(app: FastifyInstance) {
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024 + 1, files: 1, fields: 10 } });
  closeLogOnShutdown(app);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const rate = { max: app.config.publicTrace.rateLimitPerMinute, timeWindow: '1 minute' };
  const html = 'text/html; charset=utf-8';

  r.get('/t/:code', {
    config: { public: true, rateLimit: rate },
    schema: {
      operationId: 'publicTracePage', summary: '公开追溯页面（HTML，无需脚本）Public trace page (HTML, no JavaScript)', tags: ['public'],
      params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) }),
      querystring: Type.Object({ lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })), lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })) }),
    },
  }, async (req, reply) => {
    const ctx = publicCtxOf(req);
    const res = await svc.lookupPublic(ctx, req.params.code, app.database.prepared);
    svc.record(queryLogOf(app), ctx, req.params.code, res, 'html', req.actor ? (req.actor.orgKind === 'producer' ? 'producer' : 'regulator') : 'consumer', req.query);
    if (res.httpStatus === 200 && sendCached(req, reply, res.etag, 'h')) return reply;
    return reply.status(res.httpStatus).type(html).send(res.httpStatus === 200 ? renderTrace(res.body, res.cached) : renderNotFound(res.body));
  });

  // The subject identity card's QR (issue 3: `{PUBLIC_BASE_URL}/s/{identity code}`) resolves like any code.
  r.get('/s/:code', {
    config: { public: true, rateLimit: rate },
    schema: { operationId: 'publicSubjectPage', summary: '主体身份码（转到公开主体卡片）Subject identity code → public subject card', tags: ['public'], params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }) },
  }, async (req, reply) => reply.redirect(`/t/${encodeURIComponent(req.params.code)}`, 301));

  r.get('/t', {
    config: { public: true, rateLimit: rate },
    schema: { operationId: 'publicTraceForm', summary: '追溯码输入（重定向）Typed code → redirect', tags: ['public'], querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 300 })) }) },
  }, async (req, reply) => {
    const code = (req.query.code ?? '').replace(/[\s-]/g, '');
    return reply.redirect(code ? `/t/${encodeURIComponent(code)}` : '/t/-', 303);
  });

  r.get('/t/:code/complaint', {
    config: { public: true, rateLimit: rate },
    schema: { operationId: 'complaintPage', summary: '投诉页面 Complaint form (HTML)', tags: ['public'], params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) }) },
  }, async (req, reply) => reply.type(html).header('cache-control', 'no-store').send(renderComplaintForm(req.params.code)));

  r.post('/t/:code/complaint', {
    config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { operationId: 'complaintPageSubmit', summary: '提交投诉（HTML 表单，multipart）Submit the complaint form (HTML, multipart)', tags: ['public'], params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) }), consumes: ['multipart/form-data'] },
  }, async (req, reply) => {
    const code = req.params.code;
    const values: Record<string, string> = {};
    let photo: { name: string; data: Buffer } | null = null;
    if (req.isMultipart()) {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (data.length) photo = { name: part.filename, data };
        } else values[part.fieldname] = String(part.value ?? '');
      }
    }
    const fail = (field: string, message: string) => reply.status(400).type(html).send(renderComplaintForm(code, { field, message }, values));
    if (!values.text?.trim()) return fail('text', '请填写问题描述 · Describe the problem');
    if (values.text.length > 2000) return fail('text', '问题描述请不超过 2000 字');
    if (values.contactPhone && !/^[0-9+\- ]{5,20}$/.test(values.contactPhone)) return fail('contactPhone', '联系电话格式不对，请只填数字');
    const category = (Object.keys(CATEGORIES).includes(values.category) ? values.category : 'quality') as keyof typeof CATEGORIES;
    try {
      const done = await publicWrite(req, async (ctx) => {
        const file = photo ? await saveFile(ctx, { name: photo.name, data: photo.data, rule: 'image', field: 'photo' }) : null;
        return submitComplaint(ctx, { code, category, text: values.text, contactName: values.contactName?.slice(0, 50), contactPhone: values.contactPhone, photoFileId: file?.id ?? null });
      });
      return reply.status(201).type(html).send(renderComplaintDone(done, code));
    } catch (err) {
      if (err instanceof Problem && err.statusCode < 500) return fail(String((err as { field?: string }).field ?? ''), err.message);
      throw err;
    }
  });
}
