import { type Insertable, type Kysely, type Selectable, type Updateable, sql } from 'kysely';
import { likeContains, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import { latestSharedRecords } from '../../kernel/sharing.js';
import type {
  ApplicationKind,
  DB,
  SubjectApplicationTable,
  SubjectFileKind,
  SubjectStatus,
  SubjectTable,
} from '../../schema.js';
import type { SearchFilter } from './schemas.js';
import { FINAL_STATUSES } from './states.js';

/** Every query of the subjects module (subject, subject_application, subject_file; reads of accounts and files). */
export type SubjectRow = Selectable<SubjectTable> & { division_name: string | null };
export type ApplicationRow = Selectable<SubjectApplicationTable>;

// ── subjects ─────────────────────────────────────────────────────────────────────────────────────────────────────
function subjectQuery(db: Kysely<DB>) {
  return db
    .selectFrom('subject as s')
    .leftJoin('division as d', 'd.code', 's.division_code')
    .selectAll('s')
    .select('d.name as division_name');
}

export function byId(db: Kysely<DB>, id: string, lock = false): Promise<SubjectRow | undefined> {
  const q = subjectQuery(db).where('s.id', '=', id);
  return (lock ? q.forUpdate('s') : q).executeTakeFirst();
}
export function byIds(db: Kysely<DB>, ids: readonly string[]): Promise<SubjectRow[]> {
  if (!ids.length) return Promise.resolve([]);
  return subjectQuery(db).where('s.id', 'in', ids).execute();
}
export function byOrg(db: Kysely<DB>, orgId: string): Promise<SubjectRow | undefined> {
  return subjectQuery(db).where('s.org_id', '=', orgId).executeTakeFirst();
}
export function byIdentityCode(db: Kysely<DB>, code: string): Promise<SubjectRow | undefined> {
  return subjectQuery(db).where('s.identity_code', '=', code).executeTakeFirst();
}

/** Locks the subject row (serialises per-producer allocations such as user codes). */
export async function lock(db: Kysely<DB>, id: string): Promise<void> {
  await db.selectFrom('subject').select('id').where('id', '=', id).forUpdate().execute();
}

/** A live (not cancelled/revoked) subject holding this duplicate key or this credit code, other than `except`. */
export function liveDuplicate(db: Kysely<DB>, dedupKey: string, creditCode: string | null, except?: string) {
  let q = db
    .selectFrom('subject')
    .select(['id', 'name', 'status', 'division_code', 'dedup_key'])
    .where('status', 'not in', FINAL_STATUSES as SubjectStatus[])
    .where((eb) =>
      creditCode
        ? eb.or([
            eb('dedup_key', '=', dedupKey),
            eb.and([eb('cert_type', '=', 'credit_code'), eb('cert_no', '=', creditCode)]),
          ])
        : eb('dedup_key', '=', dedupKey),
    );
  if (except) q = q.where('id', '<>', except);
  return q.executeTakeFirst();
}

export type SubjectFilter = SearchFilter & { scope: string };

function filtered(db: Kysely<DB>, f: SubjectFilter) {
  let q = subjectQuery(db).where((eb) => scopeFilter(eb, 's.division_code', f.scope));
  if (f.within) {
    const within = f.within;
    q = q.where((eb) => scopeFilter(eb, 's.division_code', within));
  }
  if (f.q) q = q.where('s.name', 'like', likeContains(f.q));
  if (f.code) {
    const c = f.code.toUpperCase();
    q = q.where((eb) => eb.or([eb('s.identity_code', '=', c), eb('s.cert_no', '=', c)]));
  }
  if (f.orgForm) q = q.where('s.org_form', '=', f.orgForm);
  if (f.subjectType) q = q.where('s.subject_type', '=', f.subjectType);
  if (f.industry) q = q.where(sql<boolean>`${f.industry} = ANY(s.industries)`);
  if (f.status) q = q.where('s.status', '=', f.status);
  if (f.certification) q = q.where(sql<boolean>`${f.certification} = ANY(s.certifications)`);
  if (f.source) q = q.where('s.source', '=', f.source);
  return q;
}

/** Subjects shared from lower platforms (upward sharing, 信息归集) in scope, with the same filters on their payload. */
function sharedFiltered(db: Kysely<DB>, f: SubjectFilter) {
  const field = (k: string) => sql<string>`r.payload->>${k}`;
  const has = (k: string, v: string) => sql<boolean>`r.payload->${k} @> ${JSON.stringify([v])}::jsonb`;
  let q = latestSharedRecords(db, 'subject', f.scope);
  if (f.within) {
    const within = f.within;
    q = q.where((eb) => scopeFilter(eb, 'r.division_code', within));
  }
  if (f.q) q = q.where(field('name'), 'like', likeContains(f.q));
  if (f.code) {
    const c = f.code.toUpperCase();
    q = q.where((eb) => eb.or([eb(field('identityCode'), '=', c), eb(field('certNo'), '=', c)]));
  }
  if (f.orgForm) q = q.where(field('orgForm'), '=', f.orgForm);
  if (f.subjectType) q = q.where(field('subjectType'), '=', f.subjectType);
  if (f.industry) q = q.where(has('industries', f.industry));
  if (f.status) q = q.where(field('status'), '=', f.status);
  if (f.certification) q = q.where(has('certifications', f.certification));
  // Where a subject came from on its own platform (registration, import) does not travel.
  if (f.source) q = q.where(sql<boolean>`false`);
  return q;
}

export type SharedSubjectRow = {
  id: string;
  origin_platform: string;
  division_code: string;
  division_name: string | null;
  payload: unknown;
  origin_created_at: Date;
  received_at: Date;
};

/**
 * The upper platform's search: this platform's subjects and those shared from lower platforms, one list ordered by
 * creation, both scoped by division here. Items are `{ local }` or `{ shared }` rows.
 */
export async function searchWithShared(db: Kysely<DB>, f: SubjectFilter, p: PageParams) {
  const local = filtered(db, f)
    .clearSelect()
    .select([sql<string>`s.id::text`.as('key'), sql<boolean>`false`.as('shared'), sql<Date>`s.created_at`.as('at')]);
  const shared = sharedFiltered(db, f).select([
    sql<string>`r.id::text`.as('key'),
    sql<boolean>`true`.as('shared'),
    sql<Date>`r.origin_created_at`.as('at'),
  ]);
  const page = await paged(
    db.selectFrom(local.unionAll(shared).as('u')).selectAll('u').orderBy('u.at', 'desc').orderBy('u.key'),
    p,
  );
  const localIds = page.items.filter((i) => !i.shared).map((i) => i.key);
  const sharedIds = page.items.filter((i) => i.shared).map((i) => i.key);
  const [locals, shareds] = await Promise.all([
    byIds(db, localIds),
    sharedIds.length
      ? db
          .selectFrom('shared_record as r')
          .leftJoin('division as d', 'd.code', 'r.division_code')
          .select(['r.id', 'r.origin_platform', 'r.division_code', 'r.payload', 'r.origin_created_at', 'r.received_at'])
          .select('d.name as division_name')
          .where('r.id', 'in', sharedIds)
          .execute()
      : Promise.resolve([] as SharedSubjectRow[]),
  ]);
  const byKey = new Map<string, { local: SubjectRow } | { shared: SharedSubjectRow }>();
  for (const r of locals) byKey.set(r.id, { local: r });
  for (const r of shareds) byKey.set(r.id, { shared: r as SharedSubjectRow });
  return { ...page, items: page.items.flatMap((i) => byKey.get(i.key) ?? []) };
}

export async function insert(db: Kysely<DB>, values: Insertable<SubjectTable>): Promise<{ id: string }> {
  return db.insertInto('subject').values(values).returning('id').executeTakeFirstOrThrow();
}

/** Updates a subject's columns; `updated_at` is set here. */
export async function update(db: Kysely<DB>, id: string, patch: Updateable<SubjectTable>): Promise<void> {
  await db
    .updateTable('subject')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

// ── applications ─────────────────────────────────────────────────────────────────────────────────────────────────
export function applicationsOf(db: Kysely<DB>, subjectId: string) {
  return db
    .selectFrom('subject_application')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('submitted_at', 'desc')
    .orderBy('id')
    .execute();
}

export function applicationById(db: Kysely<DB>, id: string, lock = false) {
  const q = db.selectFrom('subject_application').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}

export function insertApplication(db: Kysely<DB>, values: Insertable<SubjectApplicationTable>) {
  return db.insertInto('subject_application').values(values).returning(['id', 'due_date']).executeTakeFirstOrThrow();
}

export async function decideApplication(
  db: Kysely<DB>,
  id: string,
  decision: Pick<
    Updateable<SubjectApplicationTable>,
    'status' | 'decided_at' | 'decided_by' | 'decided_by_name' | 'decision_note' | 'reasons'
  >,
): Promise<void> {
  await db.updateTable('subject_application').set(decision).where('id', '=', id).execute();
}

export interface QueueFilter {
  scope: string;
  within?: string;
  kind?: ApplicationKind;
  status?: 'pending' | 'approved' | 'rejected';
  overdueBefore?: string;
  subjectId?: string;
  applicationId?: string;
}
export function queue(db: Kysely<DB>, f: QueueFilter, p: PageParams) {
  let q = db
    .selectFrom('subject_application as a')
    .innerJoin('subject as s', 's.id', 'a.subject_id')
    .leftJoin('division as d', 'd.code', 's.division_code')
    .select([
      'a.id',
      'a.subject_id',
      'a.kind',
      'a.status',
      'a.submitted_at',
      'a.due_date',
      'a.decided_at',
      'a.decided_by_name',
      'a.reason',
      'a.division_code',
      's.name as subject_name',
      's.org_form',
      's.status as subject_status',
      's.org_id',
      'd.name as division_name',
    ])
    .where((eb) => scopeFilter(eb, 'a.division_code', f.scope));
  if (f.within) {
    const within = f.within;
    q = q.where((eb) => scopeFilter(eb, 'a.division_code', within));
  }
  if (f.kind) q = q.where('a.kind', '=', f.kind);
  if (f.status) q = q.where('a.status', '=', f.status);
  if (f.subjectId) q = q.where('a.subject_id', '=', f.subjectId);
  if (f.applicationId) q = q.where('a.id', '=', f.applicationId);
  if (f.overdueBefore) q = q.where('a.due_date', '<', f.overdueBefore);
  return paged(q.orderBy('a.due_date').orderBy('a.submitted_at'), p);
}

// ── files ────────────────────────────────────────────────────────────────────────────────────────────────────────
export function filesOf(db: Kysely<DB>, subjectId: string) {
  return db
    .selectFrom('subject_file as sf')
    .innerJoin('stored_file as f', 'f.id', 'sf.file_id')
    .select(['f.id', 'f.name', 'f.mime', 'f.size', 'sf.kind', 'sf.added_at'])
    .where('sf.subject_id', '=', subjectId)
    .orderBy('sf.added_at')
    .execute();
}

/** Records a proof file of a subject (a file given again keeps its row and takes the new kind). */
export async function upsertFile(db: Kysely<DB>, subjectId: string, fileId: string, kind: SubjectFileKind) {
  await db
    .insertInto('subject_file')
    .values({ subject_id: subjectId, file_id: fileId, kind })
    .onConflict((oc) => oc.columns(['subject_id', 'file_id']).doUpdateSet({ kind }))
    .execute();
}

// ── accounts of the producer's organisation (read; the accounts module writes them) ─────────────────────────────
export function accountsOf(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom('account')
    .select(['id', 'username', 'display_name', 'phone', 'roles', 'status', 'user_code', 'last_login_at', 'created_at'])
    .where('org_id', '=', orgId)
    .orderBy('user_code')
    .orderBy('created_at')
    .execute();
}

// ── review deadlines ─────────────────────────────────────────────────────────────────────────────────────────────
/** Pending applications still owed a reminder or an escalation, with their subject's name. */
export function pendingForDeadlines(db: Kysely<DB>) {
  return db
    .selectFrom('subject_application as a')
    .innerJoin('subject as s', 's.id', 'a.subject_id')
    .select(['a.id', 'a.kind', 'a.division_code', 'a.due_date', 'a.reminded_at', 'a.escalated_at', 's.name'])
    .where('a.status', '=', 'pending')
    .where((eb) => eb.or([eb('a.reminded_at', 'is', null), eb('a.escalated_at', 'is', null)]))
    .orderBy('a.due_date')
    .limit(5000)
    .execute();
}

export async function markDeadlineSent(db: Kysely<DB>, ids: string[], column: 'reminded_at' | 'escalated_at') {
  if (ids.length)
    await db
      .updateTable('subject_application')
      .set({ [column]: new Date() })
      .where('id', 'in', ids)
      .execute();
}

// ── the national registry (registry.ts): keyed hashes of duplicate keys ─────────────────────────────────────────
export async function setRegistryHashes(db: Kysely<DB>, id: string, hashes: string[]): Promise<void> {
  await db.updateTable('subject').set({ registry_hashes: hashes }).where('id', '=', id).execute();
}

/** Live subjects of this platform holding any of the hashes. */
export function liveByHashes(db: Kysely<DB>, hashes: readonly string[]) {
  return db
    .selectFrom('subject')
    .select(['id', 'name', 'status', 'division_code', 'identity_code', 'registry_hashes'])
    .where('status', 'not in', FINAL_STATUSES as SubjectStatus[])
    .where(sql<boolean>`registry_hashes && ${[...hashes]}::text[]`)
    .execute();
}

/** Subjects shared in from lower platforms (latest version) holding any of the hashes; the caller drops final ones. */
export function sharedByHashes(db: Kysely<DB>, hashes: readonly string[], scope = '') {
  return latestSharedRecords(db, 'subject', scope)
    .where(sql<boolean>`r.payload -> 'registryHashes' ?| ${[...hashes]}::text[]`)
    .select(['r.record_id', 'r.origin_platform', 'r.division_code', 'r.payload'])
    .execute();
}

/** Hashes held by more than one live record (this platform's subjects and shared-in ones) inside `scope`. */
export async function duplicatedHashes(db: Kysely<DB>, scope: string, final: readonly string[]): Promise<string[]> {
  const like = `${scope}%`;
  const rows = await sql<{ hash: string }>`
    SELECT hash FROM (
      SELECT unnest(registry_hashes) AS hash FROM subject
       WHERE status <> ALL(${[...final]}::text[]) AND division_code LIKE ${like}
      UNION ALL
      SELECT jsonb_array_elements_text(r.payload -> 'registryHashes') FROM shared_record r
       WHERE r.resource = 'subject' AND r.division_code LIKE ${like}
         AND NOT (r.payload ->> 'status' = ANY(${[...final]}::text[]))
         AND NOT EXISTS (SELECT 1 FROM shared_record n WHERE n.origin_platform = r.origin_platform
                          AND n.resource = r.resource AND n.record_id = r.record_id AND n.version > r.version)
    ) x GROUP BY hash HAVING count(*) > 1 ORDER BY hash LIMIT 500`.execute(db);
  return rows.rows.map((r) => r.hash);
}

/** One page of every subject (by id), for re-deriving codes and hashes under a new key. */
export function subjectsAfter(db: Kysely<DB>, afterId: string | null, limit: number) {
  let q = db
    .selectFrom('subject')
    .select(['id', 'org_id', 'org_form', 'cert_type', 'cert_no', 'dedup_key', 'legal_person_id_no', 'identity_code'])
    .select(['division_code', 'registry_hashes'])
    .orderBy('id')
    .limit(limit);
  if (afterId) q = q.where('id', '>', afterId);
  return q.execute();
}
