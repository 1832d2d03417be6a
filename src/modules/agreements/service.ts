import { sql } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { inScope, scopeFilter } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import { requireOwnActiveSubject } from '../subjects/service.js';

/**
 * 追溯协议 Traceability agreement: each county keeps a versioned template text (a new version supersedes the old);
 * every registered producer of the county accepts the current version in the UI; the date, version and the account
 * that accepted are recorded. Producers without a signature of the current version are listed for follow-up.
 */
const tplDto = (t: { id: string; county_code: string; version: number; title: string; body: string; created_at: Date }) => ({
  id: t.id, countyCode: t.county_code, version: t.version, title: t.title, body: t.body, createdAt: t.created_at.toISOString(),
});

function currentTemplate(ctx: Ctx, county: string) {
  return ctx.db.selectFrom('agreement_template').selectAll().where('county_code', '=', county).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export async function templates(ctx: Ctx, county?: string) {
  const c = county ?? ctx.actor.scope;
  if (c.length !== 6) throw problems.invalid('county', '：请选择一个县（区）', ': choose a county');
  if (!inScope(ctx.actor.scope, c) && !ctx.actor.scope.startsWith(c)) throw problems.outOfJurisdiction('区划', 'division');
  const rows = await ctx.db.selectFrom('agreement_template').selectAll().where('county_code', '=', c).orderBy('version', 'desc').execute();
  return rows.map(tplDto);
}

/** A new version of the county's template (county-level officers only). */
export async function publish(ctx: Ctx, input: { title: string; body: string }) {
  if (ctx.actor.scope.length !== 6) throw new Problem('AGREEMENT_COUNTY_ONLY');
  const county = ctx.actor.scope;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`agreement:${county}`}))`.execute(ctx.db);
  const cur = await currentTemplate(ctx, county);
  const row = await ctx.db
    .insertInto('agreement_template')
    .values({ county_code: county, version: (cur?.version ?? 0) + 1, title: input.title.trim(), body: input.body, created_by: ctx.actor.id })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(ctx, { verb: 'agreement.manage', targetType: 'agreement_template', targetId: row.id, divisionCode: county, summary: { version: row.version, title: row.title } });
  return tplDto(row);
}

/** The producer's view: the current template of its county and whether (and when) it accepted it. */
export async function mine(ctx: Ctx) {
  const s = await requireOwnActiveSubject(ctx);
  const cur = await currentTemplate(ctx, s.division_code.slice(0, 6));
  const signatures = await ctx.db.selectFrom('agreement_signature').selectAll().where('subject_id', '=', s.id).orderBy('signed_at', 'desc').execute();
  const signed = cur ? signatures.find((x) => x.template_id === cur.id) : undefined;
  return {
    template: cur ? tplDto(cur) : null,
    signedCurrent: !!signed,
    signedAt: signed?.signed_at.toISOString() ?? null,
    history: signatures.map((x) => ({ version: x.version, signedAt: x.signed_at.toISOString(), signerName: x.signer_name })),
  };
}

export async function sign(ctx: Ctx, templateId: string) {
  const s = await requireOwnActiveSubject(ctx);
  const cur = await currentTemplate(ctx, s.division_code.slice(0, 6));
  if (!cur || cur.id !== templateId) throw new Problem('AGREEMENT_NOT_CURRENT', { field: 'templateId' });
  await ctx.db
    .insertInto('agreement_signature')
    .values({ subject_id: s.id, template_id: cur.id, county_code: cur.county_code, version: cur.version, signed_by: ctx.actor.id, signer_name: ctx.actor.displayName, ip: ctx.ip })
    .onConflict((oc) => oc.columns(['subject_id', 'template_id']).doNothing())
    .execute();
  await audit(ctx, { verb: 'agreement.sign', targetType: 'subject', targetId: s.id, divisionCode: s.division_code, summary: { version: cur.version, templateId } });
  return mine(ctx);
}

/** Approved producers in the jurisdiction without a signature of their county's current version. */
export async function unsigned(ctx: Ctx, q: { within?: string; page?: number; pageSize?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  if (q.within && !inScope(ctx.actor.scope, q.within)) throw problems.outOfJurisdiction('区划', 'division');
  let base = ctx.db
    .selectFrom('subject as s')
    .leftJoin(
      (eb) => eb.selectFrom('agreement_template').select(['county_code', (e) => e.fn.max('version').as('version')]).groupBy('county_code').as('t'),
      (join) => join.onRef('t.county_code', '=', sql`substr(s.division_code, 1, 6)`),
    )
    .leftJoin('division as d', 'd.code', 's.division_code')
    .select(['s.id', 's.name', 's.identity_code', 's.division_code', 's.contact_name', 's.contact_phone', 'd.name as division_name', 't.version as current_version'])
    .select((eb) =>
      eb.selectFrom('agreement_signature as g').select((e) => e.fn.max('g.version').as('v')).whereRef('g.subject_id', '=', 's.id').as('signed_version'),
    )
    .where((eb) => scopeFilter(eb, 's.division_code', ctx.actor.scope))
    .where('s.status', 'in', ['approved', 'change_pending', 'cancel_pending', 'revoke_pending'])
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('agreement_signature as g').select('g.id').whereRef('g.subject_id', '=', 's.id').whereRef('g.version', '=', 't.version').whereRef('g.county_code', '=', 't.county_code'))),
    );
  if (q.within) base = base.where('s.division_code', 'like', `${q.within}%`);
  const [items, total] = await Promise.all([
    base.orderBy('s.division_code').orderBy('s.name').limit(pageSize).offset((page - 1) * pageSize).execute(),
    ctx.db.selectFrom(base.as('x')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: items.map((r) => ({
      subjectId: r.id, name: r.name, identityCode: r.identity_code, divisionCode: r.division_code, divisionName: r.division_name ?? '', contactName: r.contact_name, contactPhone: r.contact_phone,
      currentVersion: r.current_version === null ? null : Number(r.current_version), signedVersion: r.signed_version === null ? null : Number(r.signed_version),
    })),
    total: Number(total.n),
    page,
    pageSize,
  };
}
