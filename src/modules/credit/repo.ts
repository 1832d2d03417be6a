import type { Kysely } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { CreditSource, DB } from '../../schema.js';

// ── subjects (owned by the subjects module; these are narrow read-only lookups without its audit/scoping side effects) ──
const SUBJECT_COLS = ['id', 'org_id', 'name', 'division_code', 'status', 'identity_code', 'org_form', 'industries', 'contact_name', 'contact_phone', 'address'] as const;

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

// ── rules and grades (data) ──
export function rules(db: Kysely<DB>) {
  return db.selectFrom('credit_rule').selectAll().orderBy('source').orderBy('points').execute();
}
export function ruleFor(db: Kysely<DB>, source: CreditSource, severity: 'minor' | 'serious') {
  return db.selectFrom('credit_rule').selectAll().where('source', '=', source).where('severity', '=', severity).executeTakeFirst();
}
export function ruleByCode(db: Kysely<DB>, code: string) {
  return db.selectFrom('credit_rule').selectAll().where('code', '=', code).executeTakeFirst();
}
export function grades(db: Kysely<DB>) {
  return db.selectFrom('credit_grade').selectAll().orderBy('max_points').execute();
}
export async function policy(db: Kysely<DB>): Promise<{ windowMonths: number; repeatThreshold: number }> {
  const row = await db.selectFrom('platform_setting').select('value').where('key', '=', 'credit.policy').executeTakeFirst();
  const v = (row?.value ?? {}) as { windowMonths?: number; repeatThreshold?: number };
  return { windowMonths: v.windowMonths ?? 24, repeatThreshold: v.repeatThreshold ?? 3 };
}

// ── records ──
export function insertRecord(
  db: Kysely<DB>,
  v: { subject_id: string; division_code: string; source: CreditSource; source_id: string; rule_code: string; points: number; title_zh: string; title_en: string; occurred_at: Date },
) {
  return db
    .insertInto('credit_record')
    .values({ ...v, withdrawn_at: null })
    .onConflict((oc) => oc.columns(['source', 'source_id']).doUpdateSet({ rule_code: v.rule_code, points: v.points, title_zh: v.title_zh, title_en: v.title_en }))
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function recordsOf(db: Kysely<DB>, subjectId: string) {
  return db.selectFrom('credit_record').selectAll().where('subject_id', '=', subjectId).orderBy('occurred_at', 'desc').execute();
}

/** Points and counts of live records within the window, per subject (optionally only in a scope). */
export function tallies(db: Kysely<DB>, since: Date, opts: { scope?: string; subjectIds?: string[]; minCount?: number }) {
  let q = db
    .selectFrom('credit_record as r')
    .innerJoin('subject as s', 's.id', 'r.subject_id')
    .select(['r.subject_id', 's.name', 's.division_code', 's.identity_code'])
    .select((eb) => [eb.fn.sum<number>('r.points').as('points'), eb.fn.countAll<number>().as('n'), eb.fn.max('r.occurred_at').as('last_at')])
    .where('r.withdrawn_at', 'is', null)
    .where('r.occurred_at', '>=', since)
    .groupBy(['r.subject_id', 's.name', 's.division_code', 's.identity_code']);
  if (opts.scope !== undefined) q = q.where((eb) => scopeFilter(eb, 's.division_code', opts.scope as string));
  if (opts.subjectIds) q = q.where('r.subject_id', 'in', opts.subjectIds.length ? opts.subjectIds : ['00000000-0000-0000-0000-000000000000']);
  if (opts.minCount) q = q.having((eb) => eb.fn.countAll(), '>=', opts.minCount);
  return q.orderBy('points', 'desc').limit(500).execute();
}
