import type { Kysely } from 'kysely';
import { countyOf } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import * as repo from './repo.js';
import type { Marked, Notification, NotificationPage, NotificationQuery } from './schemas.js';

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
  return repo.orgsOfSubjects(db, subjectIds);
}

/** Supervision organisations whose jurisdiction is the county of a division (the division itself above county). */
export async function countyRegulators(db: Kysely<DB>, divisionCode: string) {
  return repo.activeSupervisionOrgsAt(db, countyOf(divisionCode) ?? divisionCode);
}

/** Active supervision organisations sitting exactly at a division (any level): who a warning or task at it reaches. */
export async function regulatorsAt(db: Kysely<DB>, divisionCode: string) {
  return repo.activeSupervisionOrgsAt(db, divisionCode);
}

type Row = NonNullable<Awaited<ReturnType<typeof repo.byId>>>;

const dto = (n: Row): Notification => ({
  id: n.id,
  kind: n.kind,
  title: n.title_zh,
  titleEn: n.title_en,
  body: n.body,
  link: n.link,
  createdAt: n.created_at.toISOString(),
  readAt: n.read_at?.toISOString() ?? null,
});

export async function listNotifications(ctx: Ctx, q: NotificationQuery): Promise<NotificationPage> {
  const page = await repo.list(ctx.db, ctx.actor.orgId, ctx.actor.id, { unread: q.unread }, pageOf(q));
  return {
    ...(await mapPage(page, dto)),
    unread: await repo.unreadCount(ctx.db, ctx.actor.orgId, ctx.actor.id),
  };
}

export async function markRead(ctx: Ctx, id: string): Promise<Notification> {
  const n = await repo.byId(ctx.db, id);
  if (!n || (n.recipient_org_id !== ctx.actor.orgId && n.recipient_account_id !== ctx.actor.id))
    throw problems.notFound('通知', 'Notification');
  await repo.markRead(ctx.db, [id]);
  return dto((await repo.byId(ctx.db, id)) as Row);
}

export async function markAllRead(ctx: Ctx): Promise<Marked> {
  const r = await repo.markAllRead(ctx.db, ctx.actor.orgId, ctx.actor.id);
  return { marked: Number(r.numUpdatedRows) };
}
