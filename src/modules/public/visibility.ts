import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { ancestorsOf, inScope } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import type { DB } from '../../schema.js';
import { CERT_TYPE_LABELS } from '../catalog/schemas.js';
import type { RawResolution } from '../codes/resolve.js';
import type { Resolution } from '../codes/schemas.js';
import { CERTIFICATIONS, ORG_FORMS } from '../subjects/service.js';
import type { OriginDoc, PublicDoc, Reach, RecallInfo, RiskInfo, TraceNode, TraceView } from './schemas.js';
import { maskPersonName, maskedProducerName } from '../../kernel/idcodes.js';

export type { OriginDoc, PublicDoc, Reach, RecallInfo, TraceView };

/**
 * Visibility of trace information — seed 003 五、合理设置查询权限, in ONE place. Every trace read (the public page,
 * its JSON twin, the authenticated trace view) asks this module what the viewer may see:
 *
 *   consumer  (anyone, anonymous)  origin information only (产地追溯信息): product, producer (masked), origin
 *                                  division and base, harvest date, certificates, marks, public tests, recall.
 *   producer  (生产经营主体)        its own batches in full, plus ONE step upstream (the batches its batch came from)
 *                                  and ONE step downstream (the batches made from it / sold into); a batch one
 *                                  step away is shown as a node, never its further neighbours.
 *   regulator (监管部门)            everything whose division is inside its jurisdiction (本辖区); lineage nodes
 *                                  outside it are counted but not shown.
 *
 * The queries live here (the data layer); services and routes never read batch lineage for display elsewhere.
 */
export type Viewer =
  | { role: 'consumer' }
  | { role: 'producer'; subjectId: string }
  | { role: 'regulator'; scope: string };

export async function viewerOf(ctx: Ctx<Actor | null>): Promise<Viewer> {
  const a = ctx.actor;
  if (!a) return { role: 'consumer' };
  if (a.orgKind === 'producer') {
    const s = await ctx.db.selectFrom('subject').select('id').where('org_id', '=', a.orgId).executeTakeFirst();
    return s ? { role: 'producer', subjectId: s.id } : { role: 'consumer' };
  }
  return { role: 'regulator', scope: a.scope };
}

// ── the code resolver (resolveTraceCode) ─────────────────────────────────────
/**
 * What a viewer sees of the holder behind a scanned or typed code: consumers see the origin producer only (a buyer
 * behind a circulation code or voucher is not named: seed 003 一(四)5), with an individual's name masked; a producer
 * sees itself in full; a regulator sees in full what lies inside its jurisdiction and, outside it, what a consumer
 * sees.
 */
export function visibleResolution(viewer: Viewer, raw: RawResolution): Resolution {
  const { holder, ...rest } = raw;
  if (holder === undefined) return rest;
  if (!holder) return { ...rest, subject: null };
  const full =
    (viewer.role === 'producer' && viewer.subjectId === holder.id) ||
    (viewer.role === 'regulator' && inScope(viewer.scope, holder.divisionCode));
  if (!full && !holder.isOrigin) return { ...rest, subject: null };
  return {
    ...rest,
    subject: {
      id: holder.id,
      name: full ? holder.name : maskedProducerName(holder.name, holder.orgForm),
      ...(holder.status ? { status: holder.status } : {}),
    },
  };
}

// ── recall: one function, connected to issue 5's recall ──────────────────────
/**
 * Is the batch under recall (召回)? Issue 5 records which batches an open recall covers (the recalled batch and
 * everything downstream of it) in `recall_batch`; the view `batch_recall_status` lists the open ones. The only
 * place the public page asks.
 */
export async function recallOf(db: Kysely<DB>, batchId: string): Promise<RecallInfo | null> {
  const r = await db
    .selectFrom('batch_recall_status')
    .select(['batch_id', 'number', 'level', 'reason', 'opened_at'])
    .where('batch_id', '=', batchId)
    .orderBy('opened_at')
    .limit(1)
    .executeTakeFirst();
  return r
    ? {
        batchId: r.batch_id,
        number: r.number,
        level: r.level,
        at: new Date(r.opened_at).toISOString(),
        reason: r.reason,
      }
    : null;
}

/**
 * Is the batch, or a batch it came from, under an open risk case (风险处置: an official test failed and the county
 * has not closed the case)? The public page then says so instead of "valid". A database trigger on `risk_case`
 * invalidates the projections downstream of the case's batch.
 */
export async function riskOf(db: Kysely<DB>, batchId: string): Promise<RiskInfo | null> {
  const r = await sql<{ created_at: Date; product_name: string; failed_items: { item: string }[] }>`
    WITH RECURSIVE up(batch_id) AS (
      SELECT ${batchId}::uuid
      UNION
      SELECT e.from_batch FROM trace_edge e JOIN up u ON e.to_batch = u.batch_id
    )
    SELECT r.created_at, r.product_name, r.failed_items FROM risk_case r JOIN up u ON r.batch_id = u.batch_id
    WHERE r.status <> 'closed' ORDER BY r.created_at LIMIT 1`.execute(db);
  const row = r.rows[0];
  return row
    ? {
        at: new Date(row.created_at).toISOString(),
        productName: row.product_name,
        items: (row.failed_items ?? []).map((f) => f.item).join('、'),
      }
    : null;
}

// ── lineage, one step and transitive ────────────────────────────────────────
const oneStep = async (db: Kysely<DB>, batchId: string) => {
  const up = await db.selectFrom('trace_edge').select('from_batch as id').where('to_batch', '=', batchId).execute();
  const down = await db.selectFrom('trace_edge').select('to_batch as id').where('from_batch', '=', batchId).execute();
  return { up: [...new Set(up.map((r) => r.id))], down: [...new Set(down.map((r) => r.id))] };
};

async function walk(
  db: Kysely<DB>,
  batchId: string,
  direction: 'forward' | 'backward',
  limit = 500,
): Promise<string[]> {
  const step =
    direction === 'forward'
      ? sql`SELECT e.to_batch FROM trace_edge e JOIN walk w ON e.from_batch = w.batch_id`
      : sql`SELECT e.from_batch FROM trace_edge e JOIN walk w ON e.to_batch = w.batch_id`;
  const r = await sql<{ batch_id: string }>`
    WITH RECURSIVE walk(batch_id) AS (SELECT ${batchId}::uuid UNION ${step})
    SELECT batch_id FROM walk WHERE batch_id <> ${batchId}::uuid LIMIT ${limit}`.execute(db);
  return r.rows.map((x) => x.batch_id);
}

// ── consumer level: the public (origin) document ─────────────────────────────
const maskPhone = (p: string | null) => (p && p.length >= 7 ? `${p.slice(0, 3)}****${p.slice(-4)}` : null);
export { maskPersonName, maskedProducerName };

async function divisionNames(db: Kysely<DB>, codes: string[]): Promise<Map<string, string>> {
  const want = [...new Set(codes.filter(Boolean))];
  const out = new Map<string, string>();
  if (!want.length) return out;
  const prefixes = [...new Set(want.flatMap(ancestorsOf))];
  const rows = await db.selectFrom('division').select(['code', 'name']).where('code', 'in', prefixes).execute();
  const name = new Map(rows.map((r) => [r.code, r.name]));
  for (const c of want)
    out.set(
      c,
      ancestorsOf(c)
        .map((a) => name.get(a) ?? '')
        .join(''),
    );
  return out;
}

const SELF_CHECK: Record<string, string> = { pass: '自检合格', fail: '自检不合格', untested: '未自检' };

async function originOf(db: Kysely<DB>, batchIds: string[]): Promise<OriginDoc[]> {
  if (!batchIds.length) return [];
  const rows = await db
    .selectFrom('batch as b')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .innerJoin('subject as s', 's.id', 'b.subject_id')
    .leftJoin('base as ba', 'ba.id', 'b.base_id')
    .select([
      'b.id',
      'b.batch_no',
      'b.produced_at',
      'b.self_check',
      'b.division_code',
      'b.unit',
      'p.name as product_name',
      'p.classification',
      'p.certifications as product_certs',
      's.name as subject_name',
      's.org_form',
      's.division_code as subject_division',
      's.identity_code',
      's.contact_phone',
      's.certifications as subject_certs',
      'ba.name as base_name',
      'ba.division_code as base_division',
    ])
    .where('b.id', 'in', batchIds)
    .orderBy('b.produced_at')
    .execute();
  const names = await divisionNames(
    db,
    rows.flatMap((r) => [r.division_code, r.subject_division, r.base_division ?? '']),
  );
  const tests = await db
    .selectFrom('trace_event')
    .select(['batch_id', 'event_time', 'payload'])
    .where('batch_id', 'in', batchIds)
    .where('biz_step', '=', 'inspecting')
    .where(sql<boolean>`coalesce((payload->>'public')::boolean, true)`)
    .orderBy('event_time')
    .execute();
  const certs = await db
    .selectFrom('certificate')
    .select(['batch_id', 'number', 'issued_at'])
    .where('batch_id', 'in', batchIds)
    .orderBy('issued_at')
    .execute();
  return rows.map((r) => {
    const pc =
      (r.product_certs as unknown as { type: keyof typeof CERT_TYPE_LABELS; number?: string; validTo?: string }[]) ??
      [];
    return {
      batchNo: r.batch_no,
      product: { name: r.product_name, classification: r.classification, unit: r.unit },
      producer: {
        name: maskedProducerName(r.subject_name, r.org_form),
        orgForm: r.org_form,
        orgFormName: ORG_FORMS[r.org_form]?.zh ?? r.org_form,
        divisionName: names.get(r.subject_division) ?? '',
        identityCode: r.identity_code,
        phone: maskPhone(r.contact_phone),
      },
      divisionCode: r.division_code,
      divisionName: names.get(r.division_code) ?? '',
      base: r.base_name ? { name: r.base_name, divisionName: names.get(r.base_division ?? '') ?? '' } : null,
      harvestDate: new Date(new Date(r.produced_at).getTime() + 8 * 3600_000).toISOString().slice(0, 10),
      selfCheck: { result: r.self_check, text: SELF_CHECK[r.self_check] ?? r.self_check },
      marks: [
        ...pc.map((c) => ({
          type: c.type,
          name: CERT_TYPE_LABELS[c.type]?.zh ?? c.type,
          number: c.number ?? null,
          validTo: c.validTo ?? null,
        })),
        ...(r.subject_certs ?? [])
          .filter((t) => !pc.some((c) => c.type === t))
          .map((t) => ({
            type: t,
            name: (CERTIFICATIONS as Record<string, { zh: string }>)[t]?.zh ?? t,
            number: null,
            validTo: null,
          })),
      ],
      tests: tests
        .filter((t) => t.batch_id === r.id)
        .map((t) => {
          const p = t.payload as Record<string, unknown>;
          return {
            item: String(p.item ?? p.items ?? '快速检测'),
            result: String(p.result ?? ''),
            at: new Date(t.event_time).toISOString(),
            agency: p.agency ? String(p.agency) : null,
          };
        }),
      certificates: certs
        .filter((c) => c.batch_id === r.id)
        .map((c) => ({ number: c.number, issuedAt: c.issued_at.toISOString(), verifyPath: `/t/${c.number}` })),
    };
  });
}

/** Builds the consumer-level document of a batch: its production origin(s) — never anything downstream. */
export async function buildPublicDoc(db: Kysely<DB>, batchId: string): Promise<PublicDoc> {
  const b = await db.selectFrom('batch').select(['id', 'kind']).where('id', '=', batchId).executeTakeFirstOrThrow();
  let originIds = [b.id];
  if (b.kind !== 'production') {
    const ancestors = await walk(db, b.id, 'backward');
    const prod = ancestors.length
      ? await db
          .selectFrom('batch')
          .select('id')
          .where('id', 'in', ancestors)
          .where('kind', '=', 'production')
          .execute()
      : [];
    originIds = prod.length ? prod.map((r) => r.id) : [b.id];
  }
  const origins = await originOf(db, originIds.slice(0, 10));
  return {
    batchKind: b.kind,
    origins,
    moreOrigins: Math.max(0, originIds.length - 10),
    recall: await recallOf(db, b.id),
    risk: await riskOf(db, b.id),
  };
}

/** The document, its stored text and its ETag (a hash of the text). */
export async function renderPublicDoc(
  db: Kysely<DB>,
  batchId: string,
): Promise<{ doc: PublicDoc; text: string; etag: string }> {
  const doc = await buildPublicDoc(db, batchId);
  const text = JSON.stringify(doc);
  return { doc, text, etag: createHash('sha1').update(text).digest('base64url').slice(0, 16) };
}

/**
 * The stored projection, rebuilt when the triggers invalidated it. One indexed read on the hot path. A build here
 * fills a missing row or the builder's placeholder, never replaces a document (it may have read the batch before a
 * change the document already shows: prebuild.ts).
 */
export async function publicDocOf(
  db: Kysely<DB>,
  batchId: string,
  have?: { doc: unknown; etag: string } | null,
): Promise<{ doc: PublicDoc; etag: string }> {
  if (have?.doc) return { doc: have.doc as PublicDoc, etag: have.etag };
  const { doc, text, etag } = await renderPublicDoc(db, batchId);
  await sql`INSERT INTO public_trace (batch_id, doc, etag) VALUES (${batchId}::uuid, ${text}::jsonb, ${etag})
            ON CONFLICT (batch_id) DO UPDATE SET doc = EXCLUDED.doc, etag = EXCLUDED.etag, built_at = now()
            WHERE public_trace.etag = ''`.execute(db);
  return { doc, etag };
}

// ── producer and regulator levels: the trace view ───────────────────────────
export type NodeDto = TraceNode;

async function nodes(db: Kysely<DB>, ids: string[]): Promise<NodeDto[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('batch as b')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .innerJoin('subject as s', 's.id', 'b.subject_id')
    .select([
      'b.id',
      'b.batch_no',
      'b.kind',
      'b.subject_id',
      'b.division_code',
      'b.produced_at',
      'b.quantity',
      'b.stock',
      'b.unit',
      'b.status',
      'p.name as product_name',
      's.name as subject_name',
    ])
    .where('b.id', 'in', ids)
    .orderBy('b.produced_at')
    .execute();
  return rows.map((r) => ({
    batchId: r.id,
    batchNo: r.batch_no,
    kind: r.kind,
    productName: r.product_name,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    divisionCode: r.division_code,
    producedAt: new Date(r.produced_at).toISOString(),
    quantity: Number(r.quantity),
    stock: Number(r.stock),
    unit: r.unit,
    status: r.status,
  }));
}

/** How far the viewer reaches to a batch (consumers: never beyond the public document). */
export async function reachOf(
  db: Kysely<DB>,
  viewer: Viewer,
  batch: { id: string; subject_id: string; division_code: string },
): Promise<Reach> {
  if (viewer.role === 'consumer') return 'none';
  if (viewer.role === 'regulator') return inScope(viewer.scope, batch.division_code) ? 'jurisdiction' : 'none';
  if (batch.subject_id === viewer.subjectId) return 'own';
  // One step from one of the viewer's own batches, in either direction.
  const r = await sql<{ n: number }>`
    SELECT 1 AS n FROM trace_edge e JOIN batch b ON b.id = CASE WHEN e.from_batch = ${batch.id}::uuid THEN e.to_batch ELSE e.from_batch END
    WHERE (e.from_batch = ${batch.id}::uuid OR e.to_batch = ${batch.id}::uuid) AND b.subject_id = ${viewer.subjectId}::uuid LIMIT 1`.execute(
    db,
  );
  return r.rows.length ? 'neighbour' : 'none';
}

/** The authenticated trace view of one batch, cut to the viewer's reach; null when it is outside it. */
export async function traceView(db: Kysely<DB>, viewer: Viewer, batchId: string): Promise<TraceView | null> {
  const b = await db
    .selectFrom('batch')
    .select(['id', 'subject_id', 'division_code'])
    .where('id', '=', batchId)
    .executeTakeFirst();
  if (!b) return null;
  const reach = await reachOf(db, viewer, b);
  if (reach === 'none') return null;
  const [self] = await nodes(db, [b.id]);
  const origin = (await publicDocOf(db, b.id, await projectionRow(db, b.id))).doc;
  let up: string[] = [];
  let down: string[] = [];
  let hiddenUp = 0;
  let hiddenDown = 0;
  if (reach === 'jurisdiction' && viewer.role === 'regulator') {
    const allUp = await nodes(db, await walk(db, b.id, 'backward'));
    const allDown = await nodes(db, await walk(db, b.id, 'forward'));
    const inside = (n: NodeDto) => inScope(viewer.scope, n.divisionCode);
    up = allUp.filter(inside).map((n) => n.batchId);
    down = allDown.filter(inside).map((n) => n.batchId);
    hiddenUp = allUp.length - up.length;
    hiddenDown = allDown.length - down.length;
  } else if (reach === 'own') {
    const s = await oneStep(db, b.id);
    up = s.up;
    down = s.down;
    const further = async (ids: string[], dir: 'forward' | 'backward') => {
      let n = 0;
      for (const id of ids) n += (await walk(db, id, dir, 1000)).filter((x) => !ids.includes(x)).length;
      return n;
    };
    hiddenUp = await further(up, 'backward');
    hiddenDown = await further(down, 'forward');
  } else {
    // A neighbour's batch: the node itself only; its own lineage is beyond reach.
    const s = await oneStep(db, b.id);
    hiddenUp = s.up.length;
    hiddenDown = s.down.length;
    const mine = await db
      .selectFrom('batch')
      .select('id')
      .where('id', 'in', [...s.up, ...s.down, b.id])
      .where('subject_id', '=', (viewer as { subjectId: string }).subjectId)
      .execute();
    const mineIds = new Set(mine.map((r) => r.id));
    up = s.up.filter((id) => mineIds.has(id));
    down = s.down.filter((id) => mineIds.has(id));
    hiddenUp -= up.length;
    hiddenDown -= down.length;
  }
  const evs =
    reach === 'neighbour'
      ? []
      : await db
          .selectFrom('trace_event')
          .select(['event_id', 'biz_step', 'stage', 'disposition', 'event_time', 'qty_delta', 'subject_id'])
          .where('batch_id', '=', b.id)
          .orderBy('id')
          .limit(500)
          .execute();
  return {
    reach,
    batch: self,
    origin,
    events: evs.map((e) => ({
      eventId: e.event_id,
      bizStep: e.biz_step,
      stage: e.stage,
      disposition: e.disposition,
      eventTime: new Date(e.event_time).toISOString(),
      qtyDelta: Number(e.qty_delta),
      subjectId: e.subject_id,
    })),
    upstream: await nodes(db, up),
    downstream: await nodes(db, down),
    hiddenUpstream: hiddenUp,
    hiddenDownstream: hiddenDown,
  };
}

export const projectionRow = (db: Kysely<DB>, batchId: string) =>
  db.selectFrom('public_trace').select(['doc', 'etag']).where('batch_id', '=', batchId).executeTakeFirst();

/** May this viewer browse query logs / scan counts of a code owned by `subjectId` in `divisionCode`? */
export function mayReadLogsOf(
  viewer: Viewer,
  owner: { subjectId: string | null; divisionCode: string | null },
): boolean {
  if (viewer.role === 'consumer') return false;
  if (viewer.role === 'producer') return owner.subjectId === viewer.subjectId;
  return owner.divisionCode !== null && inScope(viewer.scope, owner.divisionCode);
}
