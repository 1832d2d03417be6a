import { assertInScope } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { normaliseCode } from '../../kernel/idcodes.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { CreditSeverity, CreditSource } from '../../schema.js';
import { notify } from '../notifications/service.js';
import { isIdentityCode } from '../subjects/identity.js';
import * as repo from './repo.js';
import {
  type AgencyArchive,
  type Archive,
  type OffenderPage,
  type OffenderQuery,
  PARTY_LABELS,
  type PartyTallied,
  type Rules,
  SEVERITY_LABELS,
  SOURCE_LABELS,
  type Tallied,
  type TalliedQuery,
} from './schemas.js';

/**
 * Credit archive (诚信档案, seed 000 art. 19): bad records from patrols, tests and penalties; a rating computed by
 * rules kept as data (credit_rule points, credit_grade bands, platform_setting 'credit.policy' window and repeat
 * threshold); repeat offenders (屡教不改) published on a public list.
 */
export const SUBJECT = ['主体', 'Producer'] as const;

export async function findSubject(ctx: Ctx<Actor | null>, id: string, field = 'subjectId') {
  const s = await repo.subjectById(ctx.db, id);
  if (!s) throw problems.invalid(field, '指向的主体不存在', 'names a producer that does not exist');
  return s;
}

/**
 * The subject behind an identity code (scanned QR, a URL ending in the code, or typed). A code with a wrong check
 * character is a typing error (400 naming the field); a well-formed unknown code is 404 SUBJECT_CODE_UNKNOWN.
 */
export async function findSubjectByCode(ctx: Ctx<Actor | null>, raw: string, field = 'identityCode') {
  const last =
    raw.includes('/') || raw.includes('=')
      ? (raw
          .split(/[/?#=&]/)
          .filter(Boolean)
          .pop() ?? '')
      : raw;
  const code = normaliseCode(last).replace(/-/g, '');
  if (!isIdentityCode(code))
    throw problems.invalid(
      field,
      '不是有效的主体身份码（格式或校验位不对），请重新扫码或核对后输入',
      'is not a valid identity code (format or check character); scan again or check it',
    );
  const s = await repo.subjectByIdentityCode(ctx.db, code);
  if (!s) throw new Problem('SUBJECT_CODE_UNKNOWN', { code, field });
  return s;
}

/**
 * Adds (or upgrades) the bad record of a source. Called inside the source's write transaction; idempotent per
 * (source, sourceId). Returns the record id.
 */
export async function recordBad(
  ctx: Ctx<Actor | null>,
  input: {
    subjectId: string;
    divisionCode: string;
    source: CreditSource;
    sourceId: string;
    severity: CreditSeverity;
    titleZh: string;
    titleEn: string;
    occurredAt?: Date;
  },
): Promise<string> {
  const rule = await repo.ruleFor(ctx.db, input.source, input.severity);
  if (!rule) throw new Error(`no credit rule for ${input.source}/${input.severity}`);
  const row = await repo.insertRecord(ctx.db, {
    subject_id: input.subjectId,
    party_kind: 'subject',
    agency_org_id: null,
    collector_id: null,
    division_code: input.divisionCode,
    source: input.source,
    source_id: input.sourceId,
    rule_code: rule.code,
    points: rule.points,
    title_zh: input.titleZh,
    title_en: input.titleEn,
    occurred_at: input.occurredAt ?? new Date(),
  });
  return row.id;
}

/**
 * A bad record of information collection (seed 000 art. 19: repeated late uploads, repeated returns, unresolved
 * rectification notices) against whoever is responsible for the collection (信息采集责任主体): the producer of a
 * producer organisation; a service agency (第三方服务机构) collecting for producers or for a county's origin map, and
 * — when named — the agency's individual collector who entered the record. Each agency or collector record is sent to
 * the agency as an order to correct (责令改正); a further record after it is 屡教不改. Organisations of other kinds
 * (supervision staff collecting) have no archive. Returns the producer's record id, or null.
 */
export async function recordCollectionBad(
  ctx: Ctx<Actor | null>,
  input: {
    /** The organisation that collected; the collector's organisation when absent. */
    orgId?: string | null;
    collectorId?: string | null;
    /** Where the collected record lies (jurisdiction of the agency and collector records); the org's division if absent. */
    divisionCode?: string | null;
    sourceId: string;
    severity: CreditSeverity;
    titleZh: string;
    titleEn: string;
  },
): Promise<string | null> {
  const { orgId: given, collectorId, divisionCode, ...rest } = input;
  const who = collectorId ? await repo.accountById(ctx.db, collectorId) : undefined;
  const orgId = given ?? who?.org_id;
  if (!orgId) return null;
  const s = await repo.subjectByOrg(ctx.db, orgId);
  if (s) return recordBad(ctx, { ...rest, subjectId: s.id, divisionCode: s.division_code, source: 'collection' });
  const org = await repo.orgById(ctx.db, orgId);
  if (org?.kind !== 'service') return null;
  const division = divisionCode ?? org.division_code;
  const party = { ...rest, agencyOrgId: orgId, divisionCode: division };
  let added = await recordPartyBad(ctx, { ...party, party: 'agency', collectorId: null });
  const collector = who && who.org_id === orgId ? who : undefined;
  if (collector)
    added = (await recordPartyBad(ctx, { ...party, party: 'collector', collectorId: collector.id })) || added;
  // The order to correct goes out with each new record (a repeat of the same trigger only updates it).
  if (!added) return null;
  await notify(ctx.db, [
    {
      orgId,
      kind: 'credit',
      titleZh: `诚信档案：${input.titleZh}${collector ? `（采集员 ${collector.display_name}）` : ''}，请立即改正`,
      titleEn: `Credit archive: ${input.titleEn}${collector ? ` (collector ${collector.display_name})` : ''}; correct it now`,
      divisionCode: division,
    },
  ]);
  return null;
}

async function recordPartyBad(
  ctx: Ctx<Actor | null>,
  input: {
    party: 'agency' | 'collector';
    agencyOrgId: string;
    collectorId: string | null;
    divisionCode: string;
    sourceId: string;
    severity: CreditSeverity;
    titleZh: string;
    titleEn: string;
  },
): Promise<boolean> {
  const rule = await repo.ruleFor(ctx.db, 'collection', input.severity);
  if (!rule) throw new Error(`no credit rule for collection/${input.severity}`);
  const existed = await repo.partyRecordExists(ctx.db, input.sourceId, input.party, input.collectorId);
  await repo.insertRecord(ctx.db, {
    subject_id: null,
    party_kind: input.party,
    agency_org_id: input.agencyOrgId,
    collector_id: input.collectorId,
    division_code: input.divisionCode,
    source: 'collection',
    source_id: input.sourceId,
    rule_code: rule.code,
    points: rule.points,
    title_zh: input.titleZh,
    title_en: input.titleEn,
    occurred_at: new Date(),
  });
  return !existed;
}

function since(months: number, now = new Date()): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** The rating from data: points deducted within the window → the first grade whose max_points ≥ points. */
export function gradeOf(
  points: number,
  grades: { grade: string; max_points: number; name_zh: string; name_en: string }[],
) {
  const g = grades.find((x) => points <= x.max_points) ?? grades[grades.length - 1];
  return { grade: g.grade, nameZh: g.name_zh, nameEn: g.name_en };
}

export async function archive(ctx: Ctx<Actor | null>, subject: repo.SubjectRow): Promise<Archive> {
  const [records, grades, pol] = await Promise.all([
    repo.recordsOf(ctx.db, subject.id),
    repo.grades(ctx.db),
    repo.policy(ctx.db),
  ]);
  const from = since(pol.windowMonths);
  const live = records.filter((r) => !r.withdrawn_at && r.occurred_at >= from);
  const points = live.reduce((a, r) => a + r.points, 0);
  return {
    subject: {
      id: subject.id,
      name: subject.name,
      divisionCode: subject.division_code,
      identityCode: subject.identity_code,
    },
    points,
    rating: gradeOf(points, grades),
    recordsInWindow: live.length,
    repeatOffender: live.length >= pol.repeatThreshold,
    policy: pol,
    records: records.map((r) => ({
      id: r.id,
      source: r.source,
      sourceZh: SOURCE_LABELS[r.source].zh,
      sourceEn: SOURCE_LABELS[r.source].en,
      sourceId: r.source_id,
      ruleCode: r.rule_code,
      points: r.points,
      titleZh: r.title_zh,
      titleEn: r.title_en,
      occurredAt: r.occurred_at.toISOString(),
      withdrawn: !!r.withdrawn_at,
    })),
  };
}

export async function subjectArchive(ctx: Ctx, subjectId: string): Promise<Archive> {
  const s = await repo.subjectById(ctx.db, subjectId);
  if (!s) throw problems.notFound(...SUBJECT);
  assertInScope(ctx.actor.scope, s.division_code, ...SUBJECT);
  return archive(ctx, s);
}

/** A producer's own record: the subject of the actor's organisation. */
export async function myArchive(ctx: Ctx): Promise<Archive> {
  const s = await repo.subjectByOrg(ctx.db, ctx.actor.orgId);
  if (!s) throw problems.notFound('本机构的主体档案', 'Producer record of your organisation');
  return archive(ctx, s);
}

export async function ratingsOf(ctx: Ctx<Actor | null>, subjectIds: string[]) {
  const [grades, pol] = await Promise.all([repo.grades(ctx.db), repo.policy(ctx.db)]);
  const rows = await repo.talliesOf(ctx.db, since(pol.windowMonths), subjectIds);
  const out = new Map<string, { points: number; grade: string }>();
  for (const id of subjectIds) out.set(id, { points: 0, grade: gradeOf(0, grades).grade });
  for (const r of rows)
    out.set(r.subject_id, { points: Number(r.points), grade: gradeOf(Number(r.points), grades).grade });
  return out;
}

export async function rulesAndGrades(ctx: Ctx): Promise<Rules> {
  const [rules, grades, pol] = await Promise.all([repo.rules(ctx.db), repo.grades(ctx.db), repo.policy(ctx.db)]);
  return {
    rules: rules.map((r) => ({
      code: r.code,
      source: r.source,
      sourceZh: SOURCE_LABELS[r.source].zh,
      sourceEn: SOURCE_LABELS[r.source].en,
      severity: r.severity,
      severityZh: SEVERITY_LABELS[r.severity].zh,
      severityEn: SEVERITY_LABELS[r.severity].en,
      points: r.points,
      nameZh: r.name_zh,
      nameEn: r.name_en,
    })),
    grades: grades.map((g) => ({ grade: g.grade, maxPoints: g.max_points, nameZh: g.name_zh, nameEn: g.name_en })),
    policy: pol,
  };
}

/** Subjects with bad records in my jurisdiction (for the credit page), most points first. */
export async function listInScope(ctx: Ctx, q: TalliedQuery) {
  const [grades, pol] = await Promise.all([repo.grades(ctx.db), repo.policy(ctx.db)]);
  const page = await repo.talliesPage(
    ctx.db,
    since(pol.windowMonths),
    { scope: ctx.actor.scope, minCount: q.repeatOnly ? pol.repeatThreshold : undefined },
    pageOf(q, { pageSize: 200 }),
  );
  return mapPage(page, (r) => talliedDto(r, grades, pol.repeatThreshold));
}

function talliedDto(r: repo.TallyRow, grades: Awaited<ReturnType<typeof repo.grades>>, threshold: number): Tallied {
  const points = Number(r.points);
  const g = gradeOf(points, grades);
  return {
    subjectId: r.subject_id,
    name: r.name,
    divisionCode: r.division_code,
    identityCode: r.identity_code,
    points,
    records: Number(r.n),
    grade: g.grade,
    gradeZh: g.nameZh,
    gradeEn: g.nameEn,
    repeatOffender: Number(r.n) >= threshold,
    lastAt: new Date(r.last_at).toISOString(),
  };
}

/** Public list of repeat offenders (seed 000 art. 19: 屡教不改的，对社会公布其信用信息). */
export async function publicOffenders(ctx: Ctx<Actor | null>, q: OffenderQuery): Promise<OffenderPage> {
  const [grades, pol] = await Promise.all([repo.grades(ctx.db), repo.policy(ctx.db)]);
  const page = await repo.talliesPage(
    ctx.db,
    since(pol.windowMonths),
    { scope: q.within ?? '', minCount: pol.repeatThreshold },
    pageOf(q, { pageSize: 200 }),
  );
  const items = await mapPage(page, (r) => {
    const d = talliedDto(r, grades, pol.repeatThreshold);
    return {
      name: d.name,
      divisionCode: d.divisionCode,
      identityCode: d.identityCode,
      records: d.records,
      grade: d.grade,
      gradeZh: d.gradeZh,
      gradeEn: d.gradeEn,
      lastAt: d.lastAt,
    };
  });
  return { policy: pol, ...items };
}

// ── service agencies and their collectors (issue 13 item 7) ──
const AGENCY = ['第三方服务机构', 'Service agency'] as const;

/** 屡教不改 for an agency or a collector: a record after the first one (whose order to correct went out). */
const REPEAT_AFTER_ORDER = 2;

/** Agencies and collectors with bad collection records arising in my jurisdiction, most points first. */
export async function listAgenciesInScope(ctx: Ctx, q: TalliedQuery) {
  const [grades, pol] = await Promise.all([repo.grades(ctx.db), repo.policy(ctx.db)]);
  const page = await repo.partyTalliesPage(
    ctx.db,
    since(pol.windowMonths),
    { scope: ctx.actor.scope, minCount: q.repeatOnly ? REPEAT_AFTER_ORDER : undefined },
    pageOf(q, { pageSize: 200 }),
  );
  return mapPage(page, (r): PartyTallied => {
    const points = Number(r.points);
    const g = gradeOf(points, grades);
    const party = r.party_kind === 'collector' ? 'collector' : 'agency';
    return {
      party,
      partyZh: PARTY_LABELS[party].zh,
      partyEn: PARTY_LABELS[party].en,
      agencyOrgId: r.agency_org_id ?? '',
      agencyName: r.agency_name,
      collectorId: r.collector_id,
      collectorName: r.collector_name,
      divisionCode: r.division_code,
      points,
      records: Number(r.n),
      grade: g.grade,
      gradeZh: g.nameZh,
      gradeEn: g.nameEn,
      repeatOffender: Number(r.n) >= REPEAT_AFTER_ORDER,
      lastAt: new Date(r.last_at).toISOString(),
    };
  });
}

/** One party's records (oldest first for the order, shown newest first) and its summary in the window. */
function partyView(rows: repo.AgencyRecordRow[], from: Date, grades: Awaited<ReturnType<typeof repo.grades>>) {
  const live = rows.filter((r) => !r.withdrawn_at && r.occurred_at >= from);
  const firstAt = live.reduce<Date | null>((a, r) => (!a || r.occurred_at < a ? r.occurred_at : a), null);
  const points = live.reduce((a, r) => a + r.points, 0);
  return {
    points,
    recordsInWindow: live.length,
    rating: gradeOf(points, grades),
    repeatOffender: live.length >= REPEAT_AFTER_ORDER,
    records: rows.map((r) => ({
      id: r.id,
      sourceId: r.source_id,
      ruleCode: r.rule_code,
      points: r.points,
      titleZh: r.title_zh,
      titleEn: r.title_en,
      occurredAt: r.occurred_at.toISOString(),
      withdrawn: !!r.withdrawn_at,
      afterOrder: !r.withdrawn_at && firstAt !== null && r.occurred_at > firstAt,
    })),
  };
}

/** The credit archive of a service agency and its collectors, as far as their records arose in my jurisdiction. */
export async function agencyArchive(ctx: Ctx, orgId: string): Promise<AgencyArchive> {
  const org = await repo.orgById(ctx.db, orgId);
  if (!org || org.kind !== 'service') throw problems.notFound(...AGENCY);
  return archiveOf(ctx, org, ctx.actor.scope);
}

/**
 * A service agency's own archive (read-only): its organisation's records and its collectors', wherever they arose —
 * always the caller's own organisation, so no agency sees another's.
 */
export async function myAgencyArchive(ctx: Ctx): Promise<AgencyArchive> {
  const org = await repo.orgById(ctx.db, ctx.actor.orgId);
  if (!org || org.kind !== 'service') throw problems.notFound(...AGENCY);
  return archiveOf(ctx, org, '');
}

async function archiveOf(
  ctx: Ctx,
  org: NonNullable<Awaited<ReturnType<typeof repo.orgById>>>,
  scope: string,
): Promise<AgencyArchive> {
  const orgId = org.id;
  const [rows, grades, pol] = await Promise.all([
    repo.agencyRecords(ctx.db, orgId, scope),
    repo.grades(ctx.db),
    repo.policy(ctx.db),
  ]);
  if (!rows.length && !org.division_code.startsWith(scope)) throw problems.outOfJurisdiction(...AGENCY);
  const from = since(pol.windowMonths);
  const byCollector = new Map<string, repo.AgencyRecordRow[]>();
  for (const r of rows)
    if (r.party_kind === 'collector' && r.collector_id)
      byCollector.set(r.collector_id, [...(byCollector.get(r.collector_id) ?? []), r]);
  return {
    agency: { orgId: org.id, name: org.name, divisionCode: org.division_code },
    policy: pol,
    ...partyView(
      rows.filter((r) => r.party_kind === 'agency'),
      from,
      grades,
    ),
    collectors: [...byCollector.entries()].map(([id, list]) => ({
      collectorId: id,
      name: list[0].collector_name ?? '',
      ...partyView(list, from, grades),
    })),
  };
}
