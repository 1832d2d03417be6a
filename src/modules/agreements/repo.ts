import { type Insertable, type Kysely, sql } from 'kysely';
import { LEVEL_LENGTH, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
import type {
  AgreementReminderTable,
  AgreementSignatureTable,
  AgreementTemplateTable,
  DB,
  SubjectStatus,
} from '../../schema.js';

/** Every query of the agreements module. */

export function currentTemplate(db: Kysely<DB>, county: string) {
  return db
    .selectFrom('agreement_template')
    .selectAll()
    .where('county_code', '=', county)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function templatesOf(db: Kysely<DB>, county: string, p: PageParams) {
  return paged(
    db.selectFrom('agreement_template').selectAll().where('county_code', '=', county).orderBy('version', 'desc'),
    p,
  );
}

/** Serialises the publication of versions per county (for the rest of the transaction). */
export async function lockCounty(db: Kysely<DB>, county: string) {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`agreement:${county}`}))`.execute(db);
}

export function insertTemplate(db: Kysely<DB>, values: Insertable<AgreementTemplateTable>) {
  return db.insertInto('agreement_template').values(values).returningAll().executeTakeFirstOrThrow();
}

export function signaturesOf(db: Kysely<DB>, subjectId: string) {
  return db
    .selectFrom('agreement_signature')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('signed_at', 'desc')
    .execute();
}

/** Records an acceptance (accepting the same version twice keeps the first). */
export async function insertSignature(db: Kysely<DB>, values: Insertable<AgreementSignatureTable>) {
  await db
    .insertInto('agreement_signature')
    .values(values)
    .onConflict((oc) => oc.columns(['subject_id', 'template_id']).doNothing())
    .execute();
}

export const signatureById = (db: Kysely<DB>, id: string) =>
  db
    .selectFrom('agreement_signature as g')
    .innerJoin('subject as s', 's.id', 'g.subject_id')
    .selectAll('g')
    .select(['s.name as subject_name', 's.division_code'])
    .where('g.id', '=', id)
    .forUpdate('g')
    .executeTakeFirst();

export const countersign = (db: Kysely<DB>, id: string, v: { by: string; name: string; org: string | null }) =>
  db
    .updateTable('agreement_signature')
    .set({ county_signed_at: new Date(), county_signed_by: v.by, county_signer_name: v.name, county_org_name: v.org })
    .where('id', '=', id)
    .where('county_signed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();

/** Producers' acceptances inside a jurisdiction: awaiting the county's signature, or signed by both. */
export function signatures(
  db: Kysely<DB>,
  f: { scope: string; within?: string; state?: 'awaiting_county' | 'signed'; id?: string },
  p: PageParams,
) {
  let q = db
    .selectFrom('agreement_signature as g')
    .innerJoin('subject as s', 's.id', 'g.subject_id')
    .leftJoin('division as d', 'd.code', 's.division_code')
    .selectAll('g')
    .select(['s.name as subject_name', 's.division_code', 'd.name as division_name'])
    .select((eb) =>
      eb
        .selectFrom('agreement_template as t')
        .select((e) => e.fn.max('t.version').as('v'))
        .whereRef('t.county_code', '=', 'g.county_code')
        .as('current_version'),
    )
    .where((eb) => scopeFilter(eb, 's.division_code', f.scope));
  if (f.within) {
    const within = f.within;
    q = q.where((eb) => scopeFilter(eb, 's.division_code', within));
  }
  if (f.id) q = q.where('g.id', '=', f.id);
  if (f.state === 'awaiting_county') q = q.where('g.county_signed_at', 'is', null);
  if (f.state === 'signed') q = q.where('g.county_signed_at', 'is not', null);
  return paged(q.orderBy('g.signed_at', 'desc').orderBy('g.id'), p);
}

export async function insertReminders(db: Kysely<DB>, rows: Insertable<AgreementReminderTable>[]) {
  if (rows.length) await db.insertInto('agreement_reminder').values(rows).execute();
}

/** Subjects in `statuses` inside `scope` (and `within`) without a signature of their county's current version. */
export function unsigned(
  db: Kysely<DB>,
  f: {
    scope: string;
    within?: string;
    statuses: readonly SubjectStatus[];
    subjectIds?: readonly string[];
    /** Only those with a current version to sign and no reminder for it since this time (the recurring job). */
    notRemindedSince?: Date;
  },
  p: PageParams,
) {
  const county = sql.lit(LEVEL_LENGTH.county);
  let q = db
    .selectFrom('subject as s')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('agreement_template')
          .select(['county_code', (e) => e.fn.max('version').as('version')])
          .groupBy('county_code')
          .as('t'),
      (join) => join.onRef('t.county_code', '=', sql`substr(s.division_code, 1, ${county})`),
    )
    .leftJoin('division as d', 'd.code', 's.division_code')
    .select([
      's.id',
      's.name',
      's.identity_code',
      's.division_code',
      's.contact_name',
      's.contact_phone',
      'd.name as division_name',
      't.version as current_version',
    ])
    .select((eb) =>
      eb
        .selectFrom('agreement_signature as g')
        .select((e) => e.fn.max('g.version').as('v'))
        .whereRef('g.subject_id', '=', 's.id')
        .as('signed_version'),
    )
    .select((eb) => [
      eb
        .selectFrom('agreement_reminder as r')
        .select((e) => e.fn.max('r.reminded_at').as('at'))
        .whereRef('r.subject_id', '=', 's.id')
        .whereRef('r.version', '=', 't.version')
        .as('reminded_at'),
      eb
        .selectFrom('agreement_reminder as r')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('r.subject_id', '=', 's.id')
        .whereRef('r.version', '=', 't.version')
        .as('reminders'),
    ])
    .where((eb) => scopeFilter(eb, 's.division_code', f.scope))
    .where('s.status', 'in', [...f.statuses])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('agreement_signature as g')
            .select('g.id')
            .whereRef('g.subject_id', '=', 's.id')
            .whereRef('g.version', '=', 't.version')
            .whereRef('g.county_code', '=', 't.county_code'),
        ),
      ),
    );
  if (f.within) {
    const within = f.within;
    q = q.where((eb) => scopeFilter(eb, 's.division_code', within));
  }
  if (f.subjectIds) q = q.where('s.id', 'in', [...f.subjectIds]);
  if (f.notRemindedSince) {
    const since = f.notRemindedSince;
    q = q
      .where('t.version', 'is not', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('agreement_reminder as r')
              .select('r.id')
              .whereRef('r.subject_id', '=', 's.id')
              .whereRef('r.version', '=', 't.version')
              .where('r.reminded_at', '>=', since),
          ),
        ),
      );
  }
  return paged(q.orderBy('s.division_code').orderBy('s.name'), p);
}
