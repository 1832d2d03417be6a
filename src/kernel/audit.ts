import type { Actor, Ctx } from './context.js';

export interface AuditEntry {
  /** The permission verb or event name, e.g. `org.create`, `auth.login`. */
  verb: string;
  targetType: string;
  targetId?: string | null;
  /** Division the target belongs to; audit browsing is scoped by it. */
  divisionCode?: string;
  /** What changed: new values, or `{before, after}` for updates. Never secrets. */
  summary?: Record<string, unknown>;
  /** When a third party acts for a producer, whom it acted for. */
  onBehalfOf?: string | null;
  /** Overrides the context's actor (e.g. a login attempt before there is an actor). */
  actor?: Pick<Actor, 'id' | 'username' | 'orgId'> | null;
}

/** Appends an audit row. Call it with the write's transaction so the two commit or fail together. */
export async function audit(ctx: Ctx<Actor | null>, entry: AuditEntry): Promise<void> {
  if (!ctx.db.isTransaction) throw new Error('audit() must run inside the write transaction');
  const actor = entry.actor === undefined ? ctx.actor : entry.actor;
  await ctx.db
    .insertInto('audit_log')
    .values({
      actor_id: actor?.id ?? null,
      actor_name: actor?.username ?? null,
      org_id: actor?.orgId ?? null,
      on_behalf_of: entry.onBehalfOf ?? null,
      verb: entry.verb,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      division_code: entry.divisionCode ?? '',
      ip: ctx.ip,
      summary: JSON.stringify(entry.summary ?? {}),
    })
    .execute();
}
