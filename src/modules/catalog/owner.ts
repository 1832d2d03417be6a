import type { Kysely } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';

/**
 * Ownership for issue-4 data: a producer's rows belong to its subject (生产经营主体), found through the actor's
 * producer organisation (`subject.org_id`). Only approved subjects (or approved ones with a pending change) act.
 */
export interface Producer {
  id: string;
  name: string;
  divisionCode: string;
  contactName: string;
  contactPhone: string;
  address: string;
  identityCode: string | null;
}

const ACTIVE = ['approved', 'change_pending'] as const;

export async function producerOf(ctx: Ctx): Promise<Producer> {
  if (ctx.actor.orgKind !== 'producer') throw new Problem('NOT_A_PRODUCER');
  const s = await subjectByOrg(ctx.db, ctx.actor.orgId);
  if (!s || !(ACTIVE as readonly string[]).includes(s.status)) throw new Problem('NOT_A_PRODUCER');
  return { id: s.id, name: s.name, divisionCode: s.division_code, contactName: s.contact_name, contactPhone: s.contact_phone, address: s.address, identityCode: s.identity_code };
}

function subjectByOrg(db: Kysely<DB>, orgId: string) {
  return db
    .selectFrom('subject')
    .select(['id', 'name', 'division_code', 'contact_name', 'contact_phone', 'address', 'identity_code', 'status'])
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

/**
 * What a reader may see: a producer sees its own subject's rows; an agency sees rows whose division is inside its
 * jurisdiction. Repos apply it with `readFilter`.
 */
export type ReadScope = { subjectId: string } | { scope: string };

export async function readScopeOf(ctx: Ctx): Promise<ReadScope> {
  if (ctx.actor.orgKind === 'producer') {
    const s = await subjectByOrg(ctx.db, ctx.actor.orgId);
    if (!s) throw new Problem('NOT_A_PRODUCER');
    return { subjectId: s.id };
  }
  return { scope: ctx.actor.scope };
}

// biome-ignore lint/suspicious/noExplicitAny: works for any table with subject_id and division_code columns
export function readFilter(eb: any, rs: ReadScope, prefix: string) {
  if ('subjectId' in rs) return eb(`${prefix}.subject_id`, '=', rs.subjectId);
  return scopeFilter(eb, `${prefix}.division_code`, rs.scope);
}

/** True when a single fetched row is visible to the reader. */
export function canSee(rs: ReadScope, row: { subject_id: string; division_code: string }): boolean {
  if ('subjectId' in rs) return row.subject_id === rs.subjectId;
  return row.division_code.startsWith(rs.scope);
}
