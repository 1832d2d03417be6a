import type { Ctx } from '../../kernel/context.js';
import { newPdf, pdfBuffer } from '../../kernel/pdf.js';
import { getIncident } from './service.js';

/** The incident report (事件处置报告): source, affected batches and holders, tasks and their completion, summary. */
export async function incidentReport(ctx: Ctx, id: string): Promise<{ pdf: Buffer; number: string }> {
  const i = await getIncident(ctx, id);
  const doc = newPdf({ size: 'A4', margin: 48, info: { Title: `${i.number} ${i.title}` } });
  doc.font('cjk-bold').fontSize(17).text('农产品质量安全应急事件处置报告', { align: 'center' });
  doc.font('cjk').fontSize(10).text(`编号 ${i.number} · ${i.statusLabel.zh}`, { align: 'center' }).moveDown();
  const line = (k: string, v: string | null | number) => doc.text(`${k}：${v ?? '—'}`);
  doc.font('cjk-bold').fontSize(12).text('一、事件概况');
  doc.font('cjk').fontSize(10);
  line('事件名称', i.title);
  line('类型', i.kindLabel.zh);
  line('级别', i.severity);
  line('产品', i.productName);
  line('追溯码', i.traceCode);
  line('发生时间', i.openedAt.slice(0, 16).replace('T', ' '));
  line('事件描述', i.description);
  doc.moveDown();
  doc
    .font('cjk-bold')
    .fontSize(12)
    .text(`二、涉及批次与持有人（${i.affected.length} 个批次，${i.holders.length} 个主体）`);
  doc.font('cjk').fontSize(9);
  for (const a of i.affected.slice(0, 200))
    doc.text(
      `${'　'.repeat(Math.min(a.depth, 6))}${a.batchNo} ${a.productName} · ${a.subjectName}（${a.divisionName}）数量 ${a.quantity}${a.unit}，库存 ${a.stock}${a.unit}`,
    );
  doc.moveDown();
  doc.font('cjk-bold').fontSize(12).text(`三、调度任务（完成 ${i.tasksDone}/${i.tasksTotal}）`);
  doc.font('cjk').fontSize(9);
  for (const t of i.tasks)
    doc.text(
      `${t.kindLabel.zh} → ${t.orgName}，期限 ${t.deadline}，${t.statusLabel.zh}${t.overdue ? '（超期）' : ''}${t.result ? `：${t.result}` : ''}`,
    );
  if (!i.tasks.length) doc.text('未派发任务');
  doc.moveDown();
  doc.font('cjk-bold').fontSize(12).text('四、处置总结');
  doc
    .font('cjk')
    .fontSize(10)
    .text(i.summary ?? '事件处置中');
  doc.moveDown().fontSize(8).fillColor('#666').text(`生成时间 ${new Date().toISOString()} · 溯源平台 Suyuan`);
  return { pdf: await pdfBuffer(doc), number: i.number };
}
