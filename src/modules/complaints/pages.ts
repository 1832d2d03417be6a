import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { saveFile } from '../../kernel/files.js';
import { publicCtxOf, publicWrite } from '../../kernel/http.js';
import { Problem } from '../../kernel/problems.js';
import { BinaryField, HtmlResponse, MultipartBody } from '../../kernel/schemas.js';
import { renderComplaintDone, renderComplaintForm, renderComplaintStatus } from './html.js';
import { AboutSchema, CategorySchema, CodeParams } from './schemas.js';
import { complaintStatus, submitComplaint } from './service.js';
import { COMPLAINT_ABOUT, COMPLAINT_CATEGORIES, type ComplaintAbout, type ComplaintCategory } from './tables.js';

/** The public page's complaint form (/t/{code}/complaint), server-rendered, no JavaScript; mounted at the root. */
export default async function complaintPages(app: FastifyInstance) {
  await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024 + 1, files: 1, fields: 10 } });
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const rate = { max: app.config.publicTrace.rateLimitPerMinute, timeWindow: '1 minute' };
  const html = 'text/html; charset=utf-8';

  r.get(
    '/t/:code/complaint',
    {
      config: { public: true, rateLimit: rate },
      schema: {
        operationId: 'complaintPage',
        summary: '投诉页面 Complaint form (HTML)',
        tags: ['public'],
        params: CodeParams,
        response: { 200: HtmlResponse('the complaint form') },
      },
    },
    async (req, reply) =>
      reply.type(html).header('cache-control', 'no-store').send(renderComplaintForm(req.params.code)),
  );

  const body = MultipartBody(
    {
      code: Type.String({ maxLength: 300 }),
      about: AboutSchema,
      aboutName: Type.String({ maxLength: 100 }),
      place: Type.String({ maxLength: 200 }),
      category: CategorySchema,
      text: Type.String({ maxLength: 2000 }),
      contactName: Type.String({ maxLength: 50 }),
      contactPhone: Type.String({ pattern: '^[0-9+\\- ]{5,20}$' }),
      photo: BinaryField('JPG/PNG/WebP, at most 5 MB'),
    },
    ['text'],
  );
  const response = {
    201: HtmlResponse('confirmation page with the complaint number'),
    400: HtmlResponse('the form again, naming the field to correct'),
  };
  /** Reads the form's parts, checks them and submits; each refusal re-renders the form naming the field. */
  const submit = async (req: FastifyRequest, reply: FastifyReply, fixedCode: string) => {
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
    const code = fixedCode || values.code?.trim() || '';
    const fail = (field: string, message: string) =>
      reply
        .status(400)
        .type(html)
        .send(renderComplaintForm(fixedCode, { field, message }, values));
    if (!values.text?.trim()) return fail('text', '请填写问题描述 · Describe the problem');
    if (values.text.length > 2000) return fail('text', '问题描述请不超过 2000 字');
    if (values.contactPhone && !/^[0-9+\- ]{5,20}$/.test(values.contactPhone))
      return fail('contactPhone', '联系电话格式不对，请只填数字');
    const category: ComplaintCategory = (COMPLAINT_CATEGORIES as readonly string[]).includes(values.category)
      ? (values.category as ComplaintCategory)
      : 'quality';
    const about: ComplaintAbout = (COMPLAINT_ABOUT as readonly string[]).includes(values.about)
      ? (values.about as ComplaintAbout)
      : code
        ? 'product'
        : 'producer';
    try {
      const done = await publicWrite(req, async (ctx) => {
        const file = photo
          ? await saveFile(ctx, { name: photo.name, data: photo.data, rule: 'image', field: 'photo' })
          : null;
        return submitComplaint(ctx, {
          code: code.slice(0, 300) || null,
          about,
          aboutName: values.aboutName?.slice(0, 100) || null,
          place: values.place?.slice(0, 200) || null,
          category,
          text: values.text,
          contactName: values.contactName?.slice(0, 50),
          contactPhone: values.contactPhone,
          photoFileId: file?.id ?? null,
        });
      });
      return reply.status(201).type(html).send(renderComplaintDone(done, fixedCode));
    } catch (err) {
      if (err instanceof Problem && err.statusCode < 500) return fail(err.field ?? '', err.message);
      throw err;
    }
  };

  r.post(
    '/t/:code/complaint',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        operationId: 'complaintPageSubmit',
        summary: '提交投诉（HTML 表单，multipart）Submit the complaint form (HTML, multipart)',
        tags: ['public'],
        params: CodeParams,
        consumes: ['multipart/form-data'],
        body,
        response,
      },
    },
    (req, reply) => submit(req, reply, req.params.code),
  );

  // Without a code (seed 000 art. 26): about a producer, a collector or a service agency.
  r.get(
    '/complaint',
    {
      config: { public: true, rateLimit: rate },
      schema: {
        operationId: 'complaintPageNoCode',
        summary: '投诉页面（无追溯码） Complaint form without a code (HTML)',
        tags: ['public'],
        response: { 200: HtmlResponse('the complaint form') },
      },
    },
    async (_req, reply) => reply.type(html).header('cache-control', 'no-store').send(renderComplaintForm('')),
  );
  r.post(
    '/complaint',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        operationId: 'complaintPageNoCodeSubmit',
        summary: '提交投诉（无追溯码，HTML 表单） Submit a complaint without a code (HTML, multipart)',
        tags: ['public'],
        consumes: ['multipart/form-data'],
        body,
        response,
      },
    },
    (req, reply) => submit(req, reply, ''),
  );
  r.get(
    '/complaint/status',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        operationId: 'complaintStatusPage',
        summary: '投诉进度查询页面 Follow a complaint by its number (HTML)',
        tags: ['public'],
        querystring: Type.Object({ number: Type.Optional(Type.String({ maxLength: 40 })) }),
        response: { 200: HtmlResponse('the status page'), 404: HtmlResponse('no such number') },
      },
    },
    async (req, reply) => {
      const number = req.query.number?.trim() ?? '';
      let found: Awaited<ReturnType<typeof complaintStatus>> | null = null;
      if (number)
        try {
          found = await complaintStatus(publicCtxOf(req), number);
        } catch (err) {
          if (!(err instanceof Problem) || err.statusCode !== 404) throw err;
        }
      return reply
        .status(number && !found ? 404 : 200)
        .type(html)
        .header('cache-control', 'no-store')
        .send(renderComplaintStatus(number, found));
    },
  );
}
