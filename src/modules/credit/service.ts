import { assertInScope } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { CreditSource } from '../../schema.js';
import { normaliseCode } from '../../kernel/idcodes.js';
import { isIdentityCode } from '../subjects/identity.js';
import * as repo from './repo.js';

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
  const last = raw.includes('/') || raw.includes('=') ? (raw.split(/[/?#=&]/).filter(Boolean).pop() ?? '') : raw;
  const code = normaliseCode(last).replace(/-/g, '');
  if (!isIdentityCode(code)) throw problems.invalid(field, '不是有效的主体身份码（格式或校验位不对），请重新扫码或核对后输入', 'is not a valid identity code (format or check character); scan again or check it');
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
  input: { subjectId: string; divisionCode: string; source: CreditSource; sourceId: string; severity: 'minor' | 'serious'; titleZh: string; titleEn: string; occurredAt?: Date },
): Promise<string> {
  const rule = await repo.ruleFor(ctx.db, input.source, input.severity);
  if (!rule) throw new Error(`no credit rule for ${input.source}/${input.severity}`);
  const row = await repo.insertRecord(ctx.db, {
    subject_id: input.subjectId,
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

function since(months: number, now = new Date()): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

/** The rating from data: points deducted within the window → the first grade whose max_points ≥ points. */
export function gradeOf(points: number, grades: { grade: string; max_points: number; name_zh: string; name_en: string }[]) {
  const g = grades.find((x) => points <= x.max_points) ?? grades[grades.length - 1];
  return { grade: g.grade, nameZh: g.name_zh, nameEn: g.name_en };
}

export async function archive(ctx: Ctx<Actor | null>, subject: repo.SubjectRow) {
  const [records, grades, pol] = await Promise.all([repo.recordsOf(ctx.db, subject.id), repo.grades(ctx.db), repo.policy(ctx.db)]);
  const from = since(pol.windowMonths);
  const live = records.filter((r) => !r.withdrawn_at && r.occurred_at >= from);
  const points = live.reduce((a, r) => a + r.points, 0);
  return {
    subject: { id: subject.id, name: subject.name, divisionCode: subject.division_code, identityCode: subject.identity_code },
    points,
    rating: gradeOf(points, grades),
    recordsInWindow: live.length,
    repeatOffender: live.length >= pol.repeatThreshold,
    policy: pol,
    records: records.map((r) => ({
      id: r.id,
      source: r.source,
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

export async function subjectArchive(ctx: Ctx, subjectId: string) {
  const s = await repo.subjectById(ctx.db, subjectId);
  if (!s) throw problems.notFound(...SUBJECT);
  assertInScope(ctx.actor.scope, s.division_code, ...SUBJECT);
  return archive(ctx, s);
}

/** A producer's own record: the subject of the actor's organisation. */
export async function myArchive(ctx: Ctx) {
  const s = await repo.subjectByOrg(ctx.db, ctx.actor.orgId);
  if (!s) throw problems.notFound('本机构的主体档案', 'Producer record of your organisation');
  return archive(ctx, s);
}

export async function ratingsOf(ctx: Ctx<Actor | null>, subjectIds: string[]) {
  const [grades, pol] = await Promise.all([repo.grades(ctx.db), repo.policy(ctx.db)]);
  const rows = await repo.tallies(ctx.db, since(pol.windowMonths), { subjectIds });
  const out = new Map<string, { points: number; grade: string }>();
  for (const id of subjectIds) out.set(id, { points: 0, grade: gradeOf(0, grades).grade });
  for (const r of rows) out.set(r.subject_id, { points: Number(r.points), grade: gradeOf(Number(r.points), grades).grade });
  return out;
}

export async function rulesAndGrades(ctx: Ctx) {
  const [rules, grades, pol] = await Promise.all([repo.rules(ctx.db), repo.grades(ctx.db), repo.policy(ctx.db)]);
  return {
    rules: rules.map((r) => ({ code: r.code, source: r.source, severity: r.severity, points: r.points, nameZh: r.name_zh, nameEn: r.name_en })),
    grades: grades.map((g) => ({ grade: g.grade, maxPoints: g.max_points, nameZh: g.name_zh, nameEn: g.name_en })),
    policy: pol,
  };
}

/** Subjects with bad records in my jurisdiction (for the credit page). */
export async function listInScope(ctx: Ctx, q: { repeatOnly?: boolean }) {
  const [grades, pol] = await Promise.all([repo.grades(ctx.db), repo.policy(ctx.db)]);
  const rows = await repo.tallies(ctx.db, since(pol.windowMonths), { scope: ctx.actor.scope, minCount: q.repeatOnly ? pol.repeatThreshold : undefined });
  return rows.map((r) => talliedDto(r, grades, pol.repeatThreshold));
}

function talliedDto(r: Awaited<ReturnType<typeof repo.tallies>>[number], grades: Awaited<ReturnType<typeof repo.grades>>, threshold: number) {
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
    repeatOffender: Number(r.n) >= threshold,
    lastAt: new Date(r.last_at as unknown as string).toISOString(),
  };
}

/** Public list of repeat offenders (seed 000 art. 19: 屡教不改的，对社会公布其信用信息). */
export async function publicOffenders(ctx: Ctx<Actor | null>, within?: string) {
  const [grades, pol] = await Promise.all([repo.grades(ctx.db), repo.policy(ctx.db)]);
  const rows = await repo.tallies(ctx.db, since(pol.windowMonths), { scope: within ?? '', minCount: pol.repeatThreshold });
  return {
    policy: pol,
    items: rows.map((r) => {
      const d = talliedDto(r, grades, pol.repeatThreshold);
      return { name: d.name, divisionCode: d.divisionCode, identityCode: d.identityCode, records: d.records, grade: d.grade, gradeZh: d.gradeZh, lastAt: d.lastAt };
    }),
  };
}
