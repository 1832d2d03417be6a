import { type Kysely, sql } from 'kysely';
import type { DB } from '../schema.js';
import type { Actor, Ctx } from './context.js';

export interface AuditEntry {
  /** The permission verb or event name, e.g. `org.create`, `auth.login`. */
  verb: string;
  targetType: string;
  targetId?: string | null;
  /**
   * The target's name as people know it (a producer's name, a case number); when left out it is looked up from
   * `TARGET_NAMES` by `targetType` and `targetId`.
   */
  targetName?: string | null;
  /** Division the target belongs to; audit browsing is scoped by it. */
  divisionCode?: string;
  /**
   * What happened, in keys the audit log's label table knows: `action` (a word of the action table, e.g. `create`,
   * `approve`) and short facts. Never secrets. A `before`/`after` pair inside it is lifted into the columns.
   */
  summary?: Record<string, unknown>;
  /** The changed fields' values before and after the write (readable values: names, labels, dates). */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** When a third party acts for a producer, whom it acted for. */
  onBehalfOf?: string | null;
  /** Overrides the context's actor (e.g. a login attempt before there is an actor). */
  actor?: (Pick<Actor, 'id' | 'username' | 'orgId'> & Partial<Pick<Actor, 'displayName' | 'orgName'>>) | null;
}

/** Who did something outside a request: an account known only by id, or a named process (`system`). */
export interface AuditWho {
  id: string | null;
  username: string | null;
  orgId: string | null;
  displayName?: string | null;
  orgName?: string | null;
}

/**
 * Where the name of a target lives (table, name column), for entries that do not pass `targetName`. Data only: the
 * kernel knows table names, not modules (every pair is checked against the schema by `audit.test.ts`).
 */
export const TARGET_NAMES: Record<string, [string, string]> = {
  account: ['account', 'display_name'],
  organisation: ['organisation', 'name'],
  subject: ['subject', 'name'],
  directory_entry: ['directory_entry', 'name'],
  product: ['product', 'name'],
  base: ['base', 'name'],
  customer: ['customer', 'name'],
  batch: ['batch', 'batch_no'],
  certificate: ['certificate', 'number'],
  enforcement_case: ['enforcement_case', 'case_no'],
  risk_case: ['risk_case', 'subject_name'],
  sampling_sheet: ['sampling_sheet', 'sample_code'],
  monitoring_task: ['monitoring_task', 'title'],
  patrol_plan: ['patrol_plan', 'title'],
  complaint: ['complaint', 'number'],
  recall: ['recall', 'number'],
  origin_record: ['origin_record', 'subject_name'],
  api_token: ['api_token', 'name'],
  agreement_template: ['agreement_template', 'title'],
};

async function nameOf(db: Kysely<DB>, type: string, id: string | null | undefined): Promise<string | null> {
  const where = TARGET_NAMES[type];
  if (!where || !id || !/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await sql<{ n: string | null }>`SELECT ${sql.ref(where[1])}::text AS n FROM ${sql.table(where[0])}
    WHERE id = ${id}::uuid`.execute(db);
  return r.rows[0]?.n ?? null;
}

/** Appends an audit row. Call it with the write's transaction so the two commit or fail together. */
export async function audit(ctx: Ctx<Actor | null>, entry: AuditEntry): Promise<void> {
  const actor = entry.actor === undefined ? ctx.actor : entry.actor;
  const onBehalfOf = entry.onBehalfOf ?? (ctx.delegate?.confirmed ? ctx.delegate.subjectId : null);
  await auditOutsideRequest(ctx.db, { ...entry, onBehalfOf, actor: actor ?? null, ip: ctx.ip });
}

const json = (v: unknown) => (v && typeof v === 'object' && Object.keys(v).length ? JSON.stringify(v) : null);

/**
 * Appends an audit row for work done outside a request (first start, the CLI, background jobs), where there is no
 * `Ctx`: `db` must be the transaction of the write being audited.
 */
export async function auditOutsideRequest(
  db: Kysely<DB>,
  entry: Omit<AuditEntry, 'actor'> & { actor: AuditWho | null; ip?: string | null },
): Promise<void> {
  if (!db.isTransaction) throw new Error('audit() must run inside the write transaction');
  await insertAudit(db, entry);
}

/**
 * The query record of a read (a lineage trace, an export): the row is the request's only write, so it is one INSERT,
 * atomic by itself, without the BEGIN / COMMIT round trips of a transaction (issue 19: lineage is a hot read).
 * Inside a transaction it joins it; from a read context (a replica), it is written on the primary.
 */
export async function auditRead(ctx: Ctx<Actor | null>, entry: AuditEntry): Promise<void> {
  const actor = entry.actor === undefined ? ctx.actor : entry.actor;
  const onBehalfOf = entry.onBehalfOf ?? (ctx.delegate?.confirmed ? ctx.delegate.subjectId : null);
  // A read context may read the replica (readCtxOf): the row goes to the primary, unless a transaction is open.
  const db = ctx.db.isTransaction ? ctx.db : (ctx.primary ?? ctx.db);
  await insertAudit(db, { ...entry, onBehalfOf, actor: actor ?? null, ip: ctx.ip });
}

async function insertAudit(
  db: Kysely<DB>,
  entry: Omit<AuditEntry, 'actor'> & { actor: AuditWho | null; ip?: string | null },
): Promise<void> {
  const { before: sBefore, after: sAfter, ...summary } = entry.summary ?? {};
  const targetName =
    entry.targetName ?? (TARGET_NAMES[entry.targetType] ? await nameOf(db, entry.targetType, entry.targetId) : null);
  await db
    .insertInto('audit_log')
    .values({
      actor_id: entry.actor?.id ?? null,
      actor_name: entry.actor?.username ?? null,
      actor_display: entry.actor?.displayName ?? null,
      org_id: entry.actor?.orgId ?? null,
      org_name: entry.actor?.orgName ?? null,
      on_behalf_of: entry.onBehalfOf ?? null,
      verb: entry.verb,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      target_name: targetName,
      division_code: entry.divisionCode ?? '',
      ip: entry.ip ?? null,
      summary: JSON.stringify(summary),
      before: json(entry.before ?? sBefore),
      after: json(entry.after ?? sAfter),
    })
    .execute();
}
