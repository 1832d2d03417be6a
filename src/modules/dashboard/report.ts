import type * as ExcelJS from 'exceljs';
import { newWorkbook } from '../../kernel/excel.js';
import type { Ctx } from '../../kernel/context.js';
import { newPdf, pdfBuffer } from '../../kernel/pdf.js';
import { problems } from '../../kernel/problems.js';
import { type DashboardQuery, METRIC_LABELS, METRIC_VALUES, type ReportQuery } from './schemas.js';
import { getDashboard } from './service.js';
import { workbookBuffer } from '../../kernel/spreadsheet.js';

/** Control characters Excel refuses in a cell (tab, line feed and carriage return are kept). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what Excel refuses
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
/** A cell as Excel takes it: no control characters, at most 32,767 characters, finite numbers only. */
const clean = (v: unknown) => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v.replace(CONTROL, '').slice(0, 32_767);
  if (typeof v === 'bigint') return Number(v);
  return v instanceof Date || v == null ? (v ?? null) : String(v);
};
const add = (ws: ExcelJS.Worksheet, row: unknown[]) => ws.addRow(row.map(clean));

/** The dashboard as an Excel workbook: totals, by region, by month, failures by product, trade flows. */
export async function dashboardWorkbook(ctx: Ctx, q: DashboardQuery): Promise<Buffer> {
  const d = await getDashboard(ctx, q);
  const wb = newWorkbook();
  wb.creator = 'Suyuan';
  const heads = METRIC_VALUES.map((m) => METRIC_LABELS[m].zh);
  const t = wb.addWorksheet('总览');
  add(t, [`${d.divisionName} ${d.from} 至 ${d.to}`]);
  add(t, ['指标 Metric', '数量 Count']);
  for (const m of METRIC_VALUES) add(t, [`${METRIC_LABELS[m].zh} ${METRIC_LABELS[m].en}`, d.totals[m]]);
  add(t, ['名录注册率% Registration rate', d.registrationRate]);
  add(t, ['抽检不合格率% Failure rate', d.failureRate]);
  const r = wb.addWorksheet('分地区');
  add(r, ['区划代码', '地区', ...heads]);
  for (const x of d.byRegion) add(r, [x.code, x.name, ...METRIC_VALUES.map((m) => x.counts[m])]);
  const mo = wb.addWorksheet('分月份');
  add(mo, ['月份', ...heads]);
  for (const x of d.byMonth) add(mo, [x.month, ...METRIC_VALUES.map((m) => x.counts[m])]);
  const f = wb.addWorksheet('抽检（产品×地区×月）');
  add(f, ['产品', '地区', '月份', '样品数', '不合格', '不合格率%']);
  for (const x of d.failures) add(f, [x.product, x.regionName, x.month, x.samples, x.failed, x.rate]);
  const fl = wb.addWorksheet('交易流向');
  add(fl, ['来源地区', '去向地区', '交易笔数']);
  for (const x of d.flows) add(fl, [x.fromName, x.toName, x.trades]);
  for (const ws of wb.worksheets)
    ws.columns.forEach((c) => {
      c.width = 18;
    });
  return await workbookBuffer(wb);
}

/** The printable monthly report (月度报告): one month's figures, its regions and failures, compared with the month before. */
export async function monthlyReport(ctx: Ctx, q: ReportQuery): Promise<Buffer> {
  const [y, m] = q.month.split('-').map(Number);
  if (y < 2000 || y > 2100) throw problems.invalid('month', '年份超出范围', 'year out of range');
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const prevLast = new Date(Date.UTC(y, m - 1, 0)).toISOString().slice(0, 10);
  const d = await getDashboard(ctx, { within: q.within, from: `${q.month}-01`, to: last });
  const prev = await getDashboard(ctx, { within: q.within, from: `${prevLast.slice(0, 8)}01`, to: prevLast });
  const doc = newPdf({ size: 'A4', margin: 48, info: { Title: `${d.divisionName} ${q.month} 月度报告` } });
  doc.font('cjk-bold').fontSize(18).text(`${d.divisionName}农产品质量安全追溯月度报告`, { align: 'center' });
  doc
    .font('cjk')
    .fontSize(11)
    .text(`${y} 年 ${m} 月（${d.from} 至 ${d.to}） · ${d.levelLabel.zh}`, { align: 'center' });
  doc.moveDown();
  doc.font('cjk-bold').fontSize(13).text('一、主要指标');
  doc.font('cjk').fontSize(10);
  for (const k of METRIC_VALUES) {
    const diff = d.totals[k] - prev.totals[k];
    doc.text(`${METRIC_LABELS[k].zh}：${d.totals[k]}（上月 ${prev.totals[k]}，${diff >= 0 ? '+' : ''}${diff}）`);
  }
  doc.text(`名录主体注册率：${d.registrationRate ?? '-'}%　抽检不合格率：${d.failureRate ?? '-'}%`);
  doc.moveDown();
  doc.font('cjk-bold').fontSize(13).text('二、分地区');
  doc.font('cjk').fontSize(10);
  if (!d.byRegion.length) doc.text('本月无数据');
  for (const r of d.byRegion.slice(0, 40)) {
    const c = r.counts;
    doc.text(
      `${r.name}：注册 ${c.approved}，合格证 ${c.certificates}，追溯码 ${c.codes}，扫码 ${c.scans}，巡查 ${c.patrols}，抽检 ${c.samples}（不合格 ${c.failed}），召回 ${c.recalls}，投诉 ${c.complaints}`,
    );
  }
  doc.moveDown();
  doc.font('cjk-bold').fontSize(13).text('三、抽检不合格');
  doc.font('cjk').fontSize(10);
  const failed = d.failures.filter((f) => f.failed > 0);
  if (!failed.length) doc.text('本月抽检未发现不合格样品');
  for (const f of failed.slice(0, 40))
    doc.text(`${f.product} · ${f.regionName}：抽检 ${f.samples}，不合格 ${f.failed}（${f.rate ?? '-'}%）`);
  doc.moveDown();
  doc.font('cjk-bold').fontSize(13).text('四、主要交易流向');
  doc.font('cjk').fontSize(10);
  if (!d.flows.length) doc.text('本月无跨地区交易记录');
  for (const f of d.flows.slice(0, 20)) doc.text(`${f.fromName} → ${f.toName}：${f.trades} 笔`);
  doc.moveDown();
  doc.fontSize(8).fillColor('#666').text(`生成时间 ${new Date().toISOString()} · 溯源平台 Suyuan`);
  return pdfBuffer(doc);
}
