import { randomBytes } from 'node:crypto';
import { audit } from '../../kernel/audit.js';
import { assertInScope } from '../../kernel/auth/scope.js';
import { chinaDate } from '../../kernel/calendar.js';
import type { Ctx } from '../../kernel/context.js';
import type { JobContext } from '../../kernel/jobs.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { recordCollectionBad } from '../credit/service.js';
import { notify } from '../notifications/service.js';
import { ALGORITHM, SeededRandom } from '../randomchecks/draw.js';
import { resourceNamer } from '../sharing/service.js';
import * as repo from './repo.js';
import type { CreatePatrol, IssueNotice, MarkItem, Notice, NoticeAction, OnlinePatrol } from './schemas.js';

/**
 * Online patrol (网上巡检, seed 000 arts. 18, 23): an upper level draws a reproducible random sample of a lower unit's
 * collected records (seeded, the algorithm of the double-random draw), marks problems, and sends a rectification
 * notice (整改通知) with a deadline to the responsible organisation; notices are tracked to closure, and overdue ones
 * lower the unit's evaluation and make a credit record (unresolved rectification, seed 000 art. 19).
 */
const PATROL = ['网上巡检', 'Online patrol'] as const;
const NOTICE = ['整改通知', 'Rectification notice'] as const;

type Namer = Awaited<ReturnType<typeof resourceNamer>>;

function dto(r: repo.PatrolRow, names: Namer): OnlinePatrol {
  return {
    id: r.id,
    divisionCode: r.division_code,
    targetDivision: r.target_division,
    resource: r.resource,
    resourceLabel: r.resource ? names.resource(r.resource) : null,
    seed: r.seed,
    sampleSize: r.sample_size,
    poolSize: r.pool_size,
    algorithm: ALGORITHM,
    items: r.items.map((i) => ({ ...i, resourceLabel: names.resource(i.resource) })),
    createdAt: r.created_at.toISOString(),
  };
}

export async function createOnlinePatrol(ctx: Ctx, input: CreatePatrol): Promise<OnlinePatrol> {
  const scope = ctx.actor.scope;
  // Only a lower unit: strictly inside the caller's jurisdiction.
  if (input.targetDivision === scope || !input.targetDivision.startsWith(scope))
    throw problems.outOfJurisdiction('下级单位', 'lower unit');
  const seed = input.seed ?? randomBytes(8).toString('hex');
  const now = new Date();
  const pool = await repo.patrolPool(ctx.db, input.targetDivision, input.resource, now);
  const picked = new SeededRandom(seed).pick(pool, Math.min(input.sampleSize, pool.length));
  const row = await repo.insertPatrol(ctx.db, {
    org_id: ctx.actor.orgId,
    division_code: scope,
    target_division: input.targetDivision,
    resource: input.resource ?? null,
    seed,
    sample_size: picked.length,
    pool_size: pool.length,
    items: JSON.stringify(
      picked.map((r) => ({
        recordId: r.record_id,
        resource: r.resource,
        label: r.resource,
        orgId: r.org_id,
        problem: null,
        note: null,
      })),
    ),
    created_by: ctx.actor.id,
    created_at: now,
  });
  await audit(ctx, {
    verb: 'evaluation.patrol',
    targetType: 'online_patrol',
    targetId: row.id,
    divisionCode: input.targetDivision,
    summary: { seed, pool: pool.length, sample: picked.length },
  });
  return dto(row, await resourceNamer(ctx.db));
}

async function findPatrol(ctx: Ctx, id: string, lock = false) {
  const r = await repo.patrolById(ctx.db, id, lock);
  if (!r) throw problems.notFound(...PATROL);
  assertInScope(ctx.actor.scope, r.target_division, ...PATROL);
  return r;
}

export async function getOnlinePatrol(ctx: Ctx, id: string) {
  return dto(await findPatrol(ctx, id), await resourceNamer(ctx.db));
}

export async function listOnlinePatrols(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const names = await resourceNamer(ctx.db);
  return mapPage(await repo.patrolsPage(ctx.db, ctx.actor.scope, pageOf(q)), (r) => dto(r, names));
}

export async function markItem(ctx: Ctx, id: string, m: MarkItem): Promise<OnlinePatrol> {
  const r = await findPatrol(ctx, id, true);
  const items = r.items;
  const i = items.findIndex((x) => x.recordId === m.recordId);
  if (i < 0) throw problems.invalid('recordId', '不在本次巡检的样本中', 'is not in this patrol sample');
  items[i] = { ...items[i], problem: m.problem, note: m.note ?? null };
  await repo.updatePatrol(ctx.db, r.id, { items: JSON.stringify(items) });
  await audit(ctx, {
    verb: 'evaluation.patrol',
    targetType: 'online_patrol',
    targetId: r.id,
    divisionCode: r.target_division,
    summary: { mark: m },
  });
  return dto({ ...r, items }, await resourceNamer(ctx.db));
}

const NOTICE_STATES = {
  open: { zh: '待整改', en: 'Open' },
  replied: { zh: '已回复', en: 'Replied' },
  closed: { zh: '已办结', en: 'Closed' },
} as const;

function noticeDto(ctx: Ctx, r: repo.NoticeRow): Notice {
  const issuer =
    ctx.actor.verbs.has('evaluation.patrol') &&
    r.target_division.startsWith(ctx.actor.scope) &&
    r.org_id !== ctx.actor.orgId;
  const responsible = r.org_id === ctx.actor.orgId;
  const actions: ('reply' | 'close')[] = [];
  if (responsible && r.state === 'open') actions.push('reply');
  if (issuer && r.state !== 'closed') actions.push('close');
  return {
    id: r.id,
    patrolId: r.patrol_id,
    orgId: r.org_id,
    targetDivision: r.target_division,
    text: r.text,
    deadline: r.deadline,
    state: r.state,
    statusZh: NOTICE_STATES[r.state].zh,
    statusEn: NOTICE_STATES[r.state].en,
    overdue: r.state !== 'closed' && r.deadline < chinaDate(),
    reply: r.reply,
    createdAt: r.created_at.toISOString(),
    closedAt: r.closed_at ? r.closed_at.toISOString() : null,
    allowedActions: actions,
  };
}

export async function issueRectificationNotice(ctx: Ctx, patrolId: string, input: IssueNotice): Promise<Notice> {
  const p = await findPatrol(ctx, patrolId);
  if (input.deadline < chinaDate() || Number.isNaN(Date.parse(input.deadline)))
    throw problems.invalid('deadline', '整改期限不能早于今天', 'cannot be before today');
  const flagged = p.items.filter((x) => x.problem) as ((typeof p.items)[number] & { orgId?: string | null })[];
  const orgId = input.orgId ?? flagged.find((x) => x.orgId)?.orgId ?? null;
  if (!orgId)
    throw problems.invalid(
      'orgId',
      '请指定责任单位（样本中没有标记问题的记录）',
      'names no responsible organisation (no flagged record)',
    );
  const row = await repo.insertNotice(ctx.db, {
    patrol_id: p.id,
    org_id: orgId,
    target_division: p.target_division,
    text: input.text,
    deadline: input.deadline,
    created_by: ctx.actor.id,
  });
  await notify(ctx.db, [
    {
      orgId,
      kind: 'rectification',
      titleZh: `网上巡检整改通知（期限 ${input.deadline}）`,
      titleEn: `Online patrol: rectification notice (due ${input.deadline})`,
      body: input.text,
      link: `/evaluation/notices/${row.id}`,
      divisionCode: p.target_division,
    },
  ]);
  await audit(ctx, {
    verb: 'evaluation.patrol',
    targetType: 'rectification_notice',
    targetId: row.id,
    divisionCode: p.target_division,
    summary: { patrolId, orgId, deadline: input.deadline },
  });
  return noticeDto(ctx, row);
}

export async function listNotices(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const v =
    ctx.actor.orgKind === 'producer' || ctx.actor.orgKind === 'service'
      ? { orgId: ctx.actor.orgId }
      : { scope: ctx.actor.scope };
  return mapPage(await repo.noticesPage(ctx.db, v, pageOf(q)), (r) => noticeDto(ctx, r));
}

/** The responsible organisation replies; the issuing level closes. */
export async function actOnNotice(ctx: Ctx, id: string, a: NoticeAction): Promise<Notice> {
  const r = await repo.noticeById(ctx.db, id);
  if (!r) throw problems.notFound(...NOTICE);
  const d = noticeDto(ctx, r);
  if (r.org_id !== ctx.actor.orgId && !r.target_division.startsWith(ctx.actor.scope))
    throw problems.outOfJurisdiction(...NOTICE);
  if (!d.allowedActions.includes(a.action)) {
    const s = NOTICE_STATES[r.state];
    throw new Problem('INVALID_STATE', {
      stateZh: s.zh,
      stateEn: s.en,
      actionZh: a.action === 'reply' ? '回复' : '办结',
      actionEn: a.action,
      field: 'action',
    });
  }
  const row = await repo.updateNotice(
    ctx.db,
    id,
    a.action === 'reply' ? { state: 'replied', reply: a.text ?? '' } : { state: 'closed', closed_at: new Date() },
  );
  await audit(ctx, {
    verb: 'evaluation.patrol',
    targetType: 'rectification_notice',
    targetId: id,
    divisionCode: r.target_division,
    summary: { action: a.action },
  });
  return noticeDto(ctx, row);
}

/**
 * Daily: notices past their deadline and not closed make a credit record for the responsible organisation — and, for
 * a service agency, for each of its collectors who entered a flagged record of the patrol.
 */
export async function overdueNoticesJob(job: Pick<JobContext, 'db' | 'config'>) {
  return job.db.transaction().execute(async (trx) => {
    const ctx = { db: trx, actor: null, ip: null, config: job.config };
    const rows = await repo.overdueOpenNotices(trx, chinaDate());
    for (const r of rows) {
      if (!r.org_id) continue;
      const patrol = await repo.patrolById(trx, r.patrol_id);
      const flagged = (patrol?.items ?? []).filter((x) => x.problem && (!x.orgId || x.orgId === r.org_id));
      const collectors = await repo.collectorsOf(trx, flagged);
      for (const collectorId of collectors.length ? collectors : [null])
        await recordCollectionBad(ctx, {
          orgId: r.org_id,
          collectorId,
          divisionCode: r.target_division,
          sourceId: r.id,
          severity: 'serious',
          titleZh: `网上巡检整改通知逾期未整改（期限 ${r.deadline}）`,
          titleEn: `Rectification notice overdue (due ${r.deadline})`,
        });
    }
    return { overdue: rows.length };
  });
}
