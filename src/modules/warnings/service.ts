import { ancestorAt, ancestorsOf, assertInScope, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import { notify, regulatorsAt } from '../notifications/service.js';
import * as repo from './repo.js';
import { type Finding, PARAMS, badParam, collectionDrop, failureRise } from './rules.js';
import type {
  AcknowledgeInput,
  Evaluation,
  HandleInput,
  RuleUpdate,
  Warning,
  WarningQuery,
  WarningRule,
} from './schemas.js';
import { type WarningAction, warningWorkflow } from './states.js';

/**
 * Early warnings (预警测报, seed 001 第十八条; seed 004 五(五)): rules are rows (`warning_rule`: kind, parameters,
 * responsible level), evaluated by the recurring job `warnings.evaluate`; each finding becomes one warning at the
 * responsible level (its supervision organisation is notified), which acknowledges and handles it with a trail.
 */
const CHINA = 8 * 3600_000;
const today = () => new Date(Date.now() + CHINA).toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() + CHINA - n * 86_400_000).toISOString().slice(0, 10);

async function findingsOf(ctx: Ctx<Actor | null>, rule: repo.RuleRow): Promise<Finding[]> {
  const p = rule.params;
  switch (rule.kind) {
    case 'failure_rate_rise':
      return failureRise(await repo.failureWindows(ctx.db, p.windowDays), p, today().slice(0, 7));
    case 'collection_drop': {
      const monday = new Date(Date.now() + CHINA);
      monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
      return collectionDrop(await repo.collectionWeeks(ctx.db, p.weeks), p, monday.toISOString().slice(0, 10));
    }
    case 'counterfeit_scans':
      return (await repo.counterfeitSignals(ctx.db, p.days)).map((s) => ({
        key: s.link ?? `${s.division_code}|${s.title_zh}`,
        divisionCode: s.division_code,
        titleZh: s.title_zh,
        titleEn: s.title_en,
        details: { since: new Date(s.at as Date).toISOString() },
        link: s.link,
      }));
    case 'chain_anomaly':
      return (await repo.openAnomalies(ctx.db, p.days)).map((a) => ({
        key: a.id,
        divisionCode: a.division_code,
        titleZh: `追溯链异常（${a.kind}）自 ${a.detected_at.toISOString().slice(0, 10)} 起未处理`,
        titleEn: `Chain anomaly (${a.kind}) open since ${a.detected_at.toISOString().slice(0, 10)}`,
        details: { anomalyKind: a.kind, batchId: a.batch_id },
        link: '/chain/anomalies',
      }));
    case 'overdue_review':
      return (await repo.overdueApplications(ctx.db, daysAgo(p.graceDays))).map((a) => ({
        key: a.id,
        divisionCode: a.division_code,
        titleZh: `${a.name}的注册申请已超过审核期限（${a.due_date}）`,
        titleEn: `The application of ${a.name} is past its review deadline (${a.due_date})`,
        details: { subjectId: a.subject_id, dueDate: a.due_date, applicationKind: a.kind },
        link: '/subject-reviews',
      }));
    case 'overdue_rectification':
      return (await repo.overdueRectifications(ctx.db, daysAgo(p.graceDays))).map((x) => ({
        key: x.id,
        divisionCode: x.division_code,
        titleZh: `${x.name ?? ''}巡查整改已超期（期限 ${x.rectify_deadline}）`,
        titleEn: `Rectification of ${x.name ?? 'a producer'} is overdue (deadline ${x.rectify_deadline})`,
        details: { patrolId: x.id, deadline: x.rectify_deadline },
        link: `/supervision/patrols?id=${x.id}`,
      }));
  }
}

/** Supervision organisations of the level a warning belongs to: at its division, else the nearest above. */
async function recipients(ctx: Ctx<Actor | null>, division: string) {
  for (const code of [...ancestorsOf(division)].reverse()) {
    const orgs = await regulatorsAt(ctx.db, code);
    if (orgs.length) return orgs;
  }
  return regulatorsAt(ctx.db, '');
}

/** Evaluates every enabled rule once (the recurring job, or an administrator's "evaluate now"). */
export async function evaluateWarnings(ctx: Ctx<Actor | null>): Promise<Evaluation> {
  const all = (await repo.rules(ctx.db)).filter((r) => r.enabled);
  let found = 0;
  let created = 0;
  for (const rule of all) {
    const findings = await findingsOf(ctx, rule);
    found += findings.length;
    for (const f of findings) {
      const division = ancestorAt(f.divisionCode, rule.level) ?? f.divisionCode;
      const w = await repo.upsertWarning(ctx.db, {
        rule_id: rule.id,
        key: f.key.slice(0, 300),
        division_code: division,
        title_zh: f.titleZh,
        title_en: f.titleEn,
        details: JSON.stringify(f.details),
        link: f.link,
      });
      if (!w.inserted) continue;
      created++;
      await repo.addEvent(ctx.db, {
        warning_id: w.id,
        action: 'detected',
        note: null,
        actor_id: null,
        actor_name: null,
        org_name: null,
      });
      const orgs = await recipients(ctx, division);
      await notify(
        ctx.db,
        orgs.map((orgId) => ({
          orgId,
          kind: 'warning',
          titleZh: `预警：${f.titleZh}`,
          titleEn: `Warning: ${f.titleEn}`,
          link: `/warnings?id=${w.id}`,
          divisionCode: division,
        })),
      );
    }
  }
  await audit(ctx, {
    verb: 'warning.evaluate',
    targetType: 'warning_rule',
    divisionCode: '',
    summary: { rules: all.length, found, created },
  });
  return { rules: all.length, found, created };
}

const ACTION_LABELS: Record<string, { zh: string; en: string }> = {
  detected: { zh: '发现', en: 'Detected' },
  acknowledge: { zh: '确认', en: 'Acknowledged' },
  handle: { zh: '处置', en: 'Handled' },
};

function dto(ctx: Ctx, w: repo.WarningRow, events: Awaited<ReturnType<typeof repo.eventsOf>>): Warning {
  return {
    id: w.id,
    ruleCode: w.rule_code,
    kind: w.kind,
    ruleName: { zh: w.name_zh, en: w.name_en },
    title: { zh: w.title_zh, en: w.title_en },
    divisionCode: w.division_code,
    divisionName: w.division_name ?? (w.division_code || '全国'),
    details: w.details,
    link: w.link,
    status: w.status,
    statusLabel: warningWorkflow.stateLabel(w.status),
    detectedAt: w.detected_at.toISOString(),
    lastSeenAt: w.last_seen_at.toISOString(),
    outcome: w.outcome,
    allowedActions: ctx.actor.verbs.has('warning.handle') ? warningWorkflow.allowedActions(w.status, ['handler']) : [],
    trail: events
      .filter((e) => e.warning_id === w.id)
      .map((e) => ({
        action: e.action,
        actionLabel: ACTION_LABELS[e.action] ?? { zh: e.action, en: e.action },
        note: e.note,
        actorName: e.actor_name,
        orgName: e.org_name,
        at: e.at.toISOString(),
      })),
  };
}

export async function listWarnings(ctx: Ctx, q: WarningQuery): Promise<Paged<Warning>> {
  const scope = q.within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, scope)) throw problems.outOfJurisdiction('预警范围', 'warning area');
  const page = await repo.listWarnings(ctx.db, scope, { status: q.status, kind: q.kind }, pageOf(q));
  const events = await repo.eventsOf(
    ctx.db,
    page.items.map((w) => w.id),
  );
  return mapPage(page, (w) => dto(ctx, w, events));
}

async function inScopeWarning(ctx: Ctx, id: string) {
  const w = await repo.warningById(ctx.db, id);
  if (!w) throw problems.notFound('预警', 'Warning');
  assertInScope(ctx.actor.scope, w.division_code, '预警', 'warning');
  return w;
}

export async function getWarning(ctx: Ctx, id: string): Promise<Warning> {
  const w = await inScopeWarning(ctx, id);
  return dto(ctx, w, await repo.eventsOf(ctx.db, [id]));
}

async function act(ctx: Ctx, id: string, action: WarningAction, note: string | null): Promise<Warning> {
  const w = await inScopeWarning(ctx, id);
  const t = warningWorkflow.transition(w.status, action, ['handler']);
  const now = new Date();
  await repo.updateWarning(ctx.db, id, {
    status: t.to,
    ...(action === 'acknowledge'
      ? { acknowledged_at: now, acknowledged_by: ctx.actor.id }
      : { handled_at: now, handled_by: ctx.actor.id, outcome: note }),
  });
  await repo.addEvent(ctx.db, {
    warning_id: id,
    action,
    note,
    actor_id: ctx.actor.id,
    actor_name: ctx.actor.displayName,
    org_name: ctx.actor.orgName,
  });
  await audit(ctx, {
    verb: `warning.${action}`,
    targetType: 'warning',
    targetId: id,
    divisionCode: w.division_code,
    summary: { from: w.status, to: t.to, note },
  });
  return getWarning(ctx, id);
}

export const acknowledgeWarning = (ctx: Ctx, id: string, input: AcknowledgeInput) =>
  act(ctx, id, 'acknowledge', input.note?.trim() || null);

export function handleWarning(ctx: Ctx, id: string, input: HandleInput) {
  const outcome = input.outcome.trim();
  if (!outcome) throw problems.invalid('outcome', '请填写处置结果', 'give the outcome');
  return act(ctx, id, 'handle', outcome);
}

const ruleDto = (r: repo.RuleRow): WarningRule => ({
  id: r.id,
  code: r.code,
  kind: r.kind,
  name: { zh: r.name_zh, en: r.name_en },
  level: r.level,
  params: r.params,
  paramLabels: Object.fromEntries(Object.entries(PARAMS[r.kind]).map(([k, v]) => [k, { zh: v.zh, en: v.en }])),
  enabled: r.enabled,
  updatedAt: r.updated_at.toISOString(),
});

export async function listWarningRules(ctx: Ctx): Promise<WarningRule[]> {
  return (await repo.rules(ctx.db)).map(ruleDto);
}

export async function updateWarningRule(ctx: Ctx, id: string, input: RuleUpdate): Promise<WarningRule> {
  const r = await repo.ruleById(ctx.db, id);
  if (!r) throw problems.notFound('预警规则', 'Warning rule');
  const params = input.params ? { ...r.params, ...input.params } : r.params;
  const bad = badParam(r.kind, params);
  if (bad) throw problems.invalid(`params.${bad}`, '参数未知或超出范围', 'unknown parameter or out of range');
  const row = await repo.updateRule(ctx.db, id, {
    params: JSON.stringify(params),
    enabled: input.enabled ?? r.enabled,
    level: input.level ?? r.level,
    updated_at: new Date(),
    updated_by: ctx.actor.id,
  });
  await audit(ctx, {
    verb: 'warning.manageRules',
    targetType: 'warning_rule',
    targetId: id,
    divisionCode: '',
    summary: { code: r.code, before: { params: r.params, enabled: r.enabled, level: r.level }, after: input },
  });
  return ruleDto(row);
}
