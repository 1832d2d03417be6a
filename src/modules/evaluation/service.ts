import { newWorkbook } from '../../kernel/excel.js';
import { LEVEL_LABELS, assertInScope, childLength, childLevel, levelOf } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { chinaDate } from '../../kernel/calendar.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import type { JobContext } from '../../kernel/jobs.js';
import { children, fullName } from '../regions/service.js';
import { lastMonths, monthStart, scoreUnit } from './metrics.js';
import * as sharing from '../sharing/service.js';
import * as repo from './repo.js';
import type { ConnectionFigures, DrillQuery, Evaluation, EvaluationQuery, UnitRow } from './schemas.js';
import { safeCellText, workbookBuffer } from '../../kernel/spreadsheet.js';

/**
 * getEvaluation (考核评价): for a unit, ranked tables of the units one level down with continuity, timeliness,
 * quality, usage and (later) sharing, over the last N months; monthly snapshots; drill-down to the records; Excel.
 */
const UNIT = ['单位', 'Unit'] as const;
const n = (v: string | number | null | undefined) => Number(v ?? 0);

export async function evaluate(ctx: Ctx<Actor | null>, divisionCode: string, months = 6): Promise<Evaluation> {
  const unitLen = childLength(divisionCode);
  const level = childLevel(divisionCode);
  if (unitLen === null || level === null)
    throw problems.invalid('divisionCode', '村级以下没有下级单位可评价', 'has no lower level to evaluate');
  const ms = lastMonths(months);
  const from = monthStart(ms[0]);
  const since30 = new Date(Date.now() - 30 * 86_400_000);
  const db = ctx.db;
  const [units, collected, producers, recording, review, flags, usage, overdue, links] = await Promise.all([
    children(ctx, divisionCode),
    repo.collectedByUnit(db, divisionCode, unitLen, from),
    repo.producersByUnit(db, divisionCode, unitLen),
    repo.recordingByUnitMonth(db, divisionCode, unitLen, from),
    repo.reviewByUnit(db, divisionCode, unitLen, from),
    repo.patrolFlagsByUnit(db, divisionCode, unitLen, from),
    repo.usageByUnit(db, divisionCode, unitLen, since30),
    repo.overdueNoticesByUnit(db, divisionCode, unitLen, chinaDate(), from),
    sharing.lowerConnectionFigures(ctx, from),
  ]);
  const by = <T extends { u: string }>(rows: T[]) => new Map(rows.map((r) => [r.u, r]));
  const [c, p, rv, fl, us, od] = [by(collected), by(producers), by(review), by(flags), by(usage), by(overdue)];
  const rows: Omit<UnitRow, 'rank'>[] = units.map((u) => {
    const figures = {
      records: n(c.get(u.code)?.n),
      late: n(c.get(u.code)?.late),
      timed: n(c.get(u.code)?.timed),
      completeness: c.get(u.code)?.completeness == null ? null : Number(c.get(u.code)?.completeness),
      producers: n(p.get(u.code)?.n),
      recordingByMonth: ms.map((m) => n(recording.find((r) => r.u === u.code && r.m === m)?.n)),
      reviewItems: n(rv.get(u.code)?.n),
      reviewApproved: n(rv.get(u.code)?.approved),
      reviewDecided: n(rv.get(u.code)?.decided),
      reviewReturned: n(rv.get(u.code)?.returned),
      patrolFlags: n(fl.get(u.code)?.n),
      activeAccounts: n(us.get(u.code)?.accounts),
      activeOrgs: n(us.get(u.code)?.orgs),
      overdueNotices: n(od.get(u.code)?.n),
    };
    const s = scoreUnit(figures);
    return {
      code: u.code,
      name: u.name,
      records: figures.records,
      late: figures.late,
      producers: figures.producers,
      recordingByMonth: figures.recordingByMonth,
      activeAccounts: figures.activeAccounts,
      activeOrgs: figures.activeOrgs,
      overdueNotices: figures.overdueNotices,
      ...connectionOf(links, u.code),
      ...s,
    };
  });
  rows.sort((a, b) => b.score - a.score || b.records - a.records || a.code.localeCompare(b.code));
  const label = LEVEL_LABELS[level];
  return {
    divisionCode,
    name: divisionCode === '' ? '全国' : await fullName(ctx, divisionCode),
    unitLevel: level,
    unitLevelZh: label.zh,
    unitLevelEn: label.en,
    months: ms,
    from: from.toISOString(),
    units: rows.map((r, i) => ({ rank: i + 1, ...r })),
  };
}

type Link = Awaited<ReturnType<typeof sharing.lowerConnectionFigures>>[number];

/** A unit's connection and sharing figures: its lower platforms' connections (the unit's own, or inside it), summed. */
function connectionOf(links: Link[], unit: string): { sharing: number | null; connection: ConnectionFigures | null } {
  const mine = links.filter((l) => l.region.startsWith(unit));
  if (!mine.length) return { sharing: null, connection: null };
  const connected = mine.every((l) => l.connected);
  const successes = mine.map((l) => l.lastSuccessAt);
  const oldest = successes.some((d) => d === null)
    ? null
    : successes.reduce((a, b) => (a && b && a < b ? a : b), successes[0]);
  return {
    sharing: connected ? 1 : 0,
    connection: {
      platforms: mine.map((l) => l.platformId),
      connected,
      lastSuccessAt: oldest ? oldest.toISOString() : null,
      lagMs: Math.max(...mine.map((l) => l.lagMs)),
      backlog: mine.reduce((a, l) => a + l.backlog, 0),
      errors: mine.reduce((a, l) => a + l.errorCount, 0),
      parked: mine.reduce((a, l) => a + l.parkedCount, 0),
      sharedInPeriod: mine.reduce((a, l) => a + l.sharedInPeriod, 0),
    },
  };
}

function target(ctx: Ctx, code: string | undefined) {
  const d = code ?? ctx.actor.scope;
  assertInScope(ctx.actor.scope, d, ...UNIT);
  levelOf(d);
  return d;
}

export async function getEvaluation(ctx: Ctx, q: EvaluationQuery): Promise<Evaluation> {
  return evaluate(ctx, target(ctx, q.divisionCode), q.months ?? 6);
}

/** Drill-down: the collected records behind a figure (late ones, a resource, a unit). */
export async function drillDown(ctx: Ctx, q: DrillQuery) {
  if (q.divisionCode) assertInScope(ctx.actor.scope, q.divisionCode, ...UNIT);
  const from = monthStart(lastMonths(q.months ?? 6)[0]);
  const page = await repo.collectedPage(
    ctx.db,
    { scope: ctx.actor.scope, divisionCode: q.divisionCode, resource: q.resource, late: q.late, from },
    pageOf(q),
  );
  const names = await sharing.resourceNamer(ctx.db);
  return mapPage(page, (r) => ({
    resource: r.resource,
    resourceLabel: names.resource(r.resource),
    recordId: r.record_id,
    catalogVersion: r.catalog_version,
    divisionCode: r.division_code,
    workAt: r.work_at ? r.work_at.toISOString() : null,
    uploadedAt: r.uploaded_at.toISOString(),
    lateDays: r.late_days,
    late: r.late,
    completeness: r.fields_total ? Math.round((r.fields_filled / r.fields_total) * 1000) / 1000 : 1,
  }));
}

/** Stores this month's evaluation of a unit (the monthly job does it for the platform's own unit and its children). */
export async function snapshot(ctx: Ctx<Actor | null>, divisionCode: string) {
  const e = await evaluate(ctx, divisionCode);
  await repo.upsertSnapshot(ctx.db, divisionCode, e.months[e.months.length - 1], e);
  return e;
}

export async function listSnapshots(ctx: Ctx, code: string | undefined) {
  const d = target(ctx, code);
  const rows = await repo.snapshots(ctx.db, d);
  return rows.map((r) => ({
    month: r.month,
    createdAt: r.created_at.toISOString(),
    content: r.content as unknown as Evaluation,
  }));
}

/** The snapshot job (daily; the month's row is replaced until the month ends): the platform's own unit. */
export async function snapshotJob(job: Pick<JobContext, 'db' | 'config'>) {
  const ctx: Ctx<null> = { db: job.db, actor: null, ip: null, config: job.config };
  const e = await snapshot(ctx, job.config.platformRegion);
  return { month: e.months[e.months.length - 1], units: e.units.length };
}

const pct = (x: number | null) => (x === null ? '' : Math.round(x * 1000) / 10);

/** The connection columns of a unit's row (empty without a connection). */
function connectionCells(c: ConnectionFigures | null | undefined) {
  if (!c) return {};
  return {
    platforms: safeCellText(c.platforms.join(', ')),
    connected: c.connected ? '是 Yes' : '否 No',
    lastSuccessAt: c.lastSuccessAt ?? '',
    lagS: Math.round(c.lagMs / 100) / 10,
    backlog: c.backlog,
    errors: c.errors,
    parked: c.parked,
    sharedInPeriod: c.sharedInPeriod,
  };
}

export async function evaluationXlsx(ctx: Ctx, q: EvaluationQuery): Promise<Buffer> {
  const e = await getEvaluation(ctx, q);
  const wb = newWorkbook();
  wb.creator = 'Suyuan 溯源';
  const s = wb.addWorksheet('考核评价 Evaluation');
  s.columns = [
    { header: '排名 Rank', key: 'rank', width: 8 },
    { header: '代码 Code', key: 'code', width: 12 },
    { header: '单位 Unit', key: 'name', width: 20 },
    { header: '得分 Score', key: 'score', width: 10 },
    { header: '持续性% Continuity', key: 'continuity', width: 14 },
    { header: '及时性% Timeliness', key: 'timeliness', width: 14 },
    { header: '审核通过率% Pass', key: 'passRate', width: 14 },
    { header: '退回率% Returns', key: 'returnRate', width: 14 },
    { header: '巡检问题/千条 Flags/1000', key: 'flagsPer1000', width: 16 },
    { header: '完整度% Completeness', key: 'completeness', width: 14 },
    { header: '记录数 Records', key: 'records', width: 10 },
    { header: '迟报 Late', key: 'late', width: 8 },
    { header: '主体数 Producers', key: 'producers', width: 10 },
    { header: '活跃账号 Active accounts', key: 'activeAccounts', width: 12 },
    { header: '活跃机构 Active orgs', key: 'activeOrgs', width: 12 },
    { header: '逾期整改 Overdue notices', key: 'overdueNotices', width: 12 },
    { header: '对接平台 Platforms', key: 'platforms', width: 18 },
    { header: '已对接 Connected', key: 'connected', width: 10 },
    { header: '最近成功 Last success', key: 'lastSuccessAt', width: 20 },
    { header: '延迟(秒) Lag (s)', key: 'lagS', width: 10 },
    { header: '积压 Backlog', key: 'backlog', width: 10 },
    { header: '错误 Errors', key: 'errors', width: 8 },
    { header: '搁置 Parked', key: 'parked', width: 8 },
    { header: '期内共享记录 Shared in period', key: 'sharedInPeriod', width: 14 },
  ];
  s.getRow(1).font = { bold: true };
  for (const u of e.units)
    s.addRow({
      ...u,
      continuity: pct(u.continuity),
      timeliness: pct(u.timeliness),
      passRate: pct(u.passRate),
      returnRate: pct(u.returnRate),
      completeness: pct(u.completeness),
      flagsPer1000: u.flagsPer1000 ?? '',
      ...connectionCells(u.connection),
    });
  s.views = [{ state: 'frozen', ySplit: 1 }];
  return await workbookBuffer(wb);
}
