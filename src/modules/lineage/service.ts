import ExcelJS from 'exceljs';
import { type CodeKind, codeUrl } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import { readScopeOf } from '../catalog/owner.js';
import { codeText } from '../codes/service.js';
import * as repo from './repo.js';

/**
 * Lineage (来源可追溯、流向可追踪, seed 002): backward to every source, forward to every holder, and the whole graph for
 * regulators. Who sees how far follows seed 003 (一.(四).5): regulators query within their jurisdiction (the batch
 * traced from must be inside it; the chain itself may cross divisions, since a recall must reach every holder);
 * a producer sees one step up and one step down from its own batches only; consumers see the origin (issue 6).
 */
export const MAX_DEPTH = 100;
export const MAX_GRAPH_NODES = 20_000;
export const PRODUCER_DEPTH = 1;

async function rootFor(ctx: Ctx, batchId: string) {
  const b = await repo.rootOf(ctx.db, batchId);
  if (!b) throw problems.notFound('批次', 'Batch');
  const rs = await readScopeOf(ctx);
  if ('subjectId' in rs) {
    if (b.subject_id !== rs.subjectId) throw new Problem('NOT_YOUR_BATCH', { field: 'batchId' });
    return { b, producer: true };
  }
  if (!b.division_code.startsWith(rs.scope)) throw problems.outOfJurisdiction('批次', 'batch');
  return { b, producer: false };
}

const KIND: Record<string, CodeKind> = { production: 'production', circulation: 'circulation' };
function nodeDto(ctx: Ctx, n: repo.NodeRow, scope: string | null) {
  const code = n.codeSerial === null ? null : codeText(ctx.config, KIND[n.kind] ?? 'production', Number(n.codeSerial));
  return {
    batchId: n.id, depth: n.depth, kind: n.kind, batchNo: n.batchNo, code, codeUrl: code ? codeUrl(ctx.config.publicBaseUrl, code) : null,
    productName: n.productName, subjectId: n.subjectId, subjectName: n.subjectName, divisionCode: n.divisionCode, quantity: Number(n.quantity), stock: Number(n.stock),
    unit: n.unit, producedAt: new Date(n.producedAt).toISOString(), createdAt: new Date(n.createdAt).toISOString(), status: n.status, recall: n.recall,
    inJurisdiction: scope === null ? true : n.divisionCode.startsWith(scope),
  };
}
const edgeDto = (e: repo.EdgeRow) => ({ from: e.from, to: e.to, quantity: e.quantity === null ? null : Number(e.quantity), unit: e.unit, time: new Date(e.time).toISOString(), bizStep: e.bizStep });

export async function trace(ctx: Ctx, direction: 'forward' | 'backward', batchId: string, q: { maxDepth?: number; page?: number; pageSize?: number }) {
  const { b, producer } = await rootFor(ctx, batchId);
  const maxDepth = producer ? PRODUCER_DEPTH : Math.min(q.maxDepth ?? MAX_DEPTH, MAX_DEPTH);
  const pageSize = q.pageSize ?? 200;
  const page = q.page ?? 1;
  const r = await repo.trace(ctx.db, direction, b.id, { maxDepth, limit: pageSize, offset: (page - 1) * pageSize });
  const scope = producer ? null : ctx.actor.scope;
  return {
    rootId: b.id, direction, maxDepth, total: r.total, page, pageSize, more: page * pageSize < r.total,
    nodes: r.nodes.map((n) => nodeDto(ctx, n, scope)), edges: r.edges.map(edgeDto),
  };
}

/** The whole graph (ancestors with negative depths, descendants positive) for regulators, capped. */
export async function wholeGraph(ctx: Ctx, batchId: string, q: { maxDepth?: number; cap?: number }) {
  const { b } = await rootFor(ctx, batchId);
  const cap = Math.min(q.cap ?? 2000, MAX_GRAPH_NODES);
  const r = await repo.graph(ctx.db, b.id, { maxDepth: Math.min(q.maxDepth ?? MAX_DEPTH, MAX_DEPTH), cap });
  return { rootId: b.id, total: r.total, truncated: r.total > cap, nodes: r.nodes.map((n) => nodeDto(ctx, n, ctx.actor.scope)), edges: r.edges.map(edgeDto) };
}

const STEP_NAMES: Record<string, string> = {
  commissioning: '生产/采收登记', shipping: '销售发货', receiving: '收货', returning: '拒收退回', transforming: '分装/合并', repacking: '重新包装', certifying: '开具合格证',
  correcting: '更正', accepting: '入市查验通过', recalling: '召回',
};

/**
 * FSMA-204-style export (within seconds, in the spirit of the 24-hour rule): every record of a batch and of
 * everything upstream and downstream of it, one row per event, with filters on every column.
 */
export async function exportLineage(ctx: Ctx, batchId: string) {
  const { b, producer } = await rootFor(ctx, batchId);
  const nodes = await repo.closure(ctx.db, b.id, producer ? PRODUCER_DEPTH : MAX_DEPTH, 100_000);
  const ids = nodes.map((n) => n.batch_id);
  const depth = new Map(nodes.map((n) => [n.batch_id, n.depth]));
  const details = new Map((await repo.batchDetails(ctx.db, ids)).rows.map((d) => [d.id, d]));
  const code = (id: string) => {
    const d = details.get(id);
    return d?.code_serial ? codeText(ctx.config, KIND[d.kind] ?? 'production', Number(d.code_serial)) : '';
  };
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Suyuan 溯源';
  wb.created = new Date();
  const ev = wb.addWorksheet('事件 Events', { views: [{ state: 'frozen', ySplit: 1 }] });
  ev.columns = [
    { header: '时间 Event time', key: 'time', width: 20 }, { header: '层级 Depth', key: 'depth', width: 8 }, { header: '追溯码 Lot code', key: 'code', width: 24 },
    { header: '批次号 Batch', key: 'batchNo', width: 16 }, { header: '产品 Product', key: 'product', width: 12 }, { header: '主体 Subject', key: 'subject', width: 24 },
    { header: '区划 Division', key: 'division', width: 12 }, { header: '环节 Step', key: 'step', width: 14 }, { header: 'bizStep', key: 'bizStep', width: 14 },
    { header: '数量变化 Qty', key: 'qty', width: 10 }, { header: '单位 Unit', key: 'unit', width: 6 }, { header: '来源方 Source', key: 'source', width: 22 },
    { header: '去向方 Destination', key: 'dest', width: 22 }, { header: '单据 References', key: 'refs', width: 30 }, { header: '地点 Read point', key: 'readPoint', width: 20 },
    { header: '记录时间 Recorded', key: 'recorded', width: 20 }, { header: '事件号 Event id', key: 'eventId', width: 38 },
  ];
  const events = (await repo.eventsOfBatches(ctx.db, ids)).rows;
  for (const e of events) {
    const d = details.get(e.batch_id);
    ev.addRow({
      time: e.event_time, depth: depth.get(e.batch_id), code: code(e.batch_id), batchNo: d?.batch_no, product: d?.product_name, subject: e.subject_name ?? d?.subject_name,
      division: e.division_code, step: STEP_NAMES[e.biz_step] ?? e.biz_step, bizStep: e.biz_step, qty: Number(e.qty_delta), unit: e.unit ?? d?.unit,
      source: e.source_name ?? '', dest: e.dest_name ?? '', refs: (e.biz_tx as { type: string; id: string }[]).map((x) => `${x.type}:${x.id}`).join(' '),
      readPoint: e.read_point ?? '', recorded: e.record_time, eventId: e.event_id,
    });
  }
  ev.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ev.columns.length } };
  const bs = wb.addWorksheet('批次 Lots', { views: [{ state: 'frozen', ySplit: 1 }] });
  bs.columns = [
    { header: '层级 Depth', key: 'depth', width: 8 }, { header: '追溯码 Lot code', key: 'code', width: 24 }, { header: '批次号 Batch', key: 'batchNo', width: 16 },
    { header: '产品 Product', key: 'product', width: 12 }, { header: '主体 Subject', key: 'subject', width: 24 }, { header: '联系人 Contact', key: 'contact', width: 10 },
    { header: '电话 Phone', key: 'phone', width: 14 }, { header: '地址 Address', key: 'address', width: 24 }, { header: '区划 Division', key: 'division', width: 12 },
    { header: '数量 Quantity', key: 'quantity', width: 10 }, { header: '库存 Stock', key: 'stock', width: 10 }, { header: '单位 Unit', key: 'unit', width: 6 },
    { header: '生产时间 Produced', key: 'produced', width: 20 }, { header: '状态 Status', key: 'status', width: 10 },
  ];
  for (const n of nodes) {
    const d = details.get(n.batch_id);
    if (!d) continue;
    bs.addRow({ depth: n.depth, code: code(d.id), batchNo: d.batch_no, product: d.product_name, subject: d.subject_name, contact: d.contact_name, phone: d.contact_phone, address: d.address, division: d.division_code, quantity: Number(d.quantity), stock: Number(d.stock), unit: d.unit, produced: d.produced_at, status: d.status });
  }
  bs.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: bs.columns.length } };
  const ls = wb.addWorksheet('流向 Links');
  ls.columns = [{ header: '来源码 From', key: 'from', width: 24 }, { header: '去向码 To', key: 'to', width: 24 }, { header: '数量 Quantity', key: 'q', width: 10 }, { header: '单位 Unit', key: 'u', width: 6 }, { header: '时间 Time', key: 't', width: 20 }, { header: 'bizStep', key: 's', width: 14 }];
  for (const e of (await repo.edgesAmong(ctx.db, ids)).rows) ls.addRow({ from: code(e.from_batch), to: code(e.to_batch), q: e.quantity === null ? null : Number(e.quantity), u: e.unit, t: e.event_time, s: e.biz_step });
  ls.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 6 } };
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return { xlsx: buf, filename: `lineage-${b.batch_no}.xlsx`, events: events.length, lots: nodes.length };
}
