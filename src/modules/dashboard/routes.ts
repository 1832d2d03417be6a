import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { MIME, sendFile } from '../../kernel/download.js';
import { readCtxOf } from '../../kernel/http.js';
import { FileResponse, Page, authErrors, errors } from '../../kernel/schemas.js';
import { dashboardWorkbook, monthlyReport } from './report.js';
import { Dashboard, DashboardQuery, DrillQuery, DrillRow, ReportQuery } from './schemas.js';
import * as svc from './service.js';

export default async function dashboardRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['dashboard'];
  const config = { verb: 'dashboard.read' };
  r.get(
    '/dashboard',
    {
      config,
      schema: {
        operationId: 'getDashboard',
        summary: '决策看板（本辖区或下级地区，按时间范围） Live dashboard of an area over a time range',
        tags,
        querystring: DashboardQuery,
        response: { 200: Dashboard, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.getDashboard(readCtxOf(req), req.query),
  );
  r.get(
    '/dashboard/records',
    {
      config,
      schema: {
        operationId: 'listDashboardRecords',
        summary: '看板下钻：某项指标的记录 The records behind a dashboard count',
        tags,
        querystring: DrillQuery,
        response: { 200: Page(DrillRow), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.drillDown(readCtxOf(req), req.query),
  );
  r.get(
    '/dashboard.xlsx',
    {
      config,
      schema: {
        operationId: 'exportDashboard',
        summary: '导出看板 Excel Export the dashboard as Excel',
        tags,
        querystring: DashboardQuery,
        response: { 200: FileResponse(MIME.xlsx, 'the dashboard workbook'), ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) =>
      sendFile(reply, await dashboardWorkbook(readCtxOf(req), req.query), {
        filename: 'dashboard.xlsx',
        type: MIME.xlsx,
      }),
  );
  r.get(
    '/dashboard/monthly-report.pdf',
    {
      config,
      schema: {
        operationId: 'getMonthlyReport',
        summary: '月度报告 PDF The printable monthly report',
        tags,
        querystring: ReportQuery,
        response: { 200: FileResponse(MIME.pdf, 'the monthly report'), ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) =>
      sendFile(reply, await monthlyReport(readCtxOf(req), req.query), {
        filename: `月度报告-${req.query.month}.pdf`,
        type: MIME.pdf,
        inline: true,
      }),
  );
}
