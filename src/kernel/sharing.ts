import type { Kysely } from 'kysely';
import { scopeFilter } from './auth/scope.js';
import type { Config } from '../config.js';
import type { DB } from '../schema.js';
import type { Actor, Ctx } from './context.js';

/**
 * The one seam through which writes reach the upper platform (upward sharing, 信息归集). The kernel knows no module:
 * the sharing module installs the hook (ModuleDef.shareHook); an owning service (or the catalogue's collection hook)
 * calls `shareRecord` with the record as written, inside the write's transaction, so the outbox row commits or rolls
 * back with the write. Without an installed hook (the CLI before modules load) it does nothing.
 */
export interface ShareCtx {
  db: Kysely<DB>;
  config: Pick<Config, 'platformTier' | 'platformRegion' | 'publicBaseUrl'>;
}
export type ShareHook = (
  ctx: ShareCtx,
  resource: string,
  id: string,
  record: Record<string, unknown>,
  divisionCode: string,
) => Promise<unknown>;

let installed: ShareHook | null = null;

export function installShareHook(hook: ShareHook | null): void {
  installed = hook;
}

export async function shareRecord(
  ctx: ShareCtx,
  resource: string,
  id: string,
  record: Record<string, unknown>,
  divisionCode: string,
): Promise<void> {
  if (installed) await installed(ctx, resource, id, record, divisionCode);
}

/**
 * Records received from lower platforms (upward sharing): the latest version of each record of `resource` whose
 * division is inside `scope`, as `shared_record as r`. The one read every list that shows shared-in records builds on
 * (the sharing module writes the table); callers add their filters on `r.payload`.
 */
export function latestSharedRecords(db: Kysely<DB>, resource: string | undefined, scope: string) {
  let q = db
    .selectFrom('shared_record as r')
    .where((eb) => scopeFilter(eb, 'r.division_code', scope))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('shared_record as n')
            .select('n.id')
            .whereRef('n.origin_platform', '=', 'r.origin_platform')
            .whereRef('n.resource', '=', 'r.resource')
            .whereRef('n.record_id', '=', 'r.record_id')
            .whereRef('n.version', '>', 'r.version'),
        ),
      ),
    );
  if (resource) q = q.where('r.resource', '=', resource);
  return q;
}

/**
 * The platform link (one module at most installs it: sharing, `ModuleDef.platformLink`): what other modules need of
 * the connection between platforms without importing the sharing module (whose own imports reach them) — the national
 * identity key, this platform's id and names of platforms, and signed requests to the upper platform. The national
 * registry of producers (subjects/registry.ts) is built on it.
 */
export interface PlatformLink {
  /** The key identity codes and registry hashes are derived with (sharing/identity-key.ts). */
  identityKey(
    db: Kysely<DB>,
    config: Pick<Config, 'platformTier'>,
  ): Promise<{ key: string; source: 'national' | 'local'; fingerprint: string }>;
  /** This platform's id (`national`, `province-44`, …). */
  platformId(config: Pick<Config, 'platformTier' | 'platformRegion' | 'platformKeyFile'>): string;
  /** A platform named in Chinese and English (广东省平台 / the Guangdong platform). */
  namePlatform(ctx: Ctx<Actor | null>, platformId: string): Promise<{ zh: string; en: string }>;
  /** none: national or standalone · down: configured but not approved on both ends · up. */
  upperState(ctx: Pick<Ctx, 'db' | 'config'>): Promise<'none' | 'down' | 'up'>;
  /** A signed POST to the upper platform; throws SHARING_UPPER_UNREACHABLE. */
  askUpper<T>(ctx: Pick<Ctx, 'config'>, path: string, body: Record<string, unknown>, timeoutMs: number): Promise<T>;
  /** Throws unless `body` was signed by an approved lower platform (askUpper's other end). */
  assertSignedByLower(ctx: Pick<Ctx, 'db'>, body: { from: string; signedAt: string; signature: string }): Promise<void>;
}

let link: PlatformLink | null = null;

export function installPlatformLink(l: PlatformLink | null): void {
  link = l;
}

/** The installed platform link (modules are installed before any request, job or demo step runs). */
export function platformLink(): PlatformLink {
  if (!link) throw new Error('no platform link installed (installModules has not run)');
  return link;
}

/**
 * Messages between platforms (issue 15 item 3, docs/sharing.md "Messages between platforms"): a module sends a
 * message to another platform (`sendToPlatform`, inside its write's transaction: the message commits or rolls back
 * with the write) and handles the kinds it declares (`ModuleDef.messageHandlers`) when one arrives for this
 * platform. The sharing module installs the sender and routes messages hop by hop over the signed channel.
 */
export interface NetworkMessage {
  id: string;
  kind: string;
  /** Platform ids (`national`, `province-44`, `county-440117`). */
  from: string;
  to: string;
  payload: Record<string, unknown>;
}
export type MessageSender = (
  ctx: ShareCtx,
  to: string,
  kind: string,
  payload: Record<string, unknown>,
) => Promise<string>;
/** Handles a message for this platform inside the transaction that takes it; throwing refuses it (kept, logged). */
export type MessageHandler = (ctx: Ctx<null>, message: NetworkMessage) => Promise<void>;

let sender: MessageSender | null = null;
let handlers = new Map<string, MessageHandler>();

export function installMessaging(send: MessageSender | null, byKind: Map<string, MessageHandler>): void {
  sender = send;
  handlers = byKind;
}

/** Sends a message to another platform; returns its id. Refused when no sender is installed (the CLI). */
export async function sendToPlatform(
  ctx: ShareCtx,
  to: string,
  kind: string,
  payload: Record<string, unknown>,
): Promise<string> {
  if (!sender) throw new Error('no message sender installed');
  return sender(ctx, to, kind, payload);
}

/** The handler of a message kind, if a module declares one. */
export const messageHandler = (kind: string): MessageHandler | undefined => handlers.get(kind);
