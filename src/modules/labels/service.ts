import { newWorkbook } from '../../kernel/excel.js';
import { audit } from '../../kernel/audit.js';
import { type CodeKind, KIND_NAMES, codeUrl, longCode, platformPart } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import { producerOf } from '../catalog/owner.js';
import { getBatchRow } from '../batches/service.js';
import { codeText, codesOfBatch, issueCodes } from '../codes/service.js';
import * as regions from '../regions/service.js';
import { type LabelData, renderLabels } from './render.js';
import type { PrintLabelsInput } from './schemas.js';
import { csvLine, workbookBuffer } from '../../kernel/spreadsheet.js';

const KINDS: Record<number, CodeKind> = {
  1: 'production',
  2: 'circulation',
  3: 'voucher',
  4: 'temporary',
  5: 'subject',
};

async function ownBatch(ctx: Ctx, id: string) {
  const me = await producerOf(ctx, 'batches');
  return { me, b: await getBatchRow(ctx, id, { subjectId: me.id }) };
}

/** Mode (a): a label PDF for a batch — the batch code on every label, or a fresh unique code per label. */
export async function printLabels(ctx: Ctx, batchId: string, input: PrintLabelsInput) {
  const { me, b } = await ownBatch(ctx, batchId);
  if (b.status === 'merged')
    throw problems.invalid('batchId', '批次已合并，不能再打印标签', 'the batch was merged: no more labels');
  let codes: { code: string; url: string }[];
  if (input.unique)
    codes = (await issueCodes(ctx, me, b.kind === 'circulation' ? 'circulation' : 'production', input.copies, b.id))
      .codes;
  else {
    const code = codeText(ctx.config, b.kind === 'circulation' ? 'circulation' : 'production', Number(b.code_serial));
    codes = Array.from({ length: input.copies }, () => ({ code, url: codeUrl(ctx.config.publicBaseUrl, code) }));
  }
  const origin = await regions.fullName(ctx, b.division_code);
  const shortOrigin = origin.replace(/^(.{2,3}?[省市区])/, '');
  const date = new Date(b.produced_at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const labels: LabelData[] = codes.map((c) => ({
    ...c,
    productName: b.product_name,
    subjectName: b.subject_name,
    origin: shortOrigin || origin,
    date,
  }));
  const pdf = await renderLabels(labels, input.size, `${b.product_name} ${b.batch_no} 追溯标签`);
  await audit(ctx, {
    verb: 'code.issue',
    targetType: 'batch',
    targetId: b.id,
    divisionCode: b.division_code,
    summary: { labels: input.copies, size: input.size, unique: !!input.unique },
  });
  return { pdf, filename: `labels-${b.batch_no}.pdf` };
}

/** Mode (b): the batch's codes as CSV or Excel for local printing. */
export async function exportCodes(ctx: Ctx, batchId: string, format: 'csv' | 'xlsx') {
  const { b } = await ownBatch(ctx, batchId);
  const rows = await codesOfBatch(ctx.db, b.id, 100_000);
  const platform = platformPart(ctx.config.platformRegion);
  const header = [
    '序号 No',
    '追溯码 Code',
    '二维码内容 QR URL',
    '长码 Long code',
    '类型 Kind',
    '状态 Status',
    '产品 Product',
    '批次号 Batch',
    '生产日期 Date',
  ];
  const date = new Date(b.produced_at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const data = rows.map((r, i) => {
    const kind = KINDS[r.kind];
    const code = codeText(ctx.config, kind, Number(r.serial));
    return [
      i + 1,
      code,
      codeUrl(ctx.config.publicBaseUrl, code),
      longCode({ kind, platform, serial: Number(r.serial) }, r.issued_at),
      KIND_NAMES[kind].zh,
      r.status === 'A' ? '有效' : r.status === 'I' ? '未激活' : '作废',
      b.product_name,
      b.batch_no,
      date,
    ];
  });
  if (format === 'csv') {
    const body = `\ufeff${[header, ...data].map(csvLine).join('\n')}\n`;
    return { body: Buffer.from(body, 'utf8'), type: 'text/csv; charset=utf-8', filename: `codes-${b.batch_no}.csv` };
  }
  const wb = newWorkbook();
  const ws = wb.addWorksheet('追溯码');
  ws.addRow(header).font = { bold: true };
  for (const r of data) ws.addRow(r);
  ws.columns.forEach((c, i) => {
    c.width = [6, 24, 48, 32, 12, 8, 14, 16, 12][i];
  });
  ws.getColumn(2).numFmt = '@';
  const body = await workbookBuffer(wb);
  return {
    body,
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `codes-${b.batch_no}.xlsx`,
  };
}
