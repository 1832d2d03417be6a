import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../schema.js';

/**
 * Lineage queries over issue 4's trace_edge: one statement each, so a trace is one round trip. The walk is a
 * recursive CTE that follows one index per step (trace_edge PK forward, trace_edge_to_idx backward); UNION over
 * (batch, depth) keeps diamonds finite and the depth cap bounds every walk; nodes take their minimum depth.
 */
export interface NodeRow {
  id: string;
  depth: number;
  kind: string;
  batchNo: string;
  codeSerial: number | null;
  productName: string;
  subjectId: string;
  subjectName: string;
  divisionCode: string;
  quantity: number;
  stock: number;
  unit: string;
  producedAt: string;
  createdAt: string;
  status: string;
  recall: string | null;
}
export interface EdgeRow {
  from: string;
  to: string;
  /** Owner and division of both ends: what the jurisdiction mask needs even when an end is not on the page. */
  fromSubject: string;
  fromDivision: string;
  toSubject: string;
  toDivision: string;
  quantity: number | null;
  unit: string | null;
  time: string;
  bizStep: string;
}

function walk(direction: 'forward' | 'backward', root: string, maxDepth: number, name: string): RawBuilder<unknown> {
  const step =
    direction === 'forward'
      ? sql`SELECT e.to_batch, w.depth + 1 FROM trace_edge e JOIN ${sql.raw(name)} w ON e.from_batch = w.batch_id WHERE w.depth < ${maxDepth}`
      : sql`SELECT e.from_batch, w.depth + 1 FROM trace_edge e JOIN ${sql.raw(name)} w ON e.to_batch = w.batch_id WHERE w.depth < ${maxDepth}`;
  return sql`${sql.raw(name)}(batch_id, depth) AS (SELECT ${root}::uuid, 0 UNION ${step})`;
}

const NODE_JSON = sql`json_build_object(
  'id', b.id, 'depth', p.depth, 'kind', b.kind, 'batchNo', b.batch_no, 'codeSerial', b.code_serial, 'productName', pr.name, 'subjectId', b.subject_id,
  'subjectName', s.name, 'divisionCode', b.division_code, 'quantity', b.quantity, 'stock', b.stock, 'unit', b.unit, 'producedAt', b.produced_at,
  'createdAt', b.created_at, 'status', b.status,
  'recall', (SELECT r.number FROM batch_recall_status r WHERE r.batch_id = b.id LIMIT 1))`;

const EDGE_JSON = sql`json_build_object('from', e.from_batch, 'to', e.to_batch, 'quantity', e.quantity, 'unit', e.unit, 'time', t.event_time, 'bizStep', t.biz_step,
  'fromSubject', bf.subject_id, 'fromDivision', bf.division_code, 'toSubject', bt.subject_id, 'toDivision', bt.division_code)`;
const EDGE_ENDS = sql`JOIN batch bf ON bf.id = e.from_batch JOIN batch bt ON bt.id = e.to_batch`;

/** An instant as JavaScript's toISOString() writes it (UTC, milliseconds, Z), so spliced text reads as before. */
const iso = (col: RawBuilder<unknown>) => sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * One trace page as text the service splices into the reply without parsing (issue 19): `nodes` and `edges` are
 * records joined by chr(2); a record is its mask facts joined by chr(1), then chr(1) and the JSON object of every
 * field that needs no decision (json_build_object escapes control characters, so neither separator occurs inside).
 * Node facts: id, subject id, division code, kind, code serial ('' when none); edge facts: from, to, and the owner and
 * division of both ends (what the jurisdiction mask needs even when an end is not on the page).
 */
export interface TraceText {
  total: number;
  nodes: string;
  edges: string;
}
export const SEP_FIELD = '\u0001';
export const SEP_RECORD = '\u0002';

const NODE_TEXT = sql`b.id::text || chr(1) || b.subject_id::text || chr(1) || b.division_code || chr(1) || b.kind || chr(1) || coalesce(b.code_serial::text, '') || chr(1) ||
  json_build_object('depth', p.depth, 'kind', b.kind, 'batchNo', b.batch_no, 'productName', pr.name, 'subjectId', b.subject_id, 'subjectName', s.name,
  'divisionCode', b.division_code, 'quantity', b.quantity::float8, 'stock', b.stock::float8, 'unit', b.unit, 'producedAt', ${iso(sql`b.produced_at`)},
  'createdAt', ${iso(sql`b.created_at`)}, 'status', b.status,
  'recall', (SELECT r.number FROM batch_recall_status r WHERE r.batch_id = b.id LIMIT 1))::text`;

const EDGE_TEXT = sql`e.from_batch::text || chr(1) || e.to_batch::text || chr(1) || bf.subject_id::text || chr(1) || bf.division_code || chr(1) ||
  bt.subject_id::text || chr(1) || bt.division_code || chr(1) ||
  json_build_object('quantity', e.quantity::float8, 'unit', e.unit, 'time', ${iso(sql`t.event_time`)}, 'bizStep', t.biz_step)::text`;

/**
 * The SQL of one direction's trace page, the one statement `traceForward` / `traceBackward` run (bench/chain measures
 * the endpoint against it): total, the page's nodes with details, and the edges into
 * them from the walk.
 */
export function traceSql(
  direction: 'forward' | 'backward',
  root: string,
  o: { maxDepth: number; limit: number; offset: number },
) {
  const near = direction === 'forward' ? sql`e.to_batch` : sql`e.from_batch`;
  const far = direction === 'forward' ? sql`e.from_batch` : sql`e.to_batch`;
  return sql<TraceText>`
    WITH RECURSIVE ${walk(direction, root, o.maxDepth, 'w')},
    nodes AS (SELECT batch_id, min(depth) AS depth FROM w GROUP BY batch_id),
    page AS (SELECT batch_id, depth FROM nodes ORDER BY depth, batch_id LIMIT ${o.limit} OFFSET ${o.offset})
    SELECT (SELECT count(*)::int FROM nodes) AS total,
      (SELECT coalesce(string_agg(${NODE_TEXT}, chr(2) ORDER BY p.depth, p.batch_id), '')
         FROM page p JOIN batch b ON b.id = p.batch_id JOIN product pr ON pr.id = b.product_id JOIN subject s ON s.id = b.subject_id) AS nodes,
      (SELECT coalesce(string_agg(${EDGE_TEXT}, chr(2)), '')
         FROM page p JOIN trace_edge e ON ${near} = p.batch_id JOIN nodes n ON n.batch_id = ${far} JOIN trace_event t ON t.id = e.event_id ${EDGE_ENDS}
         WHERE p.depth > 0) AS edges`;
}

export async function trace(
  db: Kysely<DB>,
  direction: 'forward' | 'backward',
  root: string,
  o: { maxDepth: number; limit: number; offset: number },
) {
  return (await traceSql(direction, root, o).execute(db)).rows[0];
}

/** Ancestors (negative depth) and descendants of a batch, capped at `cap` nodes, and every edge among them. */
export async function graph(db: Kysely<DB>, root: string, o: { maxDepth: number; cap: number }) {
  const r = await sql<{ total: number; nodes: NodeRow[]; edges: EdgeRow[] }>`
    WITH RECURSIVE ${walk('backward', root, o.maxDepth, 'up')}, ${walk('forward', root, o.maxDepth, 'down')},
    allnodes AS (
      SELECT batch_id, -min(depth) AS depth FROM up GROUP BY batch_id
      UNION ALL SELECT batch_id, min(depth) FROM down WHERE batch_id <> ${root}::uuid GROUP BY batch_id),
    page AS (SELECT batch_id, depth FROM allnodes ORDER BY abs(depth), batch_id LIMIT ${o.cap})
    SELECT (SELECT count(*)::int FROM allnodes) AS total,
      (SELECT coalesce(json_agg(${NODE_JSON} ORDER BY p.depth, p.batch_id), '[]'::json)
         FROM page p JOIN batch b ON b.id = p.batch_id JOIN product pr ON pr.id = b.product_id JOIN subject s ON s.id = b.subject_id) AS nodes,
      (SELECT coalesce(json_agg(${EDGE_JSON}), '[]'::json)
         FROM trace_edge e JOIN page a ON a.batch_id = e.from_batch JOIN page z ON z.batch_id = e.to_batch JOIN trace_event t ON t.id = e.event_id ${EDGE_ENDS}) AS edges`.execute(
    db,
  );
  return r.rows[0];
}

/** Every batch id upstream and downstream of a batch (for the export and recalls), without a page. */
export async function closure(db: Kysely<DB>, root: string, maxDepth: number, cap: number) {
  const r = await sql<{ batch_id: string; depth: number }>`
    WITH RECURSIVE ${walk('backward', root, maxDepth, 'up')}, ${walk('forward', root, maxDepth, 'down')}
    SELECT batch_id, -min(depth) AS depth FROM up GROUP BY batch_id
    UNION ALL SELECT batch_id, min(depth) FROM down WHERE batch_id <> ${root}::uuid GROUP BY batch_id
    LIMIT ${cap}`.execute(db);
  return r.rows;
}

/** Every event of a set of batches, with the facts an FSMA-204-style record needs (KDEs). */
export const eventsOfBatches = (db: Kysely<DB>, ids: string[]) =>
  sql<{
    batch_id: string;
    event_id: string;
    event_type: string;
    biz_step: string;
    stage: string;
    disposition: string | null;
    event_time: Date;
    record_time: Date;
    qty_delta: string;
    unit: string | null;
    division_code: string;
    read_point: string | null;
    subject_name: string | null;
    source_name: string | null;
    source_id: string | null;
    source_division: string | null;
    dest_name: string | null;
    dest_id: string | null;
    dest_division: string | null;
    biz_tx: unknown;
    corrects: string | null;
  }>`
    SELECT t.batch_id, t.event_id, t.event_type, t.biz_step, t.stage, t.disposition, t.event_time, t.record_time, t.qty_delta, t.unit, t.division_code, t.read_point,
           s.name AS subject_name, src.name AS source_name, src.id AS source_id, src.division_code AS source_division,
           dst.name AS dest_name, dst.id AS dest_id, dst.division_code AS dest_division, t.biz_tx, t.corrects
    FROM trace_event t
    LEFT JOIN subject s ON s.id = t.subject_id LEFT JOIN subject src ON src.id = t.source_subject_id LEFT JOIN subject dst ON dst.id = t.dest_subject_id
    WHERE t.batch_id = ANY(${ids}::uuid[])
    ORDER BY t.event_time, t.id`.execute(db);

export const batchDetails = (db: Kysely<DB>, ids: string[]) =>
  sql<{
    id: string;
    subject_id: string;
    kind: string;
    batch_no: string;
    code_serial: string | null;
    product_name: string;
    subject_name: string;
    contact_name: string;
    contact_phone: string;
    address: string;
    division_code: string;
    quantity: string;
    stock: string;
    unit: string;
    produced_at: Date;
    status: string;
  }>`
    SELECT b.id, b.subject_id, b.kind, b.batch_no, b.code_serial, p.name AS product_name, s.name AS subject_name, s.contact_name, s.contact_phone, s.address, b.division_code,
           b.quantity, b.stock, b.unit, b.produced_at, b.status
    FROM batch b JOIN product p ON p.id = b.product_id JOIN subject s ON s.id = b.subject_id WHERE b.id = ANY(${ids}::uuid[])`.execute(
    db,
  );

export const edgesAmong = (db: Kysely<DB>, ids: string[]) =>
  sql<{
    from_batch: string;
    to_batch: string;
    quantity: string | null;
    unit: string | null;
    event_time: Date;
    biz_step: string;
  }>`
    SELECT e.from_batch, e.to_batch, e.quantity, e.unit, t.event_time, t.biz_step FROM trace_edge e JOIN trace_event t ON t.id = e.event_id
    WHERE e.from_batch = ANY(${ids}::uuid[]) AND e.to_batch = ANY(${ids}::uuid[]) ORDER BY t.event_time`.execute(db);

/** The traced batch's owner and division only (the access check), without the joins of a full batch row. */
export const rootOf = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('batch')
    .select(['id', 'subject_id', 'division_code', 'batch_no'])
    .where('id', '=', id)
    .executeTakeFirst();

/** The open recall covering a batch (the recall module's view), if any. */
export const openRecallOf = (db: Kysely<DB>, batchId: string) =>
  db
    .selectFrom('batch_recall_status')
    .select(['recall_id', 'number'])
    .where('batch_id', '=', batchId)
    .executeTakeFirst();

/** Certificates of the input batches and of the batches they came from (collected for re-issue). */
export const collectedCertificates = (db: Kysely<DB>, ids: string[]) =>
  sql<{ number: string; style: string; basis: string[]; own: boolean }>`
    SELECT c.number, c.style, c.basis, c.batch_id = ANY(${ids}::uuid[]) AS own FROM certificate c
    WHERE c.batch_id = ANY(${ids}::uuid[])
       OR c.batch_id IN (SELECT e.from_batch FROM trace_edge e WHERE e.to_batch = ANY(${ids}::uuid[]))
    ORDER BY c.issued_at DESC`.execute(db);
