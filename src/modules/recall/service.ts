import ExcelJS from 'exceljs';
import { type Kysely, sql } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { inScope } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { MM, newPdf, pdfBuffer } from '../../kernel/pdf.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import { appendEvent } from '../batches/events.js';
import * as batchRepo from '../batches/repo.js';
import { producerOf, readScopeOf } from '../catalog/owner.js';
import { codeText } from '../codes/service.js';
import { countyRegulators, notify } from '../notifications/service.js';

/**
 * Recall (产品可召回, seed 002): a regulator (for a batch inside its jurisdiction) or a producer (for its own batch)
 * opens a recall → the forward trace marks the batch and every descendant (recall_batch, read by the public page
 * through `recallWarnings` / the view batch_recall_status) → one notice per downstream holder: registered subjects
 * are notified in the platform, outside parties (unregistered buyers, markets) are listed with their contacts for
 * phone calls → holders acknowledge (and say how much they recovered) → progress → report (Excel, PDF) → close.
 */
export const LEVELS: Record<number, { zh: string; en: string }> = {
  1: { zh: '一级（严重健康危害）', en: 'Level 1 (serious health hazard)' },
  2: { zh: '二级（可能的健康危害）', en: 'Level 2 (possible health hazard)' },
  3: { zh: '三级（不太可能危害健康）', en: 'Level 3 (unlikely health hazard)' },
};
export const RECALL_STATES = { open: { zh: '召回中', en: 'Open' }, closed: { zh: '已结束', en: 'Closed' } } as const;
export const RECALL_TRANSITIONS = [
  { state: 'open', action: 'acknowledge', next: 'open', who: 'holder' },
  { state: 'open', action: 'close', next: 'closed', who: 'opener' },
] as const;

/** For the public page (issue 6): open recalls covering any of these batches. */
export async function recallWarnings(db: Kysely<DB>, batchIds: string[]) {
  if (!batchIds.length) return new Map<string, { number: string; level: number; reason: string; openedAt: string }>();
  const rows = await db.selectFrom('batch_recall_status').selectAll().where('batch_id', 'in', batchIds).execute();
  return new Map(rows.map((r) => [r.batch_id, { number: r.number, level: r.level, reason: r.reason, openedAt: r.opened_at.toISOString() }]));
}

export async function openRecall(ctx: Ctx, input: { batchId: string; reason: string; level?: number }) {
  const b = await batchRepo.batchById(ctx.db, input.batchId);
  if (!b) throw problems.notFound('批次', 'Batch');
  let openerKind: 'producer' | 'regulator' = 'regulator';
  if (ctx.actor.orgKind === 'producer') {
    const me = await producerOf(ctx);
    if (b.subject_id !== me.id) throw new Problem('NOT_YOUR_BATCH', { field: 'batchId' });
    openerKind = 'producer';
  } else if (!inScope(ctx.actor.scope, b.division_code)) throw problems.outOfJurisdiction('批次', 'batch');
  const already = await ctx.db.selectFrom('batch_recall_status').select('number').where('batch_id', '=', b.id).executeTakeFirst();
  if (already) throw new Problem('RECALL_ALREADY_OPEN', { number: already.number, field: 'batchId' });
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const seq = Number((await ctx.db.selectFrom('recall').select((eb) => eb.fn.countAll<number>().as('n')).where('number', 'like', `ZH${day}%`).executeTakeFirstOrThrow()).n) + 1;
  const number = `ZH${day}${String(seq).padStart(4, '0')}`;
  const recall = await ctx.db
    .insertInto('recall')
    .values({ number, batch_id: b.id, subject_id: b.subject_id, division_code: b.division_code, opener_kind: openerKind, opener_org_id: ctx.actor.orgId, level: input.level ?? 2, reason: input.reason, opened_by: ctx.actor.id, closed_at: null, closed_by: null, close_note: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Forward trace, set-based: the batch and every descendant.
  await sql`
    WITH RECURSIVE down(batch_id, depth) AS (
      SELECT ${b.id}::uuid, 0
      UNION SELECT e.to_batch, d.depth + 1 FROM trace_edge e JOIN down d ON e.from_batch = d.batch_id WHERE d.depth < 1000)
    INSERT INTO recall_batch (recall_id, batch_id, depth)
    SELECT ${recall.id}::uuid, batch_id, min(depth) FROM down GROUP BY batch_id`.execute(ctx.db);
  // Holders inside the platform: the owner of each covered batch (one notice per batch).
  await sql`
    INSERT INTO recall_notice (recall_id, holder_subject_id, holder_name, contact_name, phone, division_code, batch_id, quantity, unit, status)
    SELECT ${recall.id}::uuid, s.id, s.name, s.contact_name, s.contact_phone, b.division_code, b.id, b.stock, b.unit, 'notified'
    FROM recall_batch rb JOIN batch b ON b.id = rb.batch_id JOIN subject s ON s.id = b.subject_id
    WHERE rb.recall_id = ${recall.id}::uuid`.execute(ctx.db);
  // Holders reached through a sale and not (yet) in the platform: unregistered buyers, markets, unconfirmed buyers.
  await sql`
    INSERT INTO recall_notice (recall_id, holder_subject_id, holder_name, contact_name, phone, division_code, batch_id, sale_id, quantity, unit, status)
    SELECT ${recall.id}::uuid, sa.buyer_subject_id, sa.buyer_name, bs.contact_name, coalesce(sa.buyer_phone, bs.contact_phone), coalesce(sa.buyer_division, bs.division_code),
           sa.batch_id, sa.id, sa.quantity, sa.unit, CASE WHEN sa.buyer_subject_id IS NULL THEN 'external' ELSE 'notified' END
    FROM recall_batch rb JOIN sale sa ON sa.batch_id = rb.batch_id LEFT JOIN subject bs ON bs.id = sa.buyer_subject_id
    WHERE rb.recall_id = ${recall.id}::uuid AND (sa.status = 'vouchered' OR sa.status = 'pending')`.execute(ctx.db);
  const holders = await ctx.db
    .selectFrom('recall_notice as n')
    .innerJoin('subject as s', 's.id', 'n.holder_subject_id')
    .select(['s.org_id', 's.division_code'])
    .distinct()
    .where('n.recall_id', '=', recall.id)
    .execute();
  const title = { titleZh: `召回通知 ${number}：${b.product_name}（${LEVELS[input.level ?? 2].zh}）`, titleEn: `Recall ${number}: ${b.product_name}`, body: input.reason, link: `/chain/recalls/${recall.id}`, kind: 'recall.notice' };
  await notify(ctx.db, [
    ...holders.map((h) => ({ ...title, orgId: h.org_id, divisionCode: h.division_code })),
    ...(await countyRegulators(ctx.db, b.division_code)).filter((o) => o !== ctx.actor.orgId).map((o) => ({ ...title, orgId: o, divisionCode: b.division_code })),
  ]);
  await appendEvent(ctx, {
    eventType: 'object', action: 'OBSERVE', bizStep: 'recalling', stage: 'storage', disposition: 'recalled', eventTime: new Date(), subjectId: b.subject_id, divisionCode: b.division_code,
    batchId: b.id, bizTx: [{ type: 'recall', id: number }], payload: { reason: input.reason, level: input.level ?? 2, openerKind },
  });
  await audit(ctx, { verb: 'recall.open', targetType: 'recall', targetId: recall.id, divisionCode: b.division_code, summary: { number, batchId: b.id, reason: input.reason, level: input.level ?? 2 } });
  return getRecall(ctx, recall.id);
}

async function visibleRecall(ctx: Ctx, id: string) {
  const r = await ctx.db
    .selectFrom('recall as r')
    .innerJoin('batch as b', 'b.id', 'r.batch_id')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .innerJoin('subject as s', 's.id', 'r.subject_id')
    .selectAll('r')
    .select(['b.batch_no', 'b.kind as batch_kind', 'b.code_serial', 'p.name as product_name', 's.name as subject_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!r) throw problems.notFound('召回', 'Recall');
  const rs = await readScopeOf(ctx);
  let holder = false;
  if ('subjectId' in rs) {
    holder = !!(await ctx.db.selectFrom('recall_notice').select('id').where('recall_id', '=', id).where('holder_subject_id', '=', rs.subjectId).executeTakeFirst());
    if (r.subject_id !== rs.subjectId && !holder) throw problems.outOfJurisdiction('召回', 'recall');
  } else if (!inScope(rs.scope, r.division_code)) throw problems.outOfJurisdiction('召回', 'recall');
  return { r, subjectId: 'subjectId' in rs ? rs.subjectId : null, holder };
}

const noticeQuery = (db: Kysely<DB>, recallId: string) =>
  db
    .selectFrom('recall_notice as n')
    .leftJoin('batch as b', 'b.id', 'n.batch_id')
    .leftJoin('sale as sa', 'sa.id', 'n.sale_id')
    .selectAll('n')
    .select(['b.batch_no', 'b.kind as batch_kind', 'b.code_serial', 'sa.voucher_serial'])
    .where('n.recall_id', '=', recallId)
    .orderBy('n.status')
    .orderBy('n.holder_name');

export async function getRecall(ctx: Ctx, id: string) {
  const { r, subjectId, holder } = await visibleRecall(ctx, id);
  const notices = await noticeQuery(ctx.db, id).execute();
  const batches = Number((await ctx.db.selectFrom('recall_batch').select((eb) => eb.fn.countAll<number>().as('n')).where('recall_id', '=', id).executeTakeFirstOrThrow()).n);
  const inPlatform = notices.filter((n) => n.status !== 'external');
  const acknowledged = notices.filter((n) => n.status === 'acknowledged').length;
  const isOpener = r.opener_org_id === ctx.actor.orgId || (ctx.actor.orgKind !== 'producer' && inScope(ctx.actor.scope, r.division_code));
  const allowed = RECALL_TRANSITIONS.filter(
    (t) => t.state === r.status && ((t.who === 'holder' && holder && notices.some((n) => n.holder_subject_id === subjectId && n.status === 'notified')) || (t.who === 'opener' && isOpener)),
  ).map((t) => t.action);
  return {
    id: r.id, number: r.number, batchId: r.batch_id, batchNo: r.batch_no,
    code: r.code_serial === null ? null : codeText(ctx.config, r.batch_kind === 'circulation' ? 'circulation' : 'production', Number(r.code_serial)),
    productName: r.product_name, subjectName: r.subject_name, divisionCode: r.division_code, openerKind: r.opener_kind, level: r.level, levelName: LEVELS[r.level].zh,
    reason: r.reason, status: r.status, statusName: RECALL_STATES[r.status].zh, openedAt: r.opened_at.toISOString(), closedAt: r.closed_at?.toISOString() ?? null,
    progress: {
      batches, holders: inPlatform.length, acknowledged, external: notices.length - inPlatform.length,
      percent: inPlatform.length ? Math.round((acknowledged / inPlatform.length) * 100) : 100,
      recovered: notices.reduce((s, n) => s + Number(n.recovered_quantity ?? 0), 0),
    },
    notices: notices
      .filter((n) => subjectId === null || r.subject_id === subjectId || n.holder_subject_id === subjectId)
      .map((n) => ({
        id: n.id, holderSubjectId: n.holder_subject_id, holderName: n.holder_name, contactName: n.contact_name, phone: n.phone, divisionCode: n.division_code,
        batchId: n.batch_id, batchNo: n.batch_no, code: n.code_serial === null || n.code_serial === undefined ? (n.voucher_serial ? codeText(ctx.config, 'voucher', Number(n.voucher_serial)) : null) : codeText(ctx.config, n.batch_kind === 'circulation' ? 'circulation' : 'production', Number(n.code_serial)),
        saleId: n.sale_id, quantity: n.quantity === null ? null : Number(n.quantity), unit: n.unit, status: n.status,
        acknowledgedAt: n.acknowledged_at?.toISOString() ?? null, recoveredQuantity: n.recovered_quantity === null ? null : Number(n.recovered_quantity), note: n.note,
      })),
    allowedActions: allowed,
  };
}

export async function listRecalls(ctx: Ctx, q: { status?: 'open' | 'closed'; page?: number; pageSize?: number }) {
  const pageSize = q.pageSize ?? 20;
  const page = q.page ?? 1;
  const rs = await readScopeOf(ctx);
  let query = ctx.db.selectFrom('recall as r').innerJoin('batch as b', 'b.id', 'r.batch_id').innerJoin('product as p', 'p.id', 'b.product_id');
  if ('subjectId' in rs)
    query = query.where((eb) => eb.or([eb('r.subject_id', '=', rs.subjectId), eb.exists(eb.selectFrom('recall_notice as n').select('n.id').whereRef('n.recall_id', '=', 'r.id').where('n.holder_subject_id', '=', rs.subjectId))]));
  else query = query.where('r.division_code', 'like', `${rs.scope}%`);
  if (q.status) query = query.where('r.status', '=', q.status);
  const rows = await query
    .select(['r.id', 'r.number', 'r.status', 'r.level', 'r.reason', 'r.opened_at', 'r.division_code', 'b.batch_no', 'p.name as product_name'])
    .select((eb) => [
      eb.selectFrom('recall_notice as n').select((e) => e.fn.countAll<number>().as('x')).whereRef('n.recall_id', '=', 'r.id').where('n.status', '<>', 'external').as('holders'),
      eb.selectFrom('recall_notice as n').select((e) => e.fn.countAll<number>().as('x')).whereRef('n.recall_id', '=', 'r.id').where('n.status', '=', 'acknowledged').as('acknowledged'),
    ])
    .orderBy('r.opened_at', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id, number: r.number, status: r.status, statusName: RECALL_STATES[r.status].zh, level: r.level, reason: r.reason, openedAt: r.opened_at.toISOString(), divisionCode: r.division_code,
      batchNo: r.batch_no, productName: r.product_name, holders: Number(r.holders ?? 0), acknowledged: Number(r.acknowledged ?? 0),
    })),
    page, pageSize,
  };
}

export async function acknowledgeRecall(ctx: Ctx, id: string, input: { recoveredQuantity?: number; note?: string }) {
  const me = await producerOf(ctx);
  const { r } = await visibleRecall(ctx, id);
  if (r.status !== 'open') throw new Problem('INVALID_STATE', { stateZh: RECALL_STATES[r.status].zh, stateEn: RECALL_STATES[r.status].en, actionZh: '确认召回通知', actionEn: 'acknowledge' });
  const res = await ctx.db
    .updateTable('recall_notice')
    .set({ status: 'acknowledged', acknowledged_at: new Date(), acknowledged_by: ctx.actor.id, recovered_quantity: input.recoveredQuantity ?? null, note: input.note ?? null })
    .where('recall_id', '=', id)
    .where('holder_subject_id', '=', me.id)
    .where('status', '=', 'notified')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) {
    const any = await ctx.db.selectFrom('recall_notice').select('id').where('recall_id', '=', id).where('holder_subject_id', '=', me.id).executeTakeFirst();
    if (!any) throw new Problem('NOT_A_RECALL_HOLDER');
    throw new Problem('INVALID_STATE', { stateZh: '已确认', stateEn: 'acknowledged', actionZh: '确认召回通知', actionEn: 'acknowledge' });
  }
  const opener = await ctx.db.selectFrom('organisation').select(['id', 'division_code']).where('id', '=', r.opener_org_id).executeTakeFirst();
  if (opener) await notify(ctx.db, [{ orgId: opener.id, kind: 'recall.acknowledged', titleZh: `${me.name}已确认召回通知 ${r.number}`, titleEn: `${me.name} acknowledged recall ${r.number}`, link: `/chain/recalls/${id}`, divisionCode: opener.division_code }]);
  await audit(ctx, { verb: 'recall.acknowledge', targetType: 'recall', targetId: id, divisionCode: r.division_code, summary: { notices: Number(res.numUpdatedRows), recoveredQuantity: input.recoveredQuantity ?? null } });
  return getRecall(ctx, id);
}

export async function closeRecall(ctx: Ctx, id: string, input: { note: string }) {
  const { r } = await visibleRecall(ctx, id);
  const isOpener = r.opener_org_id === ctx.actor.orgId || (ctx.actor.orgKind !== 'producer' && inScope(ctx.actor.scope, r.division_code));
  if (!isOpener) throw problems.outOfJurisdiction('召回', 'recall');
  if (r.status !== 'open') throw new Problem('INVALID_STATE', { stateZh: RECALL_STATES[r.status].zh, stateEn: RECALL_STATES[r.status].en, actionZh: '结束召回', actionEn: 'close' });
  await ctx.db.updateTable('recall').set({ status: 'closed', closed_at: new Date(), closed_by: ctx.actor.id, close_note: input.note }).where('id', '=', id).execute();
  await audit(ctx, { verb: 'recall.open', targetType: 'recall', targetId: id, divisionCode: r.division_code, summary: { closed: true, note: input.note } });
  return getRecall(ctx, id);
}

export async function recallXlsx(ctx: Ctx, id: string) {
  const x = await getRecall(ctx, id);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Suyuan 溯源';
  const s = wb.addWorksheet('召回概况 Summary');
  s.columns = [{ header: '项目 Item', key: 'k', width: 20 }, { header: '内容 Value', key: 'v', width: 60 }];
  for (const [k, v] of [
    ['召回编号', x.number], ['产品', x.productName], ['批次', `${x.batchNo} ${x.code ?? ''}`], ['责任主体', x.subjectName], ['级别', x.levelName], ['原因', x.reason],
    ['状态', x.statusName], ['发起时间', x.openedAt], ['结束时间', x.closedAt ?? ''], ['覆盖批次数', x.progress.batches], ['平台内持有者', x.progress.holders],
    ['已确认', x.progress.acknowledged], ['平台外（需电话通知）', x.progress.external], ['完成率', `${x.progress.percent}%`], ['已追回数量', x.progress.recovered],
  ] as [string, string | number][]) s.addRow({ k, v });
  const n = wb.addWorksheet('通知名单 Holders', { views: [{ state: 'frozen', ySplit: 1 }] });
  n.columns = [
    { header: '持有者 Holder', key: 'holder', width: 26 }, { header: '联系人 Contact', key: 'contact', width: 10 }, { header: '电话 Phone', key: 'phone', width: 14 },
    { header: '区划 Division', key: 'division', width: 12 }, { header: '批次/凭证码 Code', key: 'code', width: 24 }, { header: '批次号 Batch', key: 'batchNo', width: 16 },
    { header: '数量 Quantity', key: 'quantity', width: 10 }, { header: '单位 Unit', key: 'unit', width: 6 }, { header: '状态 Status', key: 'status', width: 12 },
    { header: '确认时间 Acknowledged', key: 'ack', width: 20 }, { header: '追回数量 Recovered', key: 'rec', width: 10 }, { header: '备注 Note', key: 'note', width: 24 },
  ];
  const STATUS = { notified: '已通知待确认', acknowledged: '已确认', external: '平台外-需电话通知' } as Record<string, string>;
  for (const h of x.notices)
    n.addRow({ holder: h.holderName, contact: h.contactName, phone: h.phone, division: h.divisionCode, code: h.code, batchNo: h.batchNo, quantity: h.quantity, unit: h.unit, status: STATUS[h.status] ?? h.status, ack: h.acknowledgedAt ?? '', rec: h.recoveredQuantity, note: h.note ?? '' });
  n.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 12 } };
  return { xlsx: Buffer.from(await wb.xlsx.writeBuffer()), filename: `recall-${x.number}.xlsx` };
}

export async function recallPdf(ctx: Ctx, id: string) {
  const x = await getRecall(ctx, id);
  const doc = newPdf({ size: 'A4', margin: 15 * MM, info: { Title: `召回报告 ${x.number}` } });
  doc.font('cjk-bold').fontSize(18).text('农产品召回报告', { align: 'center' });
  doc.moveDown(0.5).font('cjk').fontSize(10);
  for (const [k, v] of [
    ['召回编号', x.number], ['产品 / 批次', `${x.productName}  ${x.batchNo}  ${x.code ?? ''}`], ['责任主体', x.subjectName], ['召回级别', x.levelName], ['召回原因', x.reason],
    ['状态', `${x.statusName}（发起 ${x.openedAt.slice(0, 16).replace('T', ' ')}${x.closedAt ? `，结束 ${x.closedAt.slice(0, 16).replace('T', ' ')}` : ''}）`],
    ['进度', `覆盖批次 ${x.progress.batches} 个；平台内持有者 ${x.progress.holders} 个，已确认 ${x.progress.acknowledged} 个（${x.progress.percent}%）；平台外 ${x.progress.external} 个；已追回 ${x.progress.recovered}`],
  ]) doc.font('cjk-bold').text(`${k}：`, { continued: true }).font('cjk').text(String(v));
  doc.moveDown().font('cjk-bold').fontSize(12).text('通知名单');
  doc.font('cjk').fontSize(8);
  const cols = [['持有者', 150], ['电话', 80], ['批次/凭证码', 120], ['数量', 50], ['状态', 60], ['确认时间', 70]] as const;
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
  line(cols.map((c) => c[0]), true);
  const STATUS = { notified: '待确认', acknowledged: '已确认', external: '平台外' } as Record<string, string>;
  for (const h of x.notices) line([h.holderName, h.phone ?? '', h.code ?? '', `${h.quantity ?? ''}${h.unit ?? ''}`, STATUS[h.status] ?? h.status, h.acknowledgedAt?.slice(0, 16).replace('T', ' ') ?? '']);
  return { pdf: await pdfBuffer(doc), filename: `recall-${x.number}.pdf` };
}
