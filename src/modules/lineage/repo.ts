import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../schema.js';

/**
 * Lineage queries over issue 4's trace_edge: one statement each, so a trace is one round trip. The walk is a
 * recursive CTE that follows one index per step (trace_edge PK forward, trace_edge_to_idx backward); UNION over
 * (batch, depth) keeps diamonds finite and the depth cap bounds every walk; nodes take their minimum depth.
 */
function walk(
  direction: 'forward' | 'backward',
  root: string | RawBuilder<unknown>,
  maxDepth: number,
  name: string,
): RawBuilder<unknown> {
  const step =
    direction === 'forward'
      ? sql`SELECT e.to_batch, w.depth + 1 FROM trace_edge e JOIN ${sql.raw(name)} w ON e.from_batch = w.batch_id WHERE w.depth < ${maxDepth}`
      : sql`SELECT e.from_batch, w.depth + 1 FROM trace_edge e JOIN ${sql.raw(name)} w ON e.to_batch = w.batch_id WHERE w.depth < ${maxDepth}`;
  const seed = typeof root === 'string' ? sql`SELECT ${root}::uuid, 0` : root;
  return sql`${sql.raw(name)}(batch_id, depth) AS (${seed} UNION ${step})`;
}

/** An instant as JavaScript's toISOString() writes it (UTC, milliseconds, Z), so spliced text reads as before. */
const iso = (col: RawBuilder<unknown>) => sql`to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Whose eyes a lineage statement reads with (mask.ts decides which): a regulator's jurisdiction (a division prefix,
 * '' national) — it may trace from a batch inside it and sees the lots inside it in full —, or a producer's subject —
 * it may trace from its own batches and sees every lot of its one-step reach. The jurisdiction is applied here, in
 * the statement: the walk starts only from an allowed root, and each lot and edge end says whether it is visible.
 */
export type SqlSight = { scope: string } | { subjectId: string };
const visibleSql = (s: SqlSight, division: RawBuilder<unknown>) =>
  'scope' in s && s.scope ? sql`(left(${division}, ${s.scope.length}) = ${s.scope})` : sql`true`;
const allowedSql = (s: SqlSight) =>
  'scope' in s ? visibleSql(s, sql`b.division_code`) : sql`(b.subject_id = ${s.subjectId}::uuid)`;

/**
 * One page of lineage as text the service splices into the reply without parsing it (issue 19):
 * - `root`: the traced batch's owner, division, batch number and whether the caller may trace from it (null: none);
 * - `nodes`, `edges`: records joined by chr(2). A node is `1|0` (visible), its id, kind and code serial ('' when none),
 *   joined by chr(1), then chr(1) and its JSON object: in full (product and owner as ids into the dictionaries) when
 *   visible, withheld fields null and no batchId when masked. An edge whose ends are both visible is its JSON object;
 *   otherwise from, to, and each end's visibility, joined by chr(1), then chr(1) and the rest of its object;
 *   (json_build_object escapes control characters, so neither separator occurs inside);
 * - `subjects`, `products`: the dictionaries (id → name) of the visible lots' owners and products, JSON built here,
 *   so a name repeated over hundreds of lots is sent once; `divisions`: the page's division codes, comma-separated.
 */
export interface TraceText {
  root: [string, string, string, boolean] | null;
  total: number;
  nodes: string;
  edges: string;
  subjects: string;
  products: string;
  divisions: string;
}
export const SEP_FIELD = '\u0001';
export const SEP_RECORD = '\u0002';

/** `pb`: the page's lots with their batch row and visibility; the node records, ordered by depth and id. */
const pageLots = (s: SqlSight) =>
  sql`pb AS MATERIALIZED (SELECT p.depth, b.id, b.kind, b.batch_no, b.code_serial, b.product_id, b.subject_id, b.division_code, b.quantity, b.stock,
      b.unit, b.produced_at, b.created_at, b.status, ${visibleSql(s, sql`b.division_code`)} AS vis FROM page p JOIN batch b ON b.id = p.batch_id)`;
const NODE_TEXT = sql`CASE WHEN b.vis THEN '1' ELSE '0' END || chr(1) || b.id::text || chr(1) || b.kind || chr(1) || coalesce(b.code_serial::text, '') || chr(1) ||
  CASE WHEN b.vis THEN json_build_object('batchId', b.id, 'depth', b.depth, 'kind', b.kind, 'batchNo', b.batch_no, 'productId', b.product_id,
    'subjectId', b.subject_id, 'divisionCode', b.division_code, 'quantity', b.quantity::float8, 'stock', b.stock::float8, 'unit', b.unit,
    'producedAt', ${iso(sql`b.produced_at`)}, 'createdAt', ${iso(sql`b.created_at`)}, 'status', b.status,
    'recall', (SELECT r.number FROM batch_recall_status r WHERE r.batch_id = b.id LIMIT 1), 'inJurisdiction', true, 'masked', false)
  ELSE json_build_object('depth', b.depth, 'kind', b.kind, 'batchNo', null, 'code', null, 'codeUrl', null, 'productId', null, 'subjectId', null,
    'divisionCode', b.division_code, 'quantity', b.quantity::float8, 'stock', b.stock::float8, 'unit', b.unit,
    'producedAt', ${iso(sql`b.produced_at`)}, 'createdAt', ${iso(sql`b.created_at`)}, 'status', b.status,
    'recall', (SELECT r.number FROM batch_recall_status r WHERE r.batch_id = b.id LIMIT 1), 'inJurisdiction', false, 'masked', true) END::text`;
/** An edge record from rows with from_batch, to_batch, fvis, tvis, quantity, unit, event_time, biz_step. */
const EDGE_TEXT = sql`CASE WHEN x.fvis AND x.tvis
    THEN json_build_object('from', x.from_batch, 'to', x.to_batch, 'quantity', x.quantity::float8, 'unit', x.unit, 'time', ${iso(sql`x.event_time`)}, 'bizStep', x.biz_step)::text
    ELSE x.from_batch::text || chr(1) || x.to_batch::text || chr(1) || CASE WHEN x.fvis THEN '1' ELSE '0' END || chr(1) || CASE WHEN x.tvis THEN '1' ELSE '0' END || chr(1) ||
      json_build_object('quantity', x.quantity::float8, 'unit', x.unit, 'time', ${iso(sql`x.event_time`)}, 'bizStep', x.biz_step)::text END`;
/** The columns after total: nodes, edges (from `edgeRows`), the dictionaries and the division codes. */
const pageColumns = (s: SqlSight, root: string, edgeRows: RawBuilder<unknown>) => sql`
      (SELECT json_build_array(b.subject_id, b.division_code, b.batch_no, ${allowedSql(s)}) FROM batch b WHERE b.id = ${root}::uuid) AS root,
      (SELECT coalesce(string_agg(${NODE_TEXT}, chr(2) ORDER BY b.depth, b.id), '') FROM pb b) AS nodes,
      (SELECT coalesce(string_agg(${EDGE_TEXT}, chr(2)), '') FROM (${edgeRows}) x) AS edges,
      (SELECT coalesce(json_object_agg(s.id, s.name), '{}')::text FROM subject s WHERE s.id IN (SELECT subject_id FROM pb WHERE vis)) AS subjects,
      (SELECT coalesce(json_object_agg(pr.id, pr.name), '{}')::text FROM product pr WHERE pr.id IN (SELECT product_id FROM pb WHERE vis)) AS products,
      (SELECT coalesce(string_agg(DISTINCT division_code, ','), '') FROM pb) AS divisions`;
/**
 * What the query record of a trace or graph reads in the same statement (kernel `auditReadSql`, passed back as
 * `record`): the root's row when the caller may trace from it (none otherwise: nothing recorded), its batch number and
 * division, the page's lots and how many of them are masked.
 */
export const RECORD_FACTS = {
  from: sql`root r JOIN batch b ON b.id = r.id`,
  batchNo: sql`b.batch_no`,
  divisionCode: sql`b.division_code`,
  lots: sql`(SELECT count(*)::int FROM pb)`,
  masked: sql`(SELECT count(*)::int FROM pb WHERE NOT pb.vis)`,
};
/** The statement's optional last CTE: the query record (a data-modifying CTE over RECORD_FACTS). */
const recordCte = (record: RawBuilder<unknown> | null | undefined) => (record ? sql`, ${record}` : sql``);

const rootCte = (s: SqlSight, root: string) =>
  sql`root AS (SELECT b.id FROM batch b WHERE b.id = ${root}::uuid AND ${allowedSql(s)})`;

/**
 * The SQL of one direction's trace page, the one statement `traceForward` / `traceBackward` run (bench/chain measures
 * the endpoint against it, without `record`): the root's access facts, total, the page's lots, the edges into them
 * from the walk, and the dictionaries of names; with `record`, the read's query record is written by the same
 * statement.
 */
export function traceSql(
  direction: 'forward' | 'backward',
  root: string,
  o: { maxDepth: number; limit: number; offset: number; sight: SqlSight; record?: RawBuilder<unknown> | null },
) {
  const near = direction === 'forward' ? sql`e.to_batch` : sql`e.from_batch`;
  const far = direction === 'forward' ? sql`e.from_batch` : sql`e.to_batch`;
  const s = o.sight;
  return sql<TraceText>`
    WITH RECURSIVE ${rootCte(s, root)}, ${walk(direction, sql`SELECT id, 0 FROM root`, o.maxDepth, 'w')},
    nodes AS (SELECT batch_id, min(depth) AS depth FROM w GROUP BY batch_id),
    page AS (SELECT batch_id, depth FROM nodes ORDER BY depth, batch_id LIMIT ${o.limit} OFFSET ${o.offset}),
    ${pageLots(s)}${recordCte(o.record)}
    SELECT (SELECT count(*)::int FROM nodes) AS total, ${pageColumns(
      s,
      root,
      sql`SELECT e.from_batch, e.to_batch, e.quantity, e.unit, t.event_time, t.biz_step,
             ${visibleSql(s, sql`bf.division_code`)} AS fvis, ${visibleSql(s, sql`bt.division_code`)} AS tvis
           FROM page p JOIN trace_edge e ON ${near} = p.batch_id JOIN nodes n ON n.batch_id = ${far} JOIN trace_event t ON t.id = e.event_id
             JOIN batch bf ON bf.id = e.from_batch JOIN batch bt ON bt.id = e.to_batch
           WHERE p.depth > 0`,
    )}`;
}

export async function trace(
  db: Kysely<DB>,
  direction: 'forward' | 'backward',
  root: string,
  o: { maxDepth: number; limit: number; offset: number; sight: SqlSight; record?: RawBuilder<unknown> | null },
) {
  return (await traceSql(direction, root, o).execute(db)).rows[0];
}

/**
 * The SQL of the whole graph (`lineageGraph`, what the web's trace page asks for a regulator): ancestors (negative
 * depth) and descendants of a batch, capped at `cap` lots, every edge among them, in the text of `TraceText`.
 */
export function graphSql(
  root: string,
  o: { maxDepth: number; cap: number; sight: SqlSight; record?: RawBuilder<unknown> | null },
) {
  const s = o.sight;
  const seed = sql`SELECT id, 0 FROM root`;
  return sql<TraceText>`
    WITH RECURSIVE ${rootCte(s, root)}, ${walk('backward', seed, o.maxDepth, 'up')}, ${walk('forward', seed, o.maxDepth, 'down')},
    allnodes AS (
      SELECT batch_id, -min(depth) AS depth FROM up GROUP BY batch_id
      UNION ALL SELECT batch_id, min(depth) FROM down WHERE batch_id <> ${root}::uuid GROUP BY batch_id),
    page AS (SELECT batch_id, depth FROM allnodes ORDER BY abs(depth), batch_id LIMIT ${o.cap}),
    ${pageLots(s)}${recordCte(o.record)}
    SELECT (SELECT count(*)::int FROM allnodes) AS total, ${pageColumns(
      s,
      root,
      sql`SELECT e.from_batch, e.to_batch, e.quantity, e.unit, t.event_time, t.biz_step, a.vis AS fvis, z.vis AS tvis
           FROM trace_edge e JOIN pb a ON a.id = e.from_batch JOIN pb z ON z.id = e.to_batch JOIN trace_event t ON t.id = e.event_id`,
    )}`;
}

export async function graph(
  db: Kysely<DB>,
  root: string,
  o: { maxDepth: number; cap: number; sight: SqlSight; record?: RawBuilder<unknown> | null },
) {
  return (await graphSql(root, o).execute(db)).rows[0];
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
