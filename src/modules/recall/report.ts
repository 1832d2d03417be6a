import { newWorkbook } from '../../kernel/excel.js';
import type { Ctx } from '../../kernel/context.js';
import { MM, newPdf, pdfBuffer } from '../../kernel/pdf.js';
import { getRecall } from './service.js';
import { workbookBuffer } from '../../kernel/spreadsheet.js';

/** The recall report: a summary and the holder list, as an Excel workbook and as a PDF. */
export async function recallXlsx(ctx: Ctx, id: string) {
  const x = await getRecall(ctx, id);
  const wb = newWorkbook();
  wb.creator = 'Suyuan 溯源';
  const s = wb.addWorksheet('召回概况 Summary');
  s.columns = [
    { header: '项目 Item', key: 'k', width: 20 },
    { header: '内容 Value', key: 'v', width: 60 },
  ];
  for (const [k, v] of [
    ['召回编号', x.number],
    ['产品', x.productName],
    ['批次', `${x.batchNo} ${x.code ?? ''}`],
    ['责任主体', x.subjectName],
    ['级别', x.levelName],
    ['原因', x.reason],
    ['状态', x.statusName],
    ['发起时间', x.openedAt],
    ['结束时间', x.closedAt ?? ''],
    ['覆盖批次数', x.progress.batches],
    ['平台内持有者', x.progress.holders],
    ['已确认', x.progress.acknowledged],
    ['平台外（需电话通知）', x.progress.external],
    ['完成率', `${x.progress.percent}%`],
    ['已追回数量', x.progress.recovered],
  ] as [string, string | number][])
    s.addRow({ k, v });
  const n = wb.addWorksheet('通知名单 Holders', { views: [{ state: 'frozen', ySplit: 1 }] });
  n.columns = [
    { header: '持有者 Holder', key: 'holder', width: 26 },
    { header: '联系人 Contact', key: 'contact', width: 10 },
    { header: '电话 Phone', key: 'phone', width: 14 },
    { header: '区划 Division', key: 'division', width: 12 },
    { header: '批次/凭证码 Code', key: 'code', width: 24 },
    { header: '批次号 Batch', key: 'batchNo', width: 16 },
    { header: '数量 Quantity', key: 'quantity', width: 10 },
    { header: '单位 Unit', key: 'unit', width: 6 },
    { header: '状态 Status', key: 'status', width: 12 },
    { header: '确认时间 Acknowledged', key: 'ack', width: 20 },
    { header: '追回数量 Recovered', key: 'rec', width: 10 },
    { header: '备注 Note', key: 'note', width: 24 },
  ];
  for (const h of x.notices)
    n.addRow({
      holder: h.holderName,
      contact: h.contactName,
      phone: h.phone,
      division: h.divisionCode,
      code: h.code,
      batchNo: h.batchNo,
      quantity: h.quantity,
      unit: h.unit,
      status: h.statusName,
      ack: h.acknowledgedAt ?? '',
      rec: h.recoveredQuantity,
      note: h.note ?? '',
    });
  n.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 12 } };
  return { xlsx: await workbookBuffer(wb), filename: `recall-${x.number}.xlsx` };
}

export async function recallPdf(ctx: Ctx, id: string) {
  const x = await getRecall(ctx, id);
  const doc = newPdf({ size: 'A4', margin: 15 * MM, info: { Title: `召回报告 ${x.number}` } });
  doc.font('cjk-bold').fontSize(18).text('农产品召回报告', { align: 'center' });
  doc.moveDown(0.5).font('cjk').fontSize(10);
  for (const [k, v] of [
    ['召回编号', x.number],
    ['产品 / 批次', `${x.productName}  ${x.batchNo}  ${x.code ?? ''}`],
    ['责任主体', x.subjectName],
    ['召回级别', x.levelName],
    ['召回原因', x.reason],
    [
      '状态',
      `${x.statusName}（发起 ${x.openedAt.slice(0, 16).replace('T', ' ')}${x.closedAt ? `，结束 ${x.closedAt.slice(0, 16).replace('T', ' ')}` : ''}）`,
    ],
    [
      '进度',
      `覆盖批次 ${x.progress.batches} 个；平台内持有者 ${x.progress.holders} 个，已确认 ${x.progress.acknowledged} 个（${x.progress.percent}%）；平台外 ${x.progress.external} 个；已追回 ${x.progress.recovered}`,
    ],
  ])
    doc.font('cjk-bold').text(`${k}：`, { continued: true }).font('cjk').text(String(v));
  doc.moveDown().font('cjk-bold').fontSize(12).text('通知名单');
  doc.font('cjk').fontSize(8);
  const cols = [
    ['持有者', 150],
    ['电话', 80],
    ['批次/凭证码', 120],
    ['数量', 50],
    ['状态', 60],
    ['确认时间', 70],
  ] as const;
  const line = (vals: string[], bold = false) => {
    const y = doc.y;
    let xPos = doc.page.margins.left;
    doc.font(bold ? 'cjk-bold' : 'cjk');
    vals.forEach((v, i) => {
      doc.text(v, xPos, y, { width: cols[i][1] - 4, lineBreak: false, ellipsis: true });
      xPos += cols[i][1];
    });
    doc.x = doc.page.margins.left;
    doc.y = y + 13;
    if (doc.y > doc.page.height - doc.page.margins.bottom - 20) doc.addPage();
  };
  line(
    cols.map((c) => c[0]),
    true,
  );
  // Short forms for the narrow column.
  const STATUS: Record<(typeof x.notices)[number]['status'], string> = {
    notified: '待确认',
    acknowledged: '已确认',
    external: '平台外',
  };
  for (const h of x.notices)
    line([
      h.holderName,
      h.phone ?? '',
      h.code ?? '',
      `${h.quantity ?? ''}${h.unit ?? ''}`,
      STATUS[h.status],
      h.acknowledgedAt?.slice(0, 16).replace('T', ' ') ?? '',
    ]);
  return { pdf: await pdfBuffer(doc), filename: `recall-${x.number}.pdf` };
}
