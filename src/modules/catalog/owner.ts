import type { Kysely } from 'kysely';
import type { ReadScope } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { Problem } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import { delegation } from '../agencies/service.js';
import type { AgencyScope } from '../agencies/schemas.js';

/**
 * Ownership for issue-4 data: a producer's rows belong to its subject (生产经营主体), found through the actor's
 * producer organisation (`subject.org_id`). Only approved subjects (or approved ones with a pending change) act.
 * A service agency (第三方服务机构) acts for a producer that authorised it (`X-Acting-For`, see agencies.delegation);
 * then `enteredBy` names the agency, stamped on the record as `entered_by_org` / `entered_by_name`. A co-supervisor or
 * township official acting for a farmer with its recorded consent goes the same way (agencies.delegation): `enteredBy`
 * then names the official and its organisation.
 */
export interface Producer {
  id: string;
  name: string;
  divisionCode: string;
  contactName: string;
  contactPhone: string;
  address: string;
  identityCode: string | null;
  /** The unified social credit code, when the subject registered with one. */
  creditCode: string | null;
  /** The service agency entering the record for the producer (代录), or null when the producer enters it. */
  enteredBy: { orgId: string; name: string } | null;
}

/** What a delegated record stores about who entered it (spread into the insert). */
export const enteredBy = (me: Producer) => ({
  entered_by_org: me.enteredBy?.orgId ?? null,
  entered_by_name: me.enteredBy?.name ?? null,
});

const ACTIVE = ['approved', 'change_pending'] as const;

/**
 * The producer a write acts for: the caller's own, or — for a service agency — the one it acts for, when that
 * producer's live authorisation covers `scope` ('own' = only the producer itself may do this).
 */
/** The DTO field for a stamped record: "entered by X for Y" in lists and details. */
export const enteredByOf = (r: { entered_by_org: string | null; entered_by_name: string | null }) =>
  r.entered_by_org ? { orgId: r.entered_by_org, name: r.entered_by_name ?? '' } : null;

export async function producerOf(ctx: Ctx, scope: AgencyScope | 'own'): Promise<Producer> {
  let s: Awaited<ReturnType<typeof subjectByOrg>>;
  let by: Producer['enteredBy'] = null;
  // A service agency (authorisation) or an official acting for a farmer with its consent (代农户办理).
  const delegated = ctx.actor.orgKind === 'service' || (ctx.actor.orgKind === 'supervision' && !!ctx.delegate);
  if (delegated && scope !== 'own') {
    const d = await delegation(ctx, scope);
    s = await subjectById(ctx.db, d.subjectId);
    by = { orgId: d.orgId, name: d.orgName };
  } else if (ctx.actor.orgKind === 'producer') s = await subjectByOrg(ctx.db, ctx.actor.orgId);
  else throw new Problem('NOT_A_PRODUCER');
  if (!s || !(ACTIVE as readonly string[]).includes(s.status)) throw new Problem('NOT_A_PRODUCER');
  return {
    enteredBy: by,
    id: s.id,
    name: s.name,
    divisionCode: s.division_code,
    contactName: s.contact_name,
    contactPhone: s.contact_phone,
    address: s.address,
    identityCode: s.identity_code,
    creditCode: s.cert_type === 'credit_code' ? s.cert_no : null,
  };
}

const SUBJECT_COLUMNS = [
  'id',
  'name',
  'division_code',
  'contact_name',
  'contact_phone',
  'address',
  'identity_code',
  'status',
  'cert_type',
  'cert_no',
] as const;

function subjectByOrg(db: Kysely<DB>, orgId: string) {
  return db.selectFrom('subject').select(SUBJECT_COLUMNS).where('org_id', '=', orgId).executeTakeFirst();
}

function subjectById(db: Kysely<DB>, id: string) {
  return db.selectFrom('subject').select(SUBJECT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** What a reader may see (see `ReadScope` in kernel/auth/scope.ts). */
export async function readScopeOf(ctx: Ctx): Promise<ReadScope> {
  if (ctx.actor.orgKind === 'producer') {
    const s = await subjectByOrg(ctx.db, ctx.actor.orgId);
    if (!s) throw new Problem('NOT_A_PRODUCER');
    return { subjectId: s.id };
  }
  // A service agency reads only the producer it acts for (never its whole division); so does an official acting
  // for a farmer, whose forms then list that farmer's products, batches and customers only.
  if (ctx.actor.orgKind === 'service' || (ctx.actor.orgKind === 'supervision' && ctx.delegate))
    return { subjectId: (await delegation(ctx, null)).subjectId };
  return { scope: ctx.actor.scope };
}

export { type ReadScope, canSee, readFilter } from '../../kernel/auth/scope.js';
