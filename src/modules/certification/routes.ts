import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { importRoutes } from '../../kernel/import-routes.js';
import { ctxOf } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import { registryImport, registryTemplate } from './import.js';
import { Coverage, CoverageQuery } from './schemas.js';
import * as svc from './service.js';

export default async function certificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['certification'];
  r.get(
    '/certification/coverage',
    {
      config: { verb: 'certification.read' },
      schema: {
        operationId: 'getCertificationCoverage',
        summary: '三品一标及龙头企业、示范社追溯覆盖率，带证上网核验 Certification coverage and certificate checks',
        tags,
        querystring: CoverageQuery,
        response: { 200: Coverage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.getCertificationCoverage(ctxOf(req), req.query),
  );
  await importRoutes(app, {
    def: registryImport,
    base: '/certification/registry',
    tags,
    ids: {
      upload: 'importCertificationRegistry',
      template: 'getCertificationRegistryTemplate',
      report: 'getCertificationRegistryImportReport',
      errors: 'getCertificationRegistryImportErrors',
    },
    template: { fileName: '认证名录导入模板.xlsx', build: () => registryTemplate() },
    description:
      'Rows of the certification registry (三品一标 certificates, leading enterprises, model cooperatives); re-importing a row updates it.',
  });
}
