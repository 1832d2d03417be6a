import type { Kysely, Selectable } from 'kysely';
import { audit, auditOutsideRequest } from '../../kernel/audit.js';
import { countyOf, inScope, isLevel } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import type { JobContext } from '../../kernel/jobs.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { AgreementSignatureTable, AgreementTemplateTable, DB } from '../../schema.js';
import { countyRegulators, notify, orgsOfSubjects } from '../notifications/service.js';
import { requireOwnActiveSubject } from '../subjects/service.js';
import { ACTIVE_STATUSES } from '../subjects/states.js';
import * as repo from './repo.js';
import type {
  Mine,
  PublishInput,
  Reminded,
  RemindInput,
  SignInput,
  SignatureItem,
  SignaturesQuery,
  SignatureState,
  Template,
  TemplatesQuery,
  UnsignedItem,
  UnsignedQuery,
} from './schemas.js';
import { signatureFlow } from './states.js';
import { CLAUSE_LABELS, type ClauseKey, REQUIRED_CLAUSES, type StoredClause } from './tables.js';

/**
 * 追溯协议 Traceability agreement: each county keeps a versioned template text (a new version supersedes the old);
 * every registered producer of the county accepts the current version in the UI; the date, version and the account
 * that accepted are recorded. Producers without a signature of the current version are listed for follow-up.
 */
const clauseName = (k: ClauseKey) => ({ key: k, name: CLAUSE_LABELS[k].zh, nameEn: CLAUSE_LABELS[k].en });
const storedClauses = (t: Selectable<AgreementTemplateTable>): StoredClause[] =>
  (Array.isArray(t.clauses) ? t.clauses : []).filter((c) => REQUIRED_CLAUSES.includes(c.key) && c.text?.trim());
const missingOf = (t: Selectable<AgreementTemplateTable>) => {
  const have = new Set(storedClauses(t).map((c) => c.key));
  return REQUIRED_CLAUSES.filter((k) => !have.has(k));
};
const tplDto = (t: Selectable<AgreementTemplateTable>): Template => ({
  id: t.id,
  countyCode: t.county_code,
  version: t.version,
  title: t.title,
  body: t.body,
  clauses: storedClauses(t).map((c) => ({ ...clauseName(c.key), text: c.text })),
  missingClauses: missingOf(t).map(clauseName),
  createdAt: t.created_at.toISOString(),
});

const stateOf = (g: Pick<Selectable<AgreementSignatureTable>, 'county_signed_at'> | undefined): SignatureState =>
  !g ? 'unsigned' : g.county_signed_at ? 'signed' : 'awaiting_county';
const stateNames = (st: SignatureState) => {
  const l = signatureFlow.stateLabel(st);
  return { state: st, stateName: l.zh, stateNameEn: l.en };
};
/** A county-level officer of this county, holding agreement.manage, signs for the county. */
const isCountyOf = (ctx: Ctx, county: string) => ctx.actor.scope === county && ctx.actor.verbs.has('agreement.manage');

/** The versions of a county's template (the caller's county, or one above or below its jurisdiction). */
export async function templates(ctx: Ctx, q: TemplatesQuery) {
  const c = q.county ?? ctx.actor.scope;
  if (!isLevel(c, 'county')) throw problems.invalid('county', '：请选择一个县（区）', ': choose a county');
  if (!inScope(ctx.actor.scope, c) && !inScope(c, ctx.actor.scope))
    throw problems.outOfJurisdiction('区划', 'division');
  const res = await repo.templatesOf(ctx.db, c, pageOf(q, { pageSize: 200 }));
  return mapPage(res, tplDto);
}

/** A new version of the county's template (county-level officers only). */
export async function publish(ctx: Ctx, input: PublishInput) {
  if (!isLevel(ctx.actor.scope, 'county')) throw new Problem('AGREEMENT_COUNTY_ONLY');
  const county = ctx.actor.scope;
  const seen = new Set<string>();
  input.clauses.forEach((c, i) => {
    if (seen.has(c.key)) throw problems.invalid(`clauses.${i}.key`, '：条款重复', ': the clause is given twice');
    seen.add(c.key);
  });
  for (const k of REQUIRED_CLAUSES) {
    const c = input.clauses.find((x) => x.key === k);
    if (!c || c.text.trim().length < 4)
      throw new Problem('AGREEMENT_CLAUSE_MISSING', {
        clauseZh: CLAUSE_LABELS[k].zh,
        clauseEn: CLAUSE_LABELS[k].en,
        field: c ? `clauses.${input.clauses.indexOf(c)}.text` : 'clauses',
      });
  }
  const clauses: StoredClause[] = REQUIRED_CLAUSES.map((k) => ({
    key: k,
    text: (input.clauses.find((x) => x.key === k)?.text ?? '').trim(),
  }));
  await repo.lockCounty(ctx.db, county);
  const cur = await repo.currentTemplate(ctx.db, county);
  const row = await repo.insertTemplate(ctx.db, {
    county_code: county,
    version: (cur?.version ?? 0) + 1,
    title: input.title.trim(),
    body: input.body,
    clauses: JSON.stringify(clauses),
    created_by: ctx.actor.id,
  });
  await audit(ctx, {
    verb: 'agreement.manage',
    targetType: 'agreement_template',
    targetId: row.id,
    divisionCode: county,
    summary: { version: row.version, title: row.title, clauses: clauses.map((c) => c.key) },
  });
  return tplDto(row);
}

const countyOfSubject = (s: { division_code: string }) => countyOf(s.division_code) ?? s.division_code;

/** The producer's view: the current template of its county and whether (and when) it accepted it. */
export async function mine(ctx: Ctx): Promise<Mine> {
  const s = await requireOwnActiveSubject(ctx);
  const cur = await repo.currentTemplate(ctx.db, countyOfSubject(s));
  const signatures = await repo.signaturesOf(ctx.db, s.id);
  const signed = cur ? signatures.find((x) => x.template_id === cur.id) : undefined;
  const signer = ctx.actor.verbs.has('agreement.sign');
  const st = stateOf(signed);
  return {
    template: cur ? tplDto(cur) : null,
    signedCurrent: !!signed,
    signedAt: signed?.signed_at.toISOString() ?? null,
    ...stateNames(st),
    countySignedAt: signed?.county_signed_at?.toISOString() ?? null,
    countySignerName: signed?.county_signer_name ?? null,
    countyOrgName: signed?.county_org_name ?? null,
    history: signatures.map((x) => ({
      version: x.version,
      signedAt: x.signed_at.toISOString(),
      signerName: x.signer_name,
      countySignedAt: x.county_signed_at?.toISOString() ?? null,
      countySignerName: x.county_signer_name,
    })),
    // An incomplete version (no structured clauses) cannot be accepted, so the button is not offered.
    allowedActions: cur && !missingOf(cur).length ? signatureFlow.allowedActions(st, signer ? ['signer'] : []) : [],
  };
}

export async function sign(ctx: Ctx, input: SignInput) {
  const { templateId } = input;
  const s = await requireOwnActiveSubject(ctx);
  const cur = await repo.currentTemplate(ctx.db, countyOfSubject(s));
  if (!cur || cur.id !== templateId) throw new Problem('AGREEMENT_NOT_CURRENT', { field: 'templateId' });
  const missing = missingOf(cur);
  if (missing.length)
    throw new Problem('AGREEMENT_TEMPLATE_INCOMPLETE', {
      clauseZh: CLAUSE_LABELS[missing[0]].zh,
      clauseEn: CLAUSE_LABELS[missing[0]].en,
      field: 'templateId',
    });
  const notTicked = REQUIRED_CLAUSES.find((k) => !input.acceptedClauses.includes(k));
  if (notTicked)
    throw new Problem('AGREEMENT_CLAUSE_NOT_ACCEPTED', {
      clauseZh: CLAUSE_LABELS[notTicked].zh,
      clauseEn: CLAUSE_LABELS[notTicked].en,
      field: 'acceptedClauses',
    });
  const already = (await repo.signaturesOf(ctx.db, s.id)).find((x) => x.template_id === cur.id);
  signatureFlow.transition(stateOf(already), 'sign', ctx.actor.verbs.has('agreement.sign') ? ['signer'] : []);
  await repo.insertSignature(ctx.db, {
    subject_id: s.id,
    template_id: cur.id,
    county_code: cur.county_code,
    version: cur.version,
    signed_by: ctx.actor.id,
    signer_name: ctx.actor.displayName,
    ip: ctx.ip,
    accepted_clauses: [...REQUIRED_CLAUSES],
  });
  await audit(ctx, {
    verb: 'agreement.sign',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { version: cur.version, templateId, acceptedClauses: [...REQUIRED_CLAUSES] },
  });
  // The county is the other party: its officers see the acceptance waiting for their signature.
  const regulators = await countyRegulators(ctx.db, cur.county_code);
  await notify(
    ctx.db,
    regulators.map((orgId) => ({
      orgId,
      kind: 'agreement.awaiting_county',
      titleZh: `${s.name} 已签订追溯协议（第 ${cur.version} 版），待县级签署`,
      titleEn: `${s.name} accepted the traceability agreement (v${cur.version}); the county’s signature is due`,
      link: '/agreements',
      divisionCode: s.division_code,
    })),
  );
  return mine(ctx);
}

function signatureDto(ctx: Ctx, g: Awaited<ReturnType<typeof repo.signatures>>['items'][number]): SignatureItem {
  const st = stateOf(g);
  const current = g.current_version !== null && Number(g.current_version) === g.version;
  return {
    id: g.id,
    subjectId: g.subject_id,
    subjectName: g.subject_name,
    divisionName: g.division_name ?? '',
    countyCode: g.county_code,
    version: g.version,
    current,
    signedAt: g.signed_at.toISOString(),
    signerName: g.signer_name,
    acceptedClauses: (g.accepted_clauses ?? [])
      .filter((k): k is ClauseKey => (REQUIRED_CLAUSES as readonly string[]).includes(k))
      .map(clauseName),
    countySignedAt: g.county_signed_at?.toISOString() ?? null,
    countySignerName: g.county_signer_name,
    countyOrgName: g.county_org_name,
    ...stateNames(st),
    allowedActions: current && isCountyOf(ctx, g.county_code) ? signatureFlow.allowedActions(st, ['county']) : [],
  };
}

/** Producers' acceptances in the jurisdiction: those awaiting the county's signature, or signed by both. */
export async function listSignatures(ctx: Ctx, q: SignaturesQuery) {
  if (q.within && !inScope(ctx.actor.scope, q.within)) throw problems.outOfJurisdiction('区划', 'division');
  const res = await repo.signatures(ctx.db, { scope: ctx.actor.scope, within: q.within, state: q.state }, pageOf(q));
  return mapPage(res, (g) => signatureDto(ctx, g));
}

/** The county signs as the other party (seed 001 art. 10: 县级农业行政主管部门应当与…签订追溯协议). */
export async function countersign(ctx: Ctx, id: string): Promise<SignatureItem> {
  const g = await repo.signatureById(ctx.db, id);
  if (!g) throw problems.notFound('协议签订记录', 'Agreement acceptance');
  if (!inScope(ctx.actor.scope, g.division_code)) throw problems.outOfJurisdiction('追溯协议', 'agreement');
  const cur = await repo.currentTemplate(ctx.db, g.county_code);
  if (!cur || cur.id !== g.template_id) throw new Problem('AGREEMENT_NOT_CURRENT', { field: 'id' });
  signatureFlow.transition(
    stateOf(g),
    'countersign',
    isCountyOf(ctx, g.county_code) ? ['county'] : [],
    () => new Problem('AGREEMENT_NOT_OWN_COUNTY'),
  );
  const row = await repo.countersign(ctx.db, id, {
    by: ctx.actor.id,
    name: ctx.actor.displayName,
    org: ctx.actor.orgName,
  });
  if (!row)
    throw new Problem('INVALID_STATE', {
      stateZh: '双方已签订',
      stateEn: 'signed',
      actionZh: '县级签署',
      actionEn: 'countersign',
      field: 'id',
    });
  await audit(ctx, {
    verb: 'agreement.manage',
    targetType: 'subject',
    targetId: g.subject_id,
    divisionCode: g.division_code,
    summary: { action: 'countersign', version: g.version, signatureId: id },
  });
  const orgs = await orgsOfSubjects(ctx.db, [g.subject_id]);
  await notify(ctx.db, [
    {
      orgId: orgs.get(g.subject_id),
      kind: 'agreement.countersigned',
      titleZh: `县级监管机构已签署追溯协议（第 ${g.version} 版）`,
      titleEn: `The county countersigned the traceability agreement (v${g.version})`,
      link: '/my-subject?tab=agreement',
      divisionCode: g.division_code,
    },
  ]);
  const [item] = (await repo.signatures(ctx.db, { scope: ctx.actor.scope, id }, { page: 1, pageSize: 1 })).items;
  return signatureDto(ctx, item);
}

const remindText = (version: number | null) => ({
  kind: 'agreement.unsigned',
  titleZh: `请签订本县农产品质量安全追溯协议${version ? `（第 ${version} 版）` : ''}`,
  titleEn: `Please accept your county’s traceability agreement${version ? ` (v${version})` : ''}`,
  body: '依据《农产品质量安全追溯管理办法》第十条，加入国家追溯平台的生产经营者应与县级农业农村部门签订追溯协议。',
  link: '/my-subject?tab=agreement',
});

/** Reminds producers (in the jurisdiction, or the ones named) that have not accepted the current version. */
export async function remind(ctx: Ctx, input: RemindInput): Promise<Reminded> {
  if (input.within && !inScope(ctx.actor.scope, input.within)) throw problems.outOfJurisdiction('区划', 'division');
  const res = await repo.unsigned(
    ctx.db,
    { scope: ctx.actor.scope, within: input.within, statuses: ACTIVE_STATUSES, subjectIds: input.subjectIds },
    { page: 1, pageSize: 5000 },
  );
  const rows = res.items.filter((r) => r.current_version !== null);
  const sent = await sendReminders(ctx.db, rows, ctx.actor.id);
  await audit(ctx, {
    verb: 'agreement.manage',
    targetType: 'division',
    targetId: input.within ?? ctx.actor.scope,
    divisionCode: input.within ?? ctx.actor.scope,
    summary: { action: 'remind', reminded: sent, subjects: rows.slice(0, 50).map((r) => r.name) },
  });
  return { reminded: sent };
}

async function sendReminders(
  db: Kysely<DB>,
  rows: { id: string; division_code: string; current_version: number | string | null }[],
  by: string | null,
) {
  const orgs = await orgsOfSubjects(
    db,
    rows.map((r) => r.id),
  );
  const reached = rows.filter((r) => orgs.has(r.id));
  await notify(
    db,
    reached.map((r) => ({
      orgId: orgs.get(r.id),
      divisionCode: r.division_code,
      ...remindText(r.current_version === null ? null : Number(r.current_version)),
    })),
  );
  await repo.insertReminders(
    db,
    reached.map((r) => ({
      subject_id: r.id,
      county_code: countyOf(r.division_code) ?? r.division_code,
      version: r.current_version === null ? null : Number(r.current_version),
      reminded_by: by,
    })),
  );
  return reached.length;
}

/** Weekly: every producer that still has not accepted its county's current version is reminded once a week. */
export async function remindJob(job: Pick<JobContext, 'db'>) {
  return job.db.transaction().execute(async (trx) => {
    const res = await repo.unsigned(
      trx,
      { scope: '', statuses: ACTIVE_STATUSES, notRemindedSince: new Date(Date.now() - 7 * 86_400_000) },
      { page: 1, pageSize: 5000 },
    );
    const sent = await sendReminders(trx, res.items, null);
    if (sent)
      await auditOutsideRequest(trx, {
        actor: null,
        verb: 'agreement.manage',
        targetType: 'division',
        targetId: '',
        divisionCode: '',
        summary: { action: 'remind', reminded: sent },
      });
    return { reminded: sent };
  });
}

/** Approved producers in the jurisdiction without a signature of their county's current version. */
export async function unsigned(ctx: Ctx, q: UnsignedQuery) {
  if (q.within && !inScope(ctx.actor.scope, q.within)) throw problems.outOfJurisdiction('区划', 'division');
  const res = await repo.unsigned(
    ctx.db,
    { scope: ctx.actor.scope, within: q.within, statuses: ACTIVE_STATUSES },
    pageOf(q),
  );
  return mapPage(
    res,
    (r): UnsignedItem => ({
      subjectId: r.id,
      name: r.name,
      identityCode: r.identity_code,
      divisionCode: r.division_code,
      divisionName: r.division_name ?? '',
      contactName: r.contact_name,
      contactPhone: r.contact_phone,
      currentVersion: r.current_version === null ? null : Number(r.current_version),
      signedVersion: r.signed_version === null ? null : Number(r.signed_version),
      remindedAt: r.reminded_at ? new Date(r.reminded_at).toISOString() : null,
      reminders: Number(r.reminders ?? 0),
    }),
  );
}
