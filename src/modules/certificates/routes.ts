import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicCtxOf, write } from '../../kernel/http.js';
import { qrSvg } from '../../kernel/pdf.js';
import { Nullable, PageQuery, Phone, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { Unit } from '../catalog/routes.js';
import { BASIS } from './rules.js';
import * as svc from './service.js';

const Style = Type.Union([Type.Literal('producer'), Type.Literal('buyer')], { description: 'producer 生产者开具 · buyer 收购者开具（拆分、混装后重开）' });
const Item = Type.Object({ code: Type.String(), text: Type.String() });
const Certificate = Type.Object({
  id: Uuid, number: Type.String(), style: Type.String(), styleName: Type.String(), subjectId: Uuid, subjectName: Type.String(), batchId: Nullable(Uuid),
  code: Nullable(Type.String()), codeUrl: Nullable(Type.String()), productName: Type.String(), quantity: Type.Number(), unit: Type.String(), origin: Type.String(),
  contactName: Nullable(Type.String()), phone: Type.String(), promises: Type.Array(Item), basis: Type.Array(Item),
  sources: Type.Array(Type.Object({ number: Type.String(), linked: Type.Boolean(), productName: Nullable(Type.String()), subjectName: Nullable(Type.String()) })),
  issuedAt: Type.String(), retainUntil: Type.String(), verifyUrl: Type.String(), qrText: Type.String({ description: 'QR content; starts with 承诺达标合格证' }),
});

export default async function certificateRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['certificates'];

  r.post('/certificates', {
    config: { verb: 'certificate.issue' },
    schema: {
      operationId: 'issueCertificate', summary: '开具承诺达标合格证（可“重复上一张”）Issue a commitment compliance certificate ("repeat last" supported)', tags,
      body: Type.Object({
        style: Type.Optional(Style),
        batchId: Type.Optional(Nullable(Uuid)),
        productName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
        quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e12 }),
        unit: Type.Optional(Unit),
        origin: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
        contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
        phone: Type.Optional(Phone),
        basis: Type.Optional(Type.Array(Type.Union(Object.keys(BASIS).map((k) => Type.Literal(k))), { minItems: 1, maxItems: 4, description: 'control 质量安全控制符合要求 · self_test 自行检测合格 · commissioned_test 委托检测合格 · collected_certificates 收取的合格证 (buyer)' })),
        sourceNumbers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 200, description: 'collected certificates (buyer style)' })),
        repeatLast: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }),
      response: { 201: Certificate, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.issueCertificate(ctx, req.body as svc.CertificateInput))));

  r.get('/certificates', {
    config: { verb: 'batch.read' },
    schema: {
      operationId: 'listCertificates', summary: '合格证列表 Certificates', tags,
      querystring: Type.Object({ batchId: Type.Optional(Uuid), ...PageQuery }),
      response: { 200: Type.Array(Certificate), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listCertificates(ctxOf(req), req.query));

  r.get('/certificates/last', {
    config: { verb: 'certificate.issue' },
    schema: {
      operationId: 'getLastCertificate', summary: '上一张合格证（用于“重复上一张”）The last certificate, to repeat it', tags,
      querystring: Type.Object({ style: Type.Optional(Style) }),
      response: { 200: Type.Object({ last: Nullable(Certificate) }), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.lastCertificate(ctxOf(req), req.query.style));

  r.get('/certificates/:id', {
    config: { verb: 'batch.read' },
    schema: { operationId: 'getCertificate', summary: '合格证详情 A certificate', tags, params: Type.Object({ id: Uuid }), response: { 200: Certificate, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.getCertificate(ctxOf(req), req.params.id));

  r.get('/certificates/:id/pdf', {
    config: { verb: 'batch.read' },
    schema: {
      operationId: 'getCertificatePdf', summary: '合格证 PDF（打印）Certificate as PDF (for printing)', tags, params: Type.Object({ id: Uuid }),
      response: { 200: Type.Unsafe<unknown>({ type: 'string', format: 'binary', description: 'application/pdf' }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => {
    const { pdf, filename } = await svc.certificatePdf(ctxOf(req), req.params.id);
    return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);
  });

  r.get('/certificates/:id/qr.svg', {
    config: { verb: 'batch.read' },
    schema: {
      operationId: 'getCertificateQr', summary: '电子合格证二维码（SVG，扫出“承诺达标合格证”）Electronic certificate QR (SVG; scanning shows 承诺达标合格证)', tags, params: Type.Object({ id: Uuid }),
      response: { 200: Type.Unsafe<unknown>({ type: 'string', description: 'image/svg+xml' }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => reply.type('image/svg+xml').send(await qrSvg((await svc.getCertificate(ctxOf(req), req.params.id)).qrText)));

  r.get('/public/certificates/:number', {
    config: { public: true },
    schema: {
      operationId: 'verifyCertificate', summary: '核验合格证（公开）Verify a certificate (public)', tags: ['public'],
      params: Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: Type.Object({ valid: Type.Boolean(), message: Type.String(), messageEn: Type.String(), certificate: Nullable(Certificate) }) },
    },
  }, async (req) => svc.verifyCertificate(publicCtxOf(req), req.params.number));
}
