import { countyOf, inScope, isLevel } from '../../../kernel/auth/scope.js';
import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import { attachFile } from '../../../kernel/files.js';
import { creditCodeError } from '../../../kernel/idcodes.js';
import { Problem, problems } from '../../../kernel/problems.js';
import { assertApprovedAgency, delegation } from '../../agencies/service.js';
import { requireActiveSubject, requireOwnActiveSubject } from '../../subjects/service.js';
import * as regions from '../../regions/service.js';
import * as repo from '../repo.js';
import type { CollectorGrant, CollectorGrantBody } from '../schemas-collectors.js';

/**
 * Who collects origin records where (seed 004 五(三)):
 * - supervision staff and field collectors: their jurisdiction (as before);
 * - a registered producer: its own records only, in its county (它自己的基地), and so does a service agency acting
 *   for it (`X-Acting-For`, authorisation scope `origin`);
 * - a third-party collector (a service agency) authorised by a county, with a recorded confidentiality agreement
 *   (保密协议): any record of that county.
 * `scope` is the division prefix the caller may collect in; `subject` forces the record's producer; `enteredBy`
 * stamps the entering agency on the record.
 */
export interface CollectAccess {
  scope: string;
  subject: { id: string; name: string; creditCode: string | null } | null;
  enteredBy: { orgId: string; name: string } | null;
}

export async function collectAccess(ctx: Ctx, divisionCode?: string): Promise<CollectAccess> {
  const kind = ctx.actor.orgKind;
  if (kind === 'producer' || (kind === 'service' && ctx.delegate)) {
    // The producer itself, or the one the agency acts for (the one acting-for decision: agencies `delegation`).
    const d = kind === 'service' ? await delegation(ctx, 'origin') : null;
    const s = d ? await requireActiveSubject(ctx, d.subjectId) : await requireOwnActiveSubject(ctx);
    const creditCode = s.cert_type === 'credit_code' ? s.cert_no : null;
    return {
      scope: countyOf(s.division_code) ?? s.division_code,
      subject: { id: s.id, name: s.name, creditCode: creditCode && !creditCodeError(creditCode) ? creditCode : null },
      enteredBy: d ? { orgId: d.orgId, name: d.orgName } : null,
    };
  }
  if (kind === 'service') {
    const grants = await repo.liveCollectorGrants(ctx.db, ctx.actor.orgId);
    const g = divisionCode ? grants.find((x) => inScope(x.county_code, divisionCode)) : grants[0];
    if (!g) throw new Problem('ORIGIN_COLLECTOR_NOT_AUTHORISED');
    return { scope: g.county_code, subject: null, enteredBy: { orgId: ctx.actor.orgId, name: ctx.actor.orgName } };
  }
  return { scope: ctx.actor.scope, subject: null, enteredBy: null };
}

/** The context a collection runs in: the caller, with its collection area as jurisdiction. */
export const collectCtx = (ctx: Ctx, a: CollectAccess): Ctx => ({ ...ctx, actor: { ...ctx.actor, scope: a.scope } });

// ── the county's authorisations of third-party collectors ─────────────────────────────────────────────────────
const GRANT = ['第三方采集授权', 'Third-party collector authorisation'] as const;

function grantDto(ctx: Ctx, g: repo.CollectorGrantRow): CollectorGrant {
  const live = !g.revoked_at;
  return {
    id: g.id,
    agencyOrgId: g.agency_org_id,
    agencyName: g.agency_name,
    countyCode: g.county_code,
    confidentialityNo: g.confidentiality_no,
    confidentialitySignedOn: String(g.confidentiality_signed_on).slice(0, 10),
    confidentialityFile: g.confidentiality_file,
    grantedAt: g.granted_at.toISOString(),
    revokedAt: g.revoked_at?.toISOString() ?? null,
    active: live,
    allowedActions: live && inScope(ctx.actor.scope, g.county_code) ? ['revoke'] : [],
  };
}

export async function listCollectorGrants(ctx: Ctx) {
  return (await repo.collectorGrants(ctx.db, ctx.actor.scope)).map((g) => grantDto(ctx, g));
}

/** A county (or a level above it, naming the county) authorises an approved agency to collect there. */
export async function grantCollector(ctx: Ctx, input: CollectorGrantBody) {
  if (!isLevel(input.countyCode, 'county'))
    throw problems.invalid('countyCode', '须为县级行政区划', 'must be a county');
  if (!inScope(ctx.actor.scope, input.countyCode)) throw problems.outOfJurisdiction(...GRANT);
  await regions.assertExists(ctx, input.countyCode, 'countyCode');
  await assertApprovedAgency(ctx, input.agencyOrgId);
  const signed = new Date(`${input.confidentialitySignedOn}T00:00:00Z`);
  if (Number.isNaN(signed.getTime()) || signed.toISOString().slice(0, 10) !== input.confidentialitySignedOn)
    throw problems.invalid('confidentialitySignedOn', '不是有效日期', 'is not a valid date');
  if (signed.getTime() > Date.now())
    throw problems.invalid('confidentialitySignedOn', '不能晚于今天', 'is in the future');
  const live = await repo.liveCollectorGrants(ctx.db, input.agencyOrgId);
  if (live.some((g) => g.county_code === input.countyCode))
    throw problems.duplicate(
      '第三方采集授权',
      'Collector authorisation',
      `${await regions.fullName(ctx, input.countyCode)} (${input.countyCode})`,
      'countyCode',
    );
  const id = await repo.insertCollectorGrant(ctx.db, {
    agency_org_id: input.agencyOrgId,
    county_code: input.countyCode,
    confidentiality_no: input.confidentialityNo.trim(),
    confidentiality_signed_on: input.confidentialitySignedOn,
    confidentiality_file: input.confidentialityFile ?? null,
    granted_by: ctx.actor.id,
  });
  if (input.confidentialityFile)
    await attachFile(ctx, input.confidentialityFile, 'origin_collector_grant', id, 'confidentialityFile');
  await audit(ctx, {
    verb: 'origin.authorise',
    targetType: 'origin_collector_grant',
    targetId: id,
    divisionCode: input.countyCode,
    summary: { action: 'grant', ...input },
  });
  return listCollectorGrants(ctx);
}

export async function revokeCollector(ctx: Ctx, id: string) {
  const g = await repo.collectorGrant(ctx.db, id);
  if (!g || g.revoked_at) throw problems.notFound(...GRANT);
  if (!inScope(ctx.actor.scope, g.county_code)) throw problems.outOfJurisdiction(...GRANT);
  await repo.revokeCollectorGrant(ctx.db, id, ctx.actor.id);
  await audit(ctx, {
    verb: 'origin.authorise',
    targetType: 'origin_collector_grant',
    targetId: id,
    divisionCode: g.county_code,
    summary: { action: 'revoke' },
  });
  return listCollectorGrants(ctx);
}
