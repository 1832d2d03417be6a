import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../schema.js';
import type { Actor, Ctx } from './context.js';
import { mayCommitLazily } from './db/lazy-commit.js';

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

/**
 * The query record of a read written by the read's own statement (issue 19: a lineage trace is one round trip): a
 * data-modifying CTE, `name AS (INSERT INTO audit_log … SELECT … FROM <from>)`, for the statement's WITH list. The
 * row is the one `auditRead` writes for the same entry, except that the target's name, its division and any summary
 * value given as SQL are read by the statement (over its own CTEs); `from` gives one row when the read is to be
 * recorded and none when it is refused (nothing recorded then, as when `auditRead` is not reached). The statement
 * fails, and with it the request, when the row cannot be written.
 *
 * The commit: on PostgreSQL's pool (db/lazy-commit.ts) the statement commits without waiting for the WAL flush
 * (`set_config('synchronous_commit', 'off', true)`, local to the statement's own implicit transaction, whose only
 * write is this row): the WAL writer flushes it within `wal_writer_delay` (200 ms by default), so a crash of the
 * database server inside that window can lose the records of the reads answered in it (docs/chain.md). Elsewhere
 * (PGlite; inside a transaction, which then commits as it would) the commit is the usual one.
 *
 * Null when `ctx.db` may be a read replica (a read context): the statement would write there, so the caller reads
 * and then records with `auditRead`, which writes on the primary.
 */
export function auditReadSql(
  ctx: Ctx<Actor | null>,
  name: string,
  entry: Omit<AuditEntry, 'targetName' | 'divisionCode' | 'summary' | 'before' | 'after' | 'actor'> & {
    from: RawBuilder<unknown>;
    targetName: RawBuilder<unknown>;
    divisionCode: RawBuilder<unknown>;
    summary: Record<string, unknown>;
  },
): RawBuilder<unknown> | null {
  if (ctx.primary && !ctx.db.isTransaction) return null;
  const actor = ctx.actor;
  const onBehalfOf = entry.onBehalfOf ?? (ctx.delegate?.confirmed ? ctx.delegate.subjectId : null);
  const summary = sql.join(
    Object.entries(entry.summary).flatMap(([k, v]) => [
      sql`${k}::text`,
      isSql(v) ? v : sql`${JSON.stringify(v ?? null)}::jsonb`,
    ]),
  );
  const lazy = mayCommitLazily(ctx.db)
    ? sql`, (SELECT set_config('synchronous_commit', 'off', true)) AS lazy_commit`
    : sql``;
  return sql`${sql.raw(name)} AS (INSERT INTO audit_log (actor_id, actor_name, actor_display, org_id, org_name,
      on_behalf_of, verb, target_type, target_id, target_name, division_code, ip, summary)
    SELECT ${actor?.id ?? null}::uuid, ${actor?.username ?? null}::text, ${actor?.displayName ?? null}::text,
      ${actor?.orgId ?? null}::uuid, ${actor?.orgName ?? null}::text, ${onBehalfOf}::text, ${entry.verb}::text,
      ${entry.targetType}::text, ${entry.targetId ?? null}::text, ${entry.targetName}, coalesce(${entry.divisionCode}, ''),
      ${ctx.ip ?? null}::text, jsonb_build_object(${summary})
    FROM ${entry.from}${lazy})`;
}

const isSql = (v: unknown): v is RawBuilder<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as RawBuilder<unknown>).toOperationNode === 'function';

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
