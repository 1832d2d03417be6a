import { newWorkbook } from '../../kernel/excel.js';
import { type CodeKind, codeUrl } from '../../kernel/codes.js';
import { auditRead, auditReadSql } from '../../kernel/audit.js';
import { inScope } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import { readScopeOf } from '../catalog/owner.js';
import { codeText } from '../codes/service.js';
import * as regions from '../regions/service.js';
import { OUTSIDE, aliasOf, sightOf } from './mask.js';
import * as repo from './repo.js';
import {
  type Direction,
  type GraphQuery,
  type LineageNode,
  MAX_DEPTH,
  MAX_GRAPH_NODES,
  type Trace,
  type TraceQuery,
} from './schemas.js';
import { workbookBuffer } from '../../kernel/spreadsheet.js';

/**
 * Lineage (来源可追溯、流向可追踪, seed 002): backward to every source, forward to every holder, and the whole graph for
 * regulators. Who sees how far follows seed 003 (一.(四).5): regulators query within their jurisdiction (the batch
 * traced from must be inside it; the chain itself may cross divisions, since a recall must reach every holder, and
 * the lots outside the jurisdiction are masked — mask.ts, the one place); a producer sees one step up and one step
 * down from its own batches only; consumers see the origin (issue 6). Every read through the API and every export is
 * recorded (国家追溯平台自动保留查询记录) as an audit row of the batch: who, what, when.
 */
export const PRODUCER_DEPTH = 1;

async function rootFor(ctx: Ctx, batchId: string) {
  const b = await repo.rootOf(ctx.db, batchId);
  if (!b) throw problems.notFound('批次', 'Batch');
  const rs = await readScopeOf(ctx);
  if ('subjectId' in rs) {
    if (b.subject_id !== rs.subjectId) throw new Problem('NOT_YOUR_BATCH', { field: 'batchId' });
    return { b, producer: true, sight: sightOf(rs, ctx.actor.id, true) };
  }
  if (!inScope(rs.scope, b.division_code)) throw problems.outOfJurisdiction('批次', 'batch');
  return { b, producer: false, sight: sightOf(rs, ctx.actor.id, false) };
}

/**
 * Records a lineage read or export in the audit log (the query record of seed 003: who — account, organisation,
 * address —, what — the batch, the operation, how many lots and how many masked —, when), in one statement after the
 * read (kernel auditRead: the row is the read's only write): the export, and a trace or graph read from a context
 * that may read a replica (else their own statement writes it: `recordSql`). The audit row carries the batch's
 * division, so it is browsed within jurisdiction.
 */
async function record(
  ctx: Ctx,
  verb: 'lineage.read' | 'lineage.graph' | 'lineage.export',
  b: { id: string; division_code: string; batch_no: string },
  summary: Record<string, unknown>,
) {
  await auditRead(ctx, {
    verb,
    targetType: 'batch',
    targetId: b.id,
    targetName: b.batch_no,
    divisionCode: b.division_code,
    summary,
  });
}

/**
 * The query record of a trace or graph written by the lineage statement itself (issue 19: one round trip per read;
 * kernel auditReadSql, which also lets it commit without waiting for the WAL flush on PostgreSQL): the same row as
 * `record`, with the batch number, division and the page's lot counts read by the statement. Null when the context
 * may read a replica: then the read is recorded after it (`record`, on the primary).
 */
function recordSql(
  ctx: Ctx,
  verb: 'lineage.read' | 'lineage.graph',
  batchId: string,
  summary: Record<string, unknown>,
) {
  const f = repo.RECORD_FACTS;
  return auditReadSql(ctx, 'query_record', {
    verb,
    targetType: 'batch',
    targetId: batchId,
    from: f.from,
    targetName: f.batchNo,
    divisionCode: f.divisionCode,
    summary: { ...summary, lots: f.lots, masked: f.masked },
  });
}

const KIND: Record<string, CodeKind> = { production: 'production', circulation: 'circulation' };

const divisionNames = (ctx: Ctx, codes: string[]) => regions.fullNamesOf(ctx, [...new Set(codes)]);

/** The caller's sight as the repo's statements take it: a producer's subject, else the jurisdiction. */
async function sqlSightOf(ctx: Ctx) {
  const rs = await readScopeOf(ctx);
  const producer = 'subjectId' in rs;
  return { rs, producer, sight: sightOf(rs, ctx.actor.id, producer), sql: producer ? rs : { scope: rs.scope } };
}

/** The access check on the root facts the statement returned (404, the producer's own batch, the jurisdiction). */
function checkRoot(root: repo.TraceText['root'], producer: boolean) {
  if (!root) throw problems.notFound('批次', 'Batch');
  if (!root[3]) {
    if (producer) throw new Problem('NOT_YOUR_BATCH', { field: 'batchId' });
    throw problems.outOfJurisdiction('批次', 'batch');
  }
}

const q = JSON.stringify;

/**
 * The page as JSON text (issue 19): the database wrote every object (repo.traceSql / graphSql: masked in the
 * statement, names as dictionaries) and this splices them into the reply without parsing them. What is left here:
 * the trace code and its URL of each visible lot, the alias of each masked lot and masked edge end (mask.ts), and the
 * divisions' full names (cached). Returns the JSON of `nodes` and `edges` (`lineage`), then of `subjects`, `products`
 * and `divisions` closing the answer (`names`: kept apart, see `utf8`), and the counts the query record keeps.
 */
async function splice(ctx: Ctx, r: repo.TraceText, callerId: string) {
  const base = ctx.config.publicBaseUrl;
  let masked = 0;
  const nodes = (r.nodes ? r.nodes.split(repo.SEP_RECORD) : []).map((x) => {
    const [vis, id, kind, serial, json] = x.split(repo.SEP_FIELD, 5);
    if (vis === '0') {
      masked++;
      return `{"batchId":"${aliasOf(callerId, id)}",${json.slice(1)}`;
    }
    const code = serial === '' ? null : codeText(ctx.config, KIND[kind] ?? 'production', Number(serial));
    const tail = code ? `"code":${q(code)},"codeUrl":${q(codeUrl(base, code))}}` : '"code":null,"codeUrl":null}';
    return `${json.slice(0, -1)},${tail}`;
  });
  const edges = (r.edges ? r.edges.split(repo.SEP_RECORD) : []).map((x) => {
    if (x.charCodeAt(0) === 123 /* { */) return x;
    const [from, to, fvis, tvis, json] = x.split(repo.SEP_FIELD, 5);
    const f = fvis === '1' ? from : aliasOf(callerId, from);
    const t = tvis === '1' ? to : aliasOf(callerId, to);
    return `{"from":"${f}","to":"${t}",${json.slice(1)}`;
  });
  const names = await divisionNames(ctx, r.divisions ? r.divisions.split(',') : []);
  const divisions: Record<string, string> = {};
  for (const [c, n] of names) divisions[c] = n || c;
  return {
    lineage: `"nodes":[${nodes.join(',')}],"edges":[${edges.join(',')}]`,
    names: `,"subjects":${r.subjects},"products":${r.products},"divisions":${q(divisions)}}`,
    lots: nodes.length,
    masked,
  };
}

/**
 * The answer's bytes (UTF-8), its parts encoded apart: V8 keeps a string holding any character beyond Latin-1 at two
 * bytes per character, and a concatenation with such a part becomes one; the names (the dictionaries) are about the
 * only text beyond ASCII, so kept apart they leave the few hundred kilobytes of lots and links a one-byte string, which
 * encodes several times faster (and Fastify does not measure a buffer's length by encoding it once more).
 */
const utf8 = (...parts: string[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

/**
 * One direction's trace with the names in place, masked to the caller's sight: what the monitoring and incident
 * seams read (they call it with a national context). The API calls `readTrace`, which also records the read and
 * sends the text as it is.
 */
export async function trace(ctx: Ctx, direction: Direction, batchId: string, tq: TraceQuery): Promise<ExpandedTrace> {
  const t = await traceOf(ctx, direction, batchId, tq);
  return expand(JSON.parse(t.lineage + t.names) as Trace);
}

/** A trace with each lot's owner, product and division names in place (the dictionaries read back). */
export type ExpandedTrace = Omit<Trace, 'nodes'> & { nodes: LineageNode[] };
function expand(t: Trace): ExpandedTrace {
  return {
    ...t,
    nodes: t.nodes.map(({ productId, ...n }) => ({
      ...n,
      productName: productId === null ? null : (t.products[productId] ?? null),
      subjectName: n.subjectId === null ? null : (t.subjects[n.subjectId] ?? null),
      divisionName: t.divisions[n.divisionCode] ?? n.divisionCode,
    })),
  };
}

/** A trace page as JSON text; `recorded`: the read is to be recorded, by the statement itself when it can. */
async function traceOf(ctx: Ctx, direction: Direction, batchId: string, tq: TraceQuery, recorded = false) {
  const { producer, sql } = await sqlSightOf(ctx);
  const maxDepth = producer ? PRODUCER_DEPTH : Math.min(tq.maxDepth ?? MAX_DEPTH, MAX_DEPTH);
  const pageSize = tq.pageSize ?? 200;
  const page = tq.page ?? 1;
  const action = direction === 'backward' ? 'traceBackward' : 'traceForward';
  const record = recorded ? recordSql(ctx, 'lineage.read', batchId, { action, page }) : null;
  const r = await repo.trace(ctx.db, direction, batchId, {
    maxDepth,
    limit: pageSize,
    offset: (page - 1) * pageSize,
    sight: sql,
    record,
  });
  checkRoot(r.root, producer);
  const body = await splice(ctx, r, ctx.actor.id);
  const head = {
    rootId: batchId,
    direction,
    maxDepth,
    total: r.total,
    page,
    pageSize,
    more: page * pageSize < r.total,
  };
  const root = r.root as NonNullable<repo.TraceText['root']>;
  return {
    b: { id: batchId, division_code: root[1], batch_no: root[2] },
    lineage: `${q(head).slice(0, -1)},${body.lineage}`,
    names: body.names,
    action,
    page,
    lots: body.lots,
    masked: body.masked,
    recordedInStatement: record !== null,
  };
}

/** A node seen in full (what a national trace gives). */
export type FullNode = LineageNode & { batchNo: string; productName: string; subjectId: string; subjectName: string };

/**
 * The nodes of a trace read nationally (the incident and monitoring seams), typed as seen in full; a masked node
 * here would mean the seam lost its national context, so it is refused rather than passed on half-empty.
 */
export function fullNodes(t: ExpandedTrace): FullNode[] {
  return t.nodes.map((n) => {
    if (n.masked || n.batchNo === null || n.productName === null || n.subjectId === null || n.subjectName === null)
      throw new Error('fullNodes: a masked lineage node in a national trace');
    return { ...n, batchNo: n.batchNo, productName: n.productName, subjectId: n.subjectId, subjectName: n.subjectName };
  });
}

/**
 * `traceForward` / `traceBackward` of the API: the masked trace, recorded, as the UTF-8 JSON of the `Trace` schema
 * (the route sends it as it is).
 */
export async function readTrace(ctx: Ctx, direction: Direction, batchId: string, tq: TraceQuery): Promise<Buffer> {
  const t = await traceOf(ctx, direction, batchId, tq, true);
  if (!t.recordedInStatement)
    await record(ctx, 'lineage.read', t.b, { action: t.action, page: t.page, lots: t.lots, masked: t.masked });
  return utf8(t.lineage, t.names);
}

/**
 * The whole graph (ancestors with negative depths, descendants positive) for regulators, capped, masked, recorded,
 * as the UTF-8 JSON of the `Graph` schema (one statement, spliced like a trace).
 */
export async function wholeGraph(ctx: Ctx, batchId: string, gq: GraphQuery): Promise<Buffer> {
  const { producer, sql } = await sqlSightOf(ctx);
  const cap = Math.min(gq.cap ?? 2000, MAX_GRAPH_NODES);
  const inStatement = recordSql(ctx, 'lineage.graph', batchId, { action: 'viewGraph' });
  const r = await repo.graph(ctx.db, batchId, {
    maxDepth: Math.min(gq.maxDepth ?? MAX_DEPTH, MAX_DEPTH),
    cap,
    sight: sql,
    record: inStatement,
  });
  checkRoot(r.root, producer);
  const body = await splice(ctx, r, ctx.actor.id);
  const root = r.root as NonNullable<repo.TraceText['root']>;
  if (!inStatement)
    await record(
      ctx,
      'lineage.graph',
      { id: batchId, division_code: root[1], batch_no: root[2] },
      { action: 'viewGraph', lots: body.lots, masked: body.masked },
    );
  return utf8(
    `${q({ rootId: batchId, total: r.total, truncated: r.total > cap }).slice(0, -1)},${body.lineage}`,
    body.names,
  );
}

const STEP_NAMES: Record<string, string> = {
  commissioning: '生产/采收登记',
  shipping: '销售发货',
  receiving: '收货',
  returning: '拒收退回',
  transforming: '分装/合并',
  repacking: '重新包装',
  certifying: '开具合格证',
  correcting: '更正',
  accepting: '入市查验通过',
  recalling: '召回',
};

/**
 * FSMA-204-style export (within seconds, in the spirit of the 24-hour rule): every record of a batch and of
 * everything upstream and downstream of it, one row per event, with filters on every column. Lots outside the
 * caller's jurisdiction are masked as in the graph (mask.ts): their rows keep the step, time, quantity and division,
 * and read 辖区外主体 where a name, contact, code or reference would be; a masked lot is named `辖区外批次 N` so the
 * links sheet still joins up. Every export is recorded (audit `lineage.export`).
 */
export async function exportLineage(ctx: Ctx, batchId: string) {
  const { b, producer, sight } = await rootFor(ctx, batchId);
  const nodes = await repo.closure(ctx.db, b.id, producer ? PRODUCER_DEPTH : MAX_DEPTH, 100_000);
  const ids = nodes.map((n) => n.batch_id);
  const depth = new Map(nodes.map((n) => [n.batch_id, n.depth]));
  const details = new Map((await repo.batchDetails(ctx.db, ids)).rows.map((d) => [d.id, d]));
  const events = (await repo.eventsOfBatches(ctx.db, ids)).rows;
  const names = await divisionNames(ctx, [
    ...[...details.values()].map((d) => d.division_code),
    ...events.map((e) => e.division_code),
  ]);
  const division = (c: string | null | undefined) => (c ? names.get(c) || c : '');
  const outsideName = (c: string | null | undefined) => `${OUTSIDE.zh} ${OUTSIDE.en} (${division(c)})`;
  const visible = (id: string) => {
    const d = details.get(id);
    return !!d && sight.visible(d);
  };
  const maskedNo = new Map<string, number>();
  for (const n of nodes) if (!visible(n.batch_id)) maskedNo.set(n.batch_id, maskedNo.size + 1);
  const code = (id: string) => {
    const m = maskedNo.get(id);
    if (m) return `辖区外批次 Outside lot ${m}`;
    const d = details.get(id);
    return d?.code_serial ? codeText(ctx.config, KIND[d.kind] ?? 'production', Number(d.code_serial)) : '';
  };
  /** A counterpart of an event (source or destination): its name when the caller may see it. */
  const party = (name: string | null, id: string | null, div: string | null) =>
    name === null || id === null || div === null
      ? (name ?? '')
      : sight.visible({ subject_id: id, division_code: div })
        ? name
        : outsideName(div);
  const wb = newWorkbook();
  wb.creator = 'Suyuan 溯源';
  wb.created = new Date();
  const ev = wb.addWorksheet('事件 Events', { views: [{ state: 'frozen', ySplit: 1 }] });
  ev.columns = [
    { header: '时间 Event time', key: 'time', width: 20 },
    { header: '层级 Depth', key: 'depth', width: 8 },
    { header: '追溯码 Lot code', key: 'code', width: 24 },
    { header: '批次号 Batch', key: 'batchNo', width: 16 },
    { header: '产品 Product', key: 'product', width: 12 },
    { header: '主体 Subject', key: 'subject', width: 24 },
    { header: '区划 Division', key: 'division', width: 24 },
    { header: '环节 Step', key: 'step', width: 14 },
    { header: 'bizStep', key: 'bizStep', width: 14 },
    { header: '数量变化 Qty', key: 'qty', width: 10 },
    { header: '单位 Unit', key: 'unit', width: 6 },
    { header: '来源方 Source', key: 'source', width: 22 },
    { header: '去向方 Destination', key: 'dest', width: 22 },
    { header: '单据 References', key: 'refs', width: 30 },
    { header: '地点 Read point', key: 'readPoint', width: 20 },
    { header: '记录时间 Recorded', key: 'recorded', width: 20 },
    { header: '事件号 Event id', key: 'eventId', width: 38 },
  ];
  for (const e of events) {
    const d = details.get(e.batch_id);
    const shown = visible(e.batch_id);
    ev.addRow({
      time: e.event_time,
      depth: depth.get(e.batch_id),
      code: code(e.batch_id),
      batchNo: shown ? d?.batch_no : '',
      product: shown ? d?.product_name : '',
      subject: shown ? (e.subject_name ?? d?.subject_name) : outsideName(e.division_code),
      division: division(e.division_code),
      step: STEP_NAMES[e.biz_step] ?? e.biz_step,
      bizStep: e.biz_step,
      qty: Number(e.qty_delta),
      unit: e.unit ?? d?.unit,
      source: party(e.source_name, e.source_id, e.source_division),
      dest: party(e.dest_name, e.dest_id, e.dest_division),
      refs: shown ? (e.biz_tx as { type: string; id: string }[]).map((x) => `${x.type}:${x.id}`).join(' ') : '',
      readPoint: shown ? (e.read_point ?? '') : '',
      recorded: e.record_time,
      eventId: shown ? e.event_id : '',
    });
  }
  ev.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: ev.columns.length } };
  const bs = wb.addWorksheet('批次 Lots', { views: [{ state: 'frozen', ySplit: 1 }] });
  bs.columns = [
    { header: '层级 Depth', key: 'depth', width: 8 },
    { header: '追溯码 Lot code', key: 'code', width: 24 },
    { header: '批次号 Batch', key: 'batchNo', width: 16 },
    { header: '产品 Product', key: 'product', width: 12 },
    { header: '主体 Subject', key: 'subject', width: 24 },
    { header: '联系人 Contact', key: 'contact', width: 10 },
    { header: '电话 Phone', key: 'phone', width: 14 },
    { header: '地址 Address', key: 'address', width: 24 },
    { header: '区划 Division', key: 'division', width: 24 },
    { header: '数量 Quantity', key: 'quantity', width: 10 },
    { header: '库存 Stock', key: 'stock', width: 10 },
    { header: '单位 Unit', key: 'unit', width: 6 },
    { header: '生产时间 Produced', key: 'produced', width: 20 },
    { header: '状态 Status', key: 'status', width: 10 },
  ];
  for (const n of nodes) {
    const d = details.get(n.batch_id);
    if (!d) continue;
    const shown = visible(d.id);
    bs.addRow({
      depth: n.depth,
      code: code(d.id),
      batchNo: shown ? d.batch_no : '',
      product: shown ? d.product_name : '',
      subject: shown ? d.subject_name : outsideName(d.division_code),
      contact: shown ? d.contact_name : '',
      phone: shown ? d.contact_phone : '',
      address: shown ? d.address : '',
      division: division(d.division_code),
      quantity: Number(d.quantity),
      stock: Number(d.stock),
      unit: d.unit,
      produced: d.produced_at,
      status: d.status,
    });
  }
  bs.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: bs.columns.length } };
  const ls = wb.addWorksheet('流向 Links');
  ls.columns = [
    { header: '来源码 From', key: 'from', width: 24 },
    { header: '去向码 To', key: 'to', width: 24 },
    { header: '数量 Quantity', key: 'q', width: 10 },
    { header: '单位 Unit', key: 'u', width: 6 },
    { header: '时间 Time', key: 't', width: 20 },
    { header: 'bizStep', key: 's', width: 14 },
  ];
  for (const e of (await repo.edgesAmong(ctx.db, ids)).rows)
    ls.addRow({
      from: code(e.from_batch),
      to: code(e.to_batch),
      q: e.quantity === null ? null : Number(e.quantity),
      u: e.unit,
      t: e.event_time,
      s: e.biz_step,
    });
  ls.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: 6 } };
  const buf = await workbookBuffer(wb);
  await record(ctx, 'lineage.export', b, {
    action: 'export',
    format: 'xlsx',
    lots: nodes.length,
    events: events.length,
    masked: maskedNo.size,
  });
  return { xlsx: buf, filename: `lineage-${b.batch_no}.xlsx`, events: events.length, lots: nodes.length };
}
