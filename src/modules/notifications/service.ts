import { type Kysely, sql } from 'kysely';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';

/**
 * Notifications (通知): general messages to an organisation; every account of the organisation sees them. Any
 * module may `notify`; a `dedupKey` makes a notification idempotent (a counterfeit alert is raised once per code).
 */
export interface NewNotification {
  orgId: string;
  divisionCode: string;
  kind: string;
  title: string;
  titleEn: string;
  body?: Record<string, unknown>;
  targetType?: string | null;
  targetId?: string | null;
  dedupKey?: string | null;
}

export async function notify(db: Kysely<DB>, list: NewNotification[]): Promise<number> {
  if (!list.length) return 0;
  const r = await db
    .insertInto('notification')
    .values(list.map((n) => ({
      org_id: n.orgId, division_code: n.divisionCode, kind: n.kind, title: n.title, title_en: n.titleEn, body: JSON.stringify(n.body ?? {}),
      target_type: n.targetType ?? null, target_id: n.targetId ?? null, dedup_key: n.dedupKey ?? null, read_at: null,
    })))
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/**
 * The supervision organisation responsible for a division: the one at its county (6 digits), else the nearest one
 * above it (city, province, national). Ties: the oldest.
 */
export async function supervisionOrgFor(db: Kysely<DB>, divisionCode: string): Promise<{ id: string; division_code: string; name: string } | null> {
  const county = divisionCode.slice(0, 6);
  const prefixes = [county, county.slice(0, 4), county.slice(0, 2), ''];
  const r = await db
    .selectFrom('organisation')
    .select(['id', 'division_code', 'name'])
    .where('kind', '=', 'supervision')
    .where('division_code', 'in', prefixes)
    .orderBy(sql`length(division_code)`, 'desc')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return r ?? null;
}

const dto = (n: { id: string; kind: string; title: string; title_en: string; body: unknown; target_type: string | null; target_id: string | null; created_at: Date; read_at: Date | null }) => ({
  id: n.id, kind: n.kind, title: n.title, titleEn: n.title_en, body: n.body as Record<string, unknown>, targetType: n.target_type, targetId: n.target_id,
  createdAt: n.created_at.toISOString(), readAt: n.read_at?.toISOString() ?? null,
});

export async function listNotifications(ctx: Ctx, q: { unread?: boolean; page?: number; pageSize?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  let base = ctx.db.selectFrom('notification').where('org_id', '=', ctx.actor.orgId);
  if (q.unread) base = base.where('read_at', 'is', null);
  const rows = await base.selectAll().orderBy('created_at', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { items: rows.map(dto), total, page, pageSize };
}

export async function markRead(ctx: Ctx, id: string) {
  const r = await ctx.db.updateTable('notification').set({ read_at: new Date() }).where('id', '=', id).where('org_id', '=', ctx.actor.orgId).returningAll().executeTakeFirst();
  if (!r) throw problems.notFound('通知', 'Notification');
  return dto(r);
}
