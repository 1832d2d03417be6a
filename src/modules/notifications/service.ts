import type { Kysely } from 'kysely';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import * as repo from './repo.js';

/**
 * Minimal general in-platform notifications (站内通知): any module calls `notify` inside its write transaction;
 * recipients are an organisation (all its accounts see it) or one account. Read state is per notification (an
 * organisation's notice read by one of its accounts is read for all: it is a shared inbox, like a paper tray).
 */
export interface NewNotification {
  orgId?: string | null;
  accountId?: string | null;
  kind: string;
  titleZh: string;
  titleEn: string;
  body?: string | null;
  link?: string | null;
  divisionCode?: string;
}

export async function notify(db: Kysely<DB>, list: NewNotification[]) {
  await repo.insertMany(
    db,
    list
      .filter((n) => n.orgId || n.accountId)
      .map((n) => ({
        recipient_org_id: n.orgId ?? null,
        recipient_account_id: n.accountId ?? null,
        kind: n.kind,
        title_zh: n.titleZh,
        title_en: n.titleEn,
        body: n.body ?? null,
        link: n.link ?? null,
        division_code: n.divisionCode ?? '',
        read_at: null,
      })),
  );
}

/** Organisations of registered subjects, for addressing notices to producers. */
export async function orgsOfSubjects(db: Kysely<DB>, subjectIds: string[]) {
  if (!subjectIds.length) return new Map<string, string>();
  const rows = await db.selectFrom('subject').select(['id', 'org_id']).where('id', 'in', subjectIds).execute();
  return new Map(rows.map((r) => [r.id, r.org_id]));
}

/** Supervision organisations whose jurisdiction is the county (6-digit prefix) of a division. */
export async function countyRegulators(db: Kysely<DB>, divisionCode: string) {
  const county = divisionCode.slice(0, 6);
  return (await db.selectFrom('organisation').select('id').where('kind', '=', 'supervision').where('division_code', '=', county).where('status', '=', 'active').execute()).map((r) => r.id);
}

const dto = (n: NonNullable<Awaited<ReturnType<typeof repo.byId>>>) => ({
  id: n.id,
  kind: n.kind,
  title: n.title_zh,
  titleEn: n.title_en,
  body: n.body,
  link: n.link,
  createdAt: n.created_at.toISOString(),
  readAt: n.read_at?.toISOString() ?? null,
});

export async function listNotifications(ctx: Ctx, q: { unread?: boolean; page?: number; pageSize?: number }) {
  const pageSize = q.pageSize ?? 20;
  const page = q.page ?? 1;
  const { rows, total } = await repo.list(ctx.db, ctx.actor.orgId, ctx.actor.id, { unread: q.unread, limit: pageSize, offset: (page - 1) * pageSize });
  return { items: rows.map(dto), total, page, pageSize, unread: await repo.unreadCount(ctx.db, ctx.actor.orgId, ctx.actor.id) };
}

export async function markRead(ctx: Ctx, id: string) {
  const n = await repo.byId(ctx.db, id);
  if (!n || (n.recipient_org_id !== ctx.actor.orgId && n.recipient_account_id !== ctx.actor.id)) throw problems.notFound('通知', 'Notification');
  await repo.markRead(ctx.db, [id]);
  return dto((await repo.byId(ctx.db, id)) as NonNullable<Awaited<ReturnType<typeof repo.byId>>>);
}

export async function markAllRead(ctx: Ctx) {
  const r = await repo.markAllRead(ctx.db, ctx.actor.orgId, ctx.actor.id);
  return { marked: Number(r.numUpdatedRows) };
}
