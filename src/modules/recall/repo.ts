import { type Insertable, type Kysely, type Updateable, sql } from 'kysely';
import { type ReadScope, likePrefix, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type {
  DB,
  NetworkRecallProgressTable,
  NetworkRecallTable,
  RecallNoticeTable,
  RecallStatus,
  RecallTable,
} from '../../schema.js';

/** Open recalls covering any of these batches (the view batch_recall_status). */
export const openRecallsOf = (db: Kysely<DB>, batchIds: string[]) =>
  db.selectFrom('batch_recall_status').selectAll().where('batch_id', 'in', batchIds).execute();

/** The number of today's recalls so far (numbers are ZH + date + sequence). */
export const countNumbered = async (db: Kysely<DB>, prefix: string) =>
  Number(
    (
      await db
        .selectFrom('recall')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('number', 'like', likePrefix(prefix))
        .executeTakeFirstOrThrow()
    ).n,
  );

export const insertRecall = (db: Kysely<DB>, v: Insertable<RecallTable>) =>
  db.insertInto('recall').values(v).returning('id').executeTakeFirstOrThrow();

export const updateRecall = (db: Kysely<DB>, id: string, v: Updateable<RecallTable>) =>
  db.updateTable('recall').set(v).where('id', '=', id).execute();

/** Forward trace, set-based: marks the batch and every descendant as covered by the recall. */
export const coverDescendants = (db: Kysely<DB>, recallId: string, batchId: string) =>
  sql`
    WITH RECURSIVE down(batch_id, depth) AS (
      SELECT ${batchId}::uuid, 0
      UNION SELECT e.to_batch, d.depth + 1 FROM trace_edge e JOIN down d ON e.from_batch = d.batch_id WHERE d.depth < 1000)
    INSERT INTO recall_batch (recall_id, batch_id, depth)
    SELECT ${recallId}::uuid, batch_id, min(depth) FROM down GROUP BY batch_id`.execute(db);

/** Holders inside the platform: the owner of each covered batch (one notice per batch). */
export const noticeOwners = (db: Kysely<DB>, recallId: string) =>
  sql`
    INSERT INTO recall_notice (recall_id, holder_subject_id, holder_name, contact_name, phone, division_code, batch_id, quantity, unit, status)
    SELECT ${recallId}::uuid, s.id, s.name, s.contact_name, s.contact_phone, b.division_code, b.id, b.stock, b.unit, 'notified'
    FROM recall_batch rb JOIN batch b ON b.id = rb.batch_id JOIN subject s ON s.id = b.subject_id
    WHERE rb.recall_id = ${recallId}::uuid`.execute(db);

/** Holders reached through a sale and not (yet) in the platform: unregistered buyers, markets, unconfirmed buyers. */
export const noticeBuyers = (db: Kysely<DB>, recallId: string) =>
  sql`
    INSERT INTO recall_notice (recall_id, holder_subject_id, holder_name, contact_name, phone, division_code, batch_id, sale_id, quantity, unit, status)
    SELECT ${recallId}::uuid, sa.buyer_subject_id, sa.buyer_name, bs.contact_name, coalesce(sa.buyer_phone, bs.contact_phone), coalesce(sa.buyer_division, bs.division_code),
           sa.batch_id, sa.id, sa.quantity, sa.unit, CASE WHEN sa.buyer_subject_id IS NULL THEN 'external' ELSE 'notified' END
    FROM recall_batch rb JOIN sale sa ON sa.batch_id = rb.batch_id LEFT JOIN subject bs ON bs.id = sa.buyer_subject_id
    WHERE rb.recall_id = ${recallId}::uuid AND (sa.status = 'vouchered' OR sa.status = 'pending')`.execute(db);

/** The organisations of the registered holders of a recall. */
export const holderOrgs = (db: Kysely<DB>, recallId: string) =>
  db
    .selectFrom('recall_notice as n')
    .innerJoin('subject as s', 's.id', 'n.holder_subject_id')
    .select(['s.org_id', 's.division_code'])
    .distinct()
    .where('n.recall_id', '=', recallId)
    .execute();

export const recallById = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('recall as r')
    .innerJoin('batch as b', 'b.id', 'r.batch_id')
    .innerJoin('product as p', 'p.id', 'b.product_id')
    .innerJoin('subject as s', 's.id', 'r.subject_id')
    .selectAll('r')
    .select(['b.batch_no', 'b.kind as batch_kind', 'b.code_serial', 'p.name as product_name', 's.name as subject_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();

/** A holder's notices of a recall. */
export const noticesOfHolder = (db: Kysely<DB>, recallId: string, subjectId: string) =>
  db
    .selectFrom('recall_notice')
    .select(['id', 'status'])
    .where('recall_id', '=', recallId)
    .where('holder_subject_id', '=', subjectId)
    .execute();

/** Every notice of a recall, with the batch's code and the sale's voucher. */
export const notices = (db: Kysely<DB>, recallId: string) =>
  db
    .selectFrom('recall_notice as n')
    .leftJoin('batch as b', 'b.id', 'n.batch_id')
    .leftJoin('sale as sa', 'sa.id', 'n.sale_id')
    .selectAll('n')
    .select(['b.batch_no', 'b.kind as batch_kind', 'b.code_serial', 'sa.voucher_serial'])
    .where('n.recall_id', '=', recallId)
    .orderBy('n.status')
    .orderBy('n.holder_name')
    .execute();

export const countCovered = async (db: Kysely<DB>, recallId: string) =>
  Number(
    (
      await db
        .selectFrom('recall_batch')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('recall_id', '=', recallId)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Acknowledges a holder's pending notices; returns how many. */
export const acknowledgeNotices = async (
  db: Kysely<DB>,
  recallId: string,
  subjectId: string,
  v: Updateable<RecallNoticeTable>,
) =>
  Number(
    (
      await db
        .updateTable('recall_notice')
        .set(v)
        .where('recall_id', '=', recallId)
        .where('holder_subject_id', '=', subjectId)
        .where('status', '=', 'notified')
        .executeTakeFirst()
    ).numUpdatedRows,
  );

export const organisationById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('organisation').select(['id', 'division_code']).where('id', '=', id).executeTakeFirst();

/** Recalls visible to a reader: a producer's own and those it holds notices of; a regulator's jurisdiction. */
export function listRecalls(db: Kysely<DB>, rs: ReadScope, f: { status?: RecallStatus }, p: PageParams) {
  let q = db
    .selectFrom('recall as r')
    .innerJoin('batch as b', 'b.id', 'r.batch_id')
    .innerJoin('product as p', 'p.id', 'b.product_id');
  if ('subjectId' in rs)
    q = q.where((eb) =>
      eb.or([
        eb('r.subject_id', '=', rs.subjectId),
        eb.exists(
          eb
            .selectFrom('recall_notice as n')
            .select('n.id')
            .whereRef('n.recall_id', '=', 'r.id')
            .where('n.holder_subject_id', '=', rs.subjectId),
        ),
      ]),
    );
  else q = q.where((eb) => scopeFilter(eb, 'r.division_code', rs.scope));
  if (f.status) q = q.where('r.status', '=', f.status);
  const rows = q
    .select([
      'r.id',
      'r.number',
      'r.status',
      'r.level',
      'r.reason',
      'r.opened_at',
      'r.division_code',
      'b.batch_no',
      'p.name as product_name',
    ])
    .select((eb) => [
      eb
        .selectFrom('recall_notice as n')
        .select((e) => e.fn.countAll<number>().as('x'))
        .whereRef('n.recall_id', '=', 'r.id')
        .where('n.status', '<>', 'external')
        .as('holders'),
      eb
        .selectFrom('recall_notice as n')
        .select((e) => e.fn.countAll<number>().as('x'))
        .whereRef('n.recall_id', '=', 'r.id')
        .where('n.status', '=', 'acknowledged')
        .as('acknowledged'),
    ])
    .orderBy('r.opened_at', 'desc');
  return paged(rows, p);
}

// ── recalls across platforms (issue 15 item 3) ──────────────────────────────
/** The batch a code of this platform names (trace_code: kind digit and serial). */
export const batchIdOfCode = (db: Kysely<DB>, kind: number, serial: number) =>
  db
    .selectFrom('trace_code')
    .select('batch_id')
    .where('kind', '=', kind)
    .where('serial', '=', serial)
    .where('batch_id', 'is not', null)
    .executeTakeFirst();

export const insertNetworkRecall = (db: Kysely<DB>, v: Insertable<NetworkRecallTable>) =>
  db.insertInto('network_recall').values(v).execute();

export const countNetworkNumbered = async (db: Kysely<DB>, prefix: string) =>
  Number(
    (
      await db
        .selectFrom('network_recall')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('number', 'like', `${prefix}%`)
        .executeTakeFirstOrThrow()
    ).n,
  );

export const recallNumberTaken = (db: Kysely<DB>, number: string) =>
  db.selectFrom('recall').select('id').where('number', '=', number).executeTakeFirst();

export const networkRecallById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('network_recall').selectAll().where('id', '=', id).executeTakeFirst();

/** Network recalls whose root lot is inside the scope, newest first. */
export const listNetworkRecalls = (db: Kysely<DB>, scope: string, p: PageParams) =>
  paged(
    db
      .selectFrom('network_recall as r')
      .selectAll('r')
      .select((eb) => [
        eb
          .selectFrom('network_recall_progress as g')
          .select((e) => e.fn.coalesce(e.fn.sum<number>('g.holders'), e.lit(0)).as('h'))
          .whereRef('g.network_recall_id', '=', 'r.id')
          .as('holders'),
        eb
          .selectFrom('network_recall_progress as g')
          .select((e) => e.fn.coalesce(e.fn.sum<number>('g.acknowledged'), e.lit(0)).as('a'))
          .whereRef('g.network_recall_id', '=', 'r.id')
          .as('acknowledged'),
      ])
      .where((eb) => scopeFilter(eb, 'r.division_code', scope))
      .orderBy('r.opened_at', 'desc')
      .orderBy('r.id'),
    p,
  );

/** The progress reports of a network recall, one per recall opened on a holder's platform. */
export const progressOf = (db: Kysely<DB>, networkRecallId: string) =>
  db
    .selectFrom('network_recall_progress')
    .selectAll()
    .where('network_recall_id', '=', networkRecallId)
    .orderBy('platform')
    .orderBy('number')
    .execute();

/** Keeps a platform's report unless a later one is already kept (messages may arrive out of order). */
export const upsertProgress = (db: Kysely<DB>, v: Insertable<NetworkRecallProgressTable>) =>
  db
    .insertInto('network_recall_progress')
    .values(v)
    .onConflict((oc) =>
      oc
        .columns(['network_recall_id', 'recall_id'])
        .doUpdateSet((eb) => ({
          number: eb.ref('excluded.number'),
          status: eb.ref('excluded.status'),
          holders: eb.ref('excluded.holders'),
          acknowledged: eb.ref('excluded.acknowledged'),
          external: eb.ref('excluded.external'),
          recovered: eb.ref('excluded.recovered'),
          notices: eb.ref('excluded.notices'),
          reported_at: eb.ref('excluded.reported_at'),
          received_at: sql<Date>`now()`,
        }))
        .whereRef('network_recall_progress.reported_at', '<=', 'excluded.reported_at'),
    )
    .execute();
