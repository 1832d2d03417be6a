import type { OrgKind } from '../../schema.js';

/**
 * Roles (角色). A role is a bundle of permission verbs (`module.action`); which verbs a role holds is declared by
 * the modules beside their verbs (see `VerbDef.roles`), so this table only names the roles and the organisation
 * kinds an account must belong to in order to hold them.
 */
export const ROLES = {
  platform_admin: { zh: '平台管理员', en: 'Platform administrator', orgKinds: ['operator'] },
  info_admin: {
    zh: '信息管理员',
    en: 'Information administrator',
    orgKinds: ['operator', 'supervision', 'testing', 'enforcement', 'service'],
  },
  supervisor: { zh: '监管人员', en: 'Supervision officer', orgKinds: ['supervision', 'operator'] },
  collector: {
    zh: '信息采集员（网格员/协管员）',
    en: 'Field collector (grid worker / co-supervisor)',
    orgKinds: ['supervision'],
  },
  inspector: { zh: '检测人员', en: 'Testing officer', orgKinds: ['testing'] },
  enforcer: { zh: '执法人员', en: 'Enforcement officer', orgKinds: ['enforcement'] },
  service_staff: { zh: '第三方服务人员', en: 'Service agency staff', orgKinds: ['service'] },
  // Information reviewer (信息审核人员, seed 000 art. 12): every kind of unit that collects has one (issue 13).
  info_reviewer: {
    zh: '信息审核员',
    en: 'Information reviewer',
    orgKinds: ['supervision', 'testing', 'enforcement', 'producer', 'service'],
  },
  // Producers (生产经营主体, see docs/subjects.md). A self-registered producer's main account starts as
  // `producer_applicant` (may only view and correct its own application); approval swaps it for `producer_admin`,
  // which is how producer rights open after approval in one place. Cancellation/revocation swaps it back.
  producer_applicant: {
    zh: '主体注册申请人',
    en: 'Producer applicant (registration under review)',
    orgKinds: ['producer'],
  },
  producer_admin: { zh: '主体管理员', en: 'Producer administrator', orgKinds: ['producer'] },
  producer_staff: { zh: '主体子账号', en: 'Producer sub-account', orgKinds: ['producer'] },
  // A wholesale/retail market registers as an operation subject (经营主体); its gate staff check market-entry
  // vouchers and trace codes at entry (issue 5, docs/chain.md).
  market_staff: { zh: '市场入市查验员', en: 'Market gate checker', orgKinds: ['producer'] },
} as const satisfies Record<string, { zh: string; en: string; orgKinds: readonly OrgKind[] }>;

export type RoleCode = keyof typeof ROLES;
export const ROLE_CODES = Object.keys(ROLES) as RoleCode[];

export interface VerbDef {
  zh: string;
  en: string;
  /** Roles that hold this verb. `platform_admin` holds every verb implicitly, except producer-only verbs. */
  roles: readonly RoleCode[];
  /**
   * A producer verb an official holding `ASSIST_VERB` may use while acting for a farmer (`X-Acting-For`, 代农户办理);
   * the owner module's `producerOf` then checks the farmer's recorded consent for that official and scope.
   */
  assisted?: boolean;
}

/** The verb of officials who act for farmers with their consent (declared by the agencies module). */
export const ASSIST_VERB = 'farmer.assist';

/** May `verbs` call a route needing `verb`, either holding it or, acting for a farmer, through an assisted verb? */
export function allowsVerb(verbs: ReadonlySet<string>, verb: string, table: VerbTable, actingFor: boolean): boolean {
  return verbs.has(verb) || (actingFor && verbs.has(ASSIST_VERB) && table[verb]?.assisted === true);
}
export type VerbTable = Record<string, VerbDef>;

/** The verbs `verbs` may use while acting for a farmer: the assisted ones, for a holder of `ASSIST_VERB` (else none). */
export function assistedVerbsOf(verbs: ReadonlySet<string>, table: VerbTable): string[] {
  if (!verbs.has(ASSIST_VERB)) return [];
  return Object.entries(table)
    .filter(([, def]) => def.assisted === true)
    .map(([verb]) => verb)
    .sort();
}

/** Verbs of a set of roles, given the verb table assembled from all modules. */
export function verbsOfRoles(roles: readonly string[], table: VerbTable): Set<string> {
  const out = new Set<string>();
  for (const [verb, def] of Object.entries(table)) {
    if ((roles.includes('platform_admin') && !producerSide(def)) || def.roles.some((r) => roles.includes(r)))
      out.add(verb);
  }
  return out;
}

/** Roles that hold a verb (platform_admin included unless the verb is producer-only), in role-table order. */
export function rolesOfVerb(verb: string, table: VerbTable): RoleCode[] {
  const def = table[verb];
  if (!def) return [];
  return ROLE_CODES.filter((r) => (r === 'platform_admin' && !producerSide(def)) || def.roles.includes(r));
}

/**
 * Verbs held only by producer roles (and by service-agency staff, who use them for the producers that authorised
 * them, 代录) act on a producer's own records: a platform admin has none, and what agency staff may do with them is
 * decided by each producer's authorisation, not by whoever opens the staff account.
 */
export function producerSide(def: VerbDef | undefined): boolean {
  return (
    !!def &&
    def.roles.length > 0 &&
    def.roles.every(
      (r) =>
        r === 'service_staff' || (isRole(r) && (ROLES[r].orgKinds as readonly string[]).every((k) => k === 'producer')),
    )
  );
}

export function isRole(code: string): code is RoleCode {
  return Object.hasOwn(ROLES, code);
}
