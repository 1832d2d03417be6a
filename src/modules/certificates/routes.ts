import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicCtxOf, write } from '../../kernel/http.js';
import { qrSvg } from '../../kernel/pdf.js';
import { FileResponse, Nullable, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import { MIME, sendFile } from '../../kernel/download.js';
import {
  BasisOptions,
  BasisQuery,
  Certificate,
  CertificateInput,
  CertificateQuery,
  LastCertificateQuery,
  Verification,
} from './schemas.js';
import * as svc from './service.js';

export default async function certificateRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['certificates'];

  r.post(
    '/certificates',
    {
      config: { verb: 'certificate.issue' },
      schema: {
        operationId: 'issueCertificate',
        summary:
          '开具承诺达标合格证（可“重复上一张”）Issue a commitment compliance certificate ("repeat last" supported)',
        tags,
        body: CertificateInput,
        response: { 201: Certificate, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.issueCertificate(ctx, req.body))),
  );

  r.get(
    '/certificates',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'listCertificates',
        summary: '合格证列表 Certificates',
        tags,
        querystring: CertificateQuery,
        response: { 200: Type.Array(Certificate), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listCertificates(ctxOf(req), req.query),
  );

  r.get(
    '/certificates/basis',
    {
      config: { verb: 'certificate.issue' },
      schema: {
        operationId: 'getCertificateBasis',
        summary:
          '开具合格证可选的承诺依据（收购者：持上游合格证或收购查验，不预选） The bases a batch’s certificate may claim',
        tags,
        querystring: BasisQuery,
        response: { 200: BasisOptions, ...authErrors, ...errors(403, 404) },
      },
    },
    async (req) => svc.certificateBasis(ctxOf(req), req.query.batchId),
  );

  r.get(
    '/certificates/last',
    {
      config: { verb: 'certificate.issue' },
      schema: {
        operationId: 'getLastCertificate',
        summary: '上一张合格证（用于“重复上一张”）The last certificate, to repeat it',
        tags,
        querystring: LastCertificateQuery,
        response: { 200: Type.Object({ last: Nullable(Certificate) }), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.lastCertificate(ctxOf(req), req.query.style),
  );

  r.get(
    '/certificates/:id',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'getCertificate',
        summary: '合格证详情 A certificate',
        tags,
        params: Type.Object({ id: Uuid }),
        response: { 200: Certificate, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getCertificate(ctxOf(req), req.params.id),
  );

  r.get(
    '/certificates/:id/pdf',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'getCertificatePdf',
        summary: '合格证 PDF（打印）Certificate as PDF (for printing)',
        tags,
        params: Type.Object({ id: Uuid }),
        response: {
          200: FileResponse(MIME.pdf),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) => {
      const { pdf, filename } = await svc.certificatePdf(ctxOf(req), req.params.id);
      return sendFile(reply, pdf, { filename, type: MIME.pdf, inline: true });
    },
  );

  r.get(
    '/certificates/:id/qr.svg',
    {
      config: { verb: 'batch.read' },
      schema: {
        operationId: 'getCertificateQr',
        summary:
          '电子合格证二维码（SVG，扫出“承诺达标合格证”）Electronic certificate QR (SVG; scanning shows 承诺达标合格证)',
        tags,
        params: Type.Object({ id: Uuid }),
        response: {
          200: FileResponse(MIME.svg),
          ...authErrors,
          ...errors(400, 404),
        },
      },
    },
    async (req, reply) =>
      reply.type('image/svg+xml').send(await qrSvg((await svc.getCertificate(ctxOf(req), req.params.id)).qrText)),
  );

  r.get(
    '/public/certificates/:number',
    {
      config: { public: true },
      schema: {
        operationId: 'verifyCertificate',
        summary: '核验合格证（公开）Verify a certificate (public)',
        tags: ['public'],
        params: Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: {
          200: Verification,
        },
      },
    },
    async (req) => svc.verifyCertificate(publicCtxOf(req), req.params.number),
  );
}
