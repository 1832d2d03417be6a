import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB, OrgKind } from '../schema.js';

/** Who is acting: an account (through a browser session or an API token), with its verbs and jurisdiction. */
export interface Actor {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgName: string;
  orgKind: OrgKind;
  /** Jurisdiction: the division code of the actor's organisation ('' = national). */
  scope: string;
  roles: string[];
  verbs: Set<string>;
  mustChangePassword: boolean;
  /** Set when the request is authenticated by an API token rather than a session. */
  tokenId?: string;
}

/**
 * What a service needs to do its work: a database handle (a transaction for writes), the actor, the client
 * address and the configuration. Services never see HTTP types.
 */
export interface Ctx<A extends Actor | null = Actor> {
  db: Kysely<DB>;
  actor: A;
  ip: string | null;
  userAgent?: string | null;
  config: Config;
  /**
   * Delegated collection (代录): the producer (subject id) a service agency says it acts for, from the request's
   * `X-Acting-For` header. `confirmed` is set once the owner module has checked a live authorisation covering the
   * write; the audit row then records `on_behalf_of`. One object shared by the request's copies of the context.
   */
  delegate?: { subjectId: string; confirmed: boolean } | null;
  /**
   * Set when `db` may be the read replica (`readCtxOf` / `publicReadCtxOf`, kernel/http.ts): the primary, where
   * `inTransaction` opens its transaction — a report or export that records its read in the audit log writes there.
   */
  primary?: Kysely<DB>;
}

/** Runs `fn` in a transaction (or in the caller's, when already inside one); on the primary for a read context. */
export async function inTransaction<A extends Actor | null, T>(
  ctx: Ctx<A>,
  fn: (ctx: Ctx<A>) => Promise<T>,
): Promise<T> {
  if (ctx.db.isTransaction) return fn(ctx);
  return (ctx.primary ?? ctx.db).transaction().execute((trx) => fn({ ...ctx, db: trx, primary: undefined }));
}
