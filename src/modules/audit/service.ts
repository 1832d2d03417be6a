import type { VerbTable } from '../../kernel/auth/roles.js';
import type { Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import * as regions from '../regions/service.js';
import { ACTION_LABELS, EVENT_LABELS, FIELD_LABELS, type Label, TARGET_LABELS, TARGET_LINKS } from './labels.js';
import * as repo from './repo.js';
import type { AuditEntry, AuditQuery } from './schemas.js';

type Row = Awaited<ReturnType<typeof repo.list>>['items'][number];

/** What an entry did, in words: the verb's (or event's) label, then the action's word when it says more. */
export function actionLabel(verb: string, action: unknown, verbs: VerbTable): Label {
  const v = EVENT_LABELS[verb] ?? (verbs[verb] ? { zh: verbs[verb].zh, en: verbs[verb].en } : null);
  const a = typeof action === 'string' ? ACTION_LABELS[action] : undefined;
  if (v && a) return { zh: `${v.zh}：${a.zh}`, en: `${v.en}: ${a.en}` };
  if (v) return v;
  if (a) return a;
  return { zh: '其他操作', en: 'Other action' };
}

/** before → after per field (keys of either side), with the field names in both languages. */
export function changesOf(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.map((k) => ({
    field: k,
    fieldZh: FIELD_LABELS[k]?.zh ?? k,
    fieldEn: FIELD_LABELS[k]?.en ?? k,
    before: before?.[k] ?? null,
    after: after?.[k] ?? null,
  }));
}

function dto(l: Row, verbs: VerbTable, names: Map<string, string>): AuditEntry {
  const summary = (l.summary ?? {}) as Record<string, unknown>;
  const action = actionLabel(l.verb, summary.action, verbs);
  const target = TARGET_LABELS[l.target_type] ?? { zh: '对象', en: 'object' };
  return {
    id: l.id,
    at: l.at.toISOString(),
    actorId: l.actor_id,
    actorName: l.actor_name,
    actorDisplay: l.actor_display ?? l.account_name ?? null,
    orgId: l.org_id,
    orgName: l.org_name ?? l.current_org_name ?? null,
    onBehalfOf: l.on_behalf_of,
    onBehalfOfName: l.on_behalf_of_name,
    verb: l.verb,
    actionZh: action.zh,
    actionEn: action.en,
    targetType: l.target_type,
    targetTypeZh: target.zh,
    targetTypeEn: target.en,
    targetId: l.target_id,
    targetName: l.target_name,
    targetLink: l.target_id && TARGET_LINKS[l.target_type] ? TARGET_LINKS[l.target_type](l.target_id) : null,
    divisionCode: l.division_code,
    divisionName: names.get(l.division_code) ?? l.division_code,
    ip: l.ip,
    summary,
    before: l.before,
    after: l.after,
    changes: changesOf(l.before, l.after),
  };
}

/** The audit log of the caller's jurisdiction, newest first, in words. */
export async function listAudit(ctx: Ctx, q: AuditQuery, verbs: VerbTable) {
  const page = await repo.list(ctx.db, { ...q, scope: ctx.actor.scope }, pageOf(q));
  const names = await regions.fullNamesOf(
    ctx,
    page.items.map((r) => r.division_code),
  );
  return mapPage(page, (l) => dto(l, verbs, names));
}
