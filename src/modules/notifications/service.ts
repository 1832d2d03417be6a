import { audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import * as repo from './repo.js';

/**
 * Notifications (通知): a row per recipient (an organisation — every account of it sees the row — or one account).
 * General on purpose: any module calls `notify` inside its write transaction.
 */
export interface NotificationInput {
  recipientOrg?: string | null;
  recipientAccount?: string | null;
  divisionCode?: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh?: string | null;
  bodyEn?: string | null;
  /** Web route the notification opens, e.g. `/risk-cases/<id>`. */
  link?: string | null;
}

export async function notify(ctx: Ctx<Actor | null>, inputs: NotificationInput[]): Promise<number> {
  const rows = inputs.map((n) => ({
    recipient_org: n.recipientOrg ?? null,
    recipient_account: n.recipientAccount ?? null,
    division_code: n.divisionCode ?? '',
    kind: n.kind,
    title_zh: n.titleZh,
    title_en: n.titleEn,
    body_zh: n.bodyZh ?? null,
    body_en: n.bodyEn ?? null,
    link: n.link ?? null,
    read_at: null,
  }));
  await repo.insert(ctx.db, rows);
  return rows.length;
}

/** Notifies every active supervision organisation sitting exactly at `divisionCode` (e.g. the county). */
export async function notifyAgenciesAt(ctx: Ctx<Actor | null>, divisionCode: string, n: Omit<NotificationInput, 'recipientOrg' | 'recipientAccount'>) {
  const orgs = await repo.supervisionOrgsAt(ctx.db, divisionCode);
  return notify(ctx, orgs.map((o) => ({ ...n, recipientOrg: o.id })));
}

export const notificationDto = (r: Awaited<ReturnType<typeof repo.listFor>>[number]) => ({
  id: r.id,
  kind: r.kind,
  titleZh: r.title_zh,
  titleEn: r.title_en,
  bodyZh: r.body_zh,
  bodyEn: r.body_en,
  link: r.link,
  createdAt: r.created_at.toISOString(),
  readAt: r.read_at?.toISOString() ?? null,
});

export async function listMine(ctx: Ctx, q: { unread?: boolean; limit?: number }) {
  const rows = await repo.listFor(ctx.db, ctx.actor.id, ctx.actor.orgId, !!q.unread, q.limit ?? 50);
  const { n } = await repo.countUnread(ctx.db, ctx.actor.id, ctx.actor.orgId);
  return { items: rows.map(notificationDto), unread: Number(n) };
}

export async function markRead(ctx: Ctx, id: string) {
  const row = await repo.markRead(ctx.db, id, ctx.actor.id, ctx.actor.orgId);
  if (!row) throw problems.notFound('通知', 'Notification');
  await audit(ctx, { verb: 'notification.read', targetType: 'notification', targetId: id, divisionCode: ctx.actor.scope });
}
