import type { Kysely } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { PageParams, Paged } from '../../kernel/paging.js';
import type { CreditParty, CreditSeverity, CreditSource, DB } from '../../schema.js';

// ── subjects (owned by the subjects module; these are narrow read-only lookups without its audit/scoping side effects) ──
const SUBJECT_COLS = [
  'id',
  'org_id',
  'name',
  'division_code',
  'status',
  'identity_code',
  'org_form',
  'industries',
  'contact_name',
  'contact_phone',
  'address',
] as const;

export function subjectById(db: Kysely<DB>, id: string) {
  return db.selectFrom('subject').select(SUBJECT_COLS).where('id', '=', id).executeTakeFirst();
}
export function subjectByOrg(db: Kysely<DB>, orgId: string) {
  return db.selectFrom('subject').select(SUBJECT_COLS).where('org_id', '=', orgId).executeTakeFirst();
}
/** By a normalised identity code (unique index). */
export function subjectByIdentityCode(db: Kysely<DB>, code: string) {
  return db.selectFrom('subject').select(SUBJECT_COLS).where('identity_code', '=', code).executeTakeFirst();
}
export type SubjectRow = NonNullable<Awaited<ReturnType<typeof subjectById>>>;

// ── organisations and accounts (owned by accounts; narrow read-only lookups) ──
export function orgById(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('organisation')
    .select(['id', 'name', 'kind', 'division_code'])
    .where('id', '=', id)
    .executeTakeFirst();
}
export function accountById(db: Kysely<DB>, id: string) {
  return db.selectFrom('account').select(['id', 'display_name', 'org_id']).where('id', '=', id).executeTakeFirst();
}

// ── rules and grades (data) ──
export function rules(db: Kysely<DB>) {
  return db.selectFrom('credit_rule').selectAll().orderBy('source').orderBy('points').execute();
}
export function ruleFor(db: Kysely<DB>, source: CreditSource, severity: CreditSeverity) {
  return db
    .selectFrom('credit_rule')
    .selectAll()
    .where('source', '=', source)
    .where('severity', '=', severity)
    .executeTakeFirst();
}
export function ruleByCode(db: Kysely<DB>, code: string) {
  return db.selectFrom('credit_rule').selectAll().where('code', '=', code).executeTakeFirst();
}
export function grades(db: Kysely<DB>) {
  return db.selectFrom('credit_grade').selectAll().orderBy('max_points').execute();
}
export async function policy(db: Kysely<DB>): Promise<{ windowMonths: number; repeatThreshold: number }> {
  const row = await db
    .selectFrom('platform_setting')
    .select('value')
    .where('key', '=', 'credit.policy')
    .executeTakeFirst();
  const v = (row?.value ?? {}) as { windowMonths?: number; repeatThreshold?: number };
  return { windowMonths: v.windowMonths ?? 24, repeatThreshold: v.repeatThreshold ?? 3 };
}

// ── records ──
export function insertRecord(
  db: Kysely<DB>,
  v: {
    subject_id: string | null;
    party_kind: CreditParty;
    agency_org_id: string | null;
    collector_id: string | null;
    division_code: string;
    source: CreditSource;
    source_id: string;
    rule_code: string;
    points: number;
    title_zh: string;
    title_en: string;
    occurred_at: Date;
  },
) {
  return db
    .insertInto('credit_record')
    .values({ ...v, withdrawn_at: null })
    .onConflict((oc) =>
      oc
        .columns(['source', 'source_id', 'party_kind', 'collector_id'])
        .doUpdateSet({ rule_code: v.rule_code, points: v.points, title_zh: v.title_zh, title_en: v.title_en }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Whether a collection record of this source already exists for the party. */
export async function partyRecordExists(
  db: Kysely<DB>,
  sourceId: string,
  party: CreditParty,
  collectorId: string | null,
): Promise<boolean> {
  let q = db
    .selectFrom('credit_record')
    .select('id')
    .where('source', '=', 'collection')
    .where('source_id', '=', sourceId)
    .where('party_kind', '=', party);
  q = collectorId ? q.where('collector_id', '=', collectorId) : q.where('collector_id', 'is', null);
  return !!(await q.executeTakeFirst());
}

export function recordsOf(db: Kysely<DB>, subjectId: string) {
  return db
    .selectFrom('credit_record')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .where('party_kind', '=', 'subject')
    .orderBy('occurred_at', 'desc')
    .execute();
}

/** Points and counts of live records within the window, per subject (optionally only in a scope). */
function talliesQuery(db: Kysely<DB>, since: Date, opts: { scope?: string; subjectIds?: string[]; minCount?: number }) {
  let q = db
    .selectFrom('credit_record as r')
    .innerJoin('subject as s', 's.id', 'r.subject_id')
    .select(['s.id as subject_id', 's.name', 's.division_code', 's.identity_code'])
    .select((eb) => [
      eb.fn.sum<number>('r.points').as('points'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('r.occurred_at').as('last_at'),
    ])
    .where('r.party_kind', '=', 'subject')
    .where('r.withdrawn_at', 'is', null)
    .where('r.occurred_at', '>=', since)
    .groupBy(['s.id', 's.name', 's.division_code', 's.identity_code']);
  if (opts.scope !== undefined) {
    const scope = opts.scope;
    q = q.where((eb) => scopeFilter(eb, 's.division_code', scope));
  }
  if (opts.subjectIds)
    q = q.where(
      'r.subject_id',
      'in',
      opts.subjectIds.length ? opts.subjectIds : ['00000000-0000-0000-0000-000000000000'],
    );
  if (opts.minCount) q = q.having((eb) => eb.fn.countAll(), '>=', opts.minCount);
  return q;
}
export type TallyRow = Awaited<ReturnType<ReturnType<typeof talliesQuery>['execute']>>[number];

/** Tallies of the given subjects (all of them, no paging). */
export function talliesOf(db: Kysely<DB>, since: Date, subjectIds: string[]) {
  return talliesQuery(db, since, { subjectIds }).execute();
}

/** One page of tallies in a scope, most points first; the total counts the groups. */
export async function talliesPage(
  db: Kysely<DB>,
  since: Date,
  opts: { scope: string; minCount?: number },
  p: PageParams,
): Promise<Paged<TallyRow>> {
  const q = talliesQuery(db, since, opts);
  const [items, total] = await Promise.all([
    q
      .orderBy('points', 'desc')
      .orderBy('s.id')
      .limit(p.pageSize)
      .offset((p.page - 1) * p.pageSize)
      .execute(),
    db
      .selectFrom(q.as('t'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n), page: p.page, pageSize: p.pageSize };
}

// ── service agencies and their collectors (party 'agency' / 'collector') ──

/** Records of an agency and of its collectors arising in a scope, newest first, with the collector's name. */
export function agencyRecords(db: Kysely<DB>, agencyOrgId: string, scope: string) {
  return db
    .selectFrom('credit_record as r')
    .leftJoin('account as a', 'a.id', 'r.collector_id')
    .selectAll('r')
    .select('a.display_name as collector_name')
    .where('r.agency_org_id', '=', agencyOrgId)
    .where((eb) => scopeFilter(eb, 'r.division_code', scope))
    .orderBy('r.occurred_at', 'desc')
    .execute();
}
export type AgencyRecordRow = Awaited<ReturnType<typeof agencyRecords>>[number];

/**
 * Agencies and collectors with live records within the window whose record arose in a scope (the division of the
 * collected record), most points first; `first_at` is when the party was first ordered to correct.
 */
export async function partyTalliesPage(
  db: Kysely<DB>,
  since: Date,
  opts: { scope: string; minCount?: number },
  p: PageParams,
) {
  let q = db
    .selectFrom('credit_record as r')
    .innerJoin('organisation as o', 'o.id', 'r.agency_org_id')
    .leftJoin('account as a', 'a.id', 'r.collector_id')
    .select(['r.party_kind', 'r.agency_org_id', 'r.collector_id', 'o.name as agency_name', 'o.division_code'])
    .select('a.display_name as collector_name')
    .select((eb) => [
      eb.fn.sum<number>('r.points').as('points'),
      eb.fn.countAll<number>().as('n'),
      eb.fn.max('r.occurred_at').as('last_at'),
    ])
    .where('r.party_kind', 'in', ['agency', 'collector'])
    .where('r.withdrawn_at', 'is', null)
    .where('r.occurred_at', '>=', since)
    .where((eb) => scopeFilter(eb, 'r.division_code', opts.scope))
    .groupBy(['r.party_kind', 'r.agency_org_id', 'r.collector_id', 'o.name', 'o.division_code', 'a.display_name']);
  if (opts.minCount) q = q.having((eb) => eb.fn.countAll(), '>=', opts.minCount);
  const [items, total] = await Promise.all([
    q
      .orderBy('points', 'desc')
      .orderBy('r.agency_org_id')
      .orderBy('r.collector_id')
      .limit(p.pageSize)
      .offset((p.page - 1) * p.pageSize)
      .execute(),
    db
      .selectFrom(q.as('t'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n), page: p.page, pageSize: p.pageSize };
}
export type PartyTallyRow = Awaited<ReturnType<typeof partyTalliesPage>>['items'][number];
