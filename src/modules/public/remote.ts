import { Value } from 'typebox/value';
import { type ParsedCode, platformOf } from '../../kernel/codes.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { platformIdOf, platformIdentity, signBody } from '../sharing/identity.js';
import { namePlatform, platformToAsk, signedByConnectedPlatform } from '../sharing/service.js';
import { type Issuer, PublicTrace } from './schemas.js';

/**
 * 通查通识 (issue 15 item 2): a code issued by another platform is resolved here by asking, over HTTP, the
 * platform that knows it — at national (or a province) the approved lower platform whose region covers the issuer
 * (a province relays for its counties), at a lower platform the upper one (which relays in turn). The remote's
 * public JSON (`getPublicTrace`, anonymous, so consumer level) is checked against the schema and cut to its fields
 * (nothing beyond what a consumer sees survives), and answers are cached briefly in memory (see TTLS below).
 */

/** How long answers are kept (ms): a found code, a code the issuer does not know, an issuer that did not answer. */
export const TTLS = { found: 30_000, notFound: 10_000, unavailable: 5_000 } as const;
/** Entries in the in-memory cache (least recently used dropped first). */
export const CACHE_MAX = 5_000;
/** Relays one request may take (national → province → county is two); beyond it the answer is `unavailable`. */
export const MAX_HOPS = 3;
export const HOPS_HEADER = 'x-suyuan-relay-hops';
/** The asking platform signs `{platformId, code, signedAt}` (SM2, its sharing key) so the remote spares it the rate limit. */
export const SIGNATURE_HEADER = 'x-suyuan-signature';
const SIGNED_HEADERS = { platform: 'x-suyuan-platform', at: 'x-suyuan-signed-at', signature: SIGNATURE_HEADER };
const SIGNATURE_MAX_AGE_MS = 60_000;

/**
 * The rate limit's allow-list for getPublicTrace: a lookup relayed by a connected platform, signed over this code
 * within the last minute. Consumers (no headers) cost nothing here.
 */
export async function isSignedRelay(
  ctx: Pick<Ctx, 'db'>,
  headers: Record<string, string | string[] | undefined>,
  code: string,
): Promise<boolean> {
  const [platformId, signedAt, signature] = [SIGNED_HEADERS.platform, SIGNED_HEADERS.at, SIGNED_HEADERS.signature].map(
    (h) => headers[h],
  );
  if (typeof platformId !== 'string' || typeof signedAt !== 'string' || typeof signature !== 'string') return false;
  if (!(Math.abs(Date.now() - Date.parse(signedAt)) < SIGNATURE_MAX_AGE_MS)) return false;
  return signedByConnectedPlatform(ctx, platformId, { platformId, code, signedAt }, signature);
}

export type RemoteAnswer =
  | { kind: 'found' | 'notFound'; body: PublicTrace }
  | { kind: 'unavailable' | 'noIssuer'; body: null };

const cache = new Map<string, { at: number; answer: RemoteAnswer }>();
const inFlight = new Map<string, Promise<RemoteAnswer>>();

const issuerNames = new Map<string, Issuer>();

/** The platform that issued a code (from its 6-digit platform part), named in Chinese and English. */
export async function issuerOf(ctx: Ctx<Actor | null>, platform: string): Promise<Issuer> {
  const known = issuerNames.get(platform);
  if (known) return known;
  const { tier, region } = platformOf(platform);
  const named = await namePlatform(ctx, tier, region);
  const issuer: Issuer = { platformId: platformIdOf(tier, region), tier, region, name: named.zh, nameEn: named.en };
  if (issuerNames.size < 4_000) issuerNames.set(platform, issuer);
  return issuer;
}

async function ask(ctx: Ctx<Actor | null>, c: ParsedCode, hops: number): Promise<RemoteAnswer> {
  const target = await platformToAsk(ctx, c.region);
  if (!target) return { kind: 'noIssuer', body: null };
  try {
    const me = platformIdentity(ctx.config);
    const signedAt = new Date().toISOString();
    const signature = signBody(me, { platformId: me.id, code: c.short, signedAt });
    const res = await fetch(`${target.url.replace(/\/+$/, '')}/api/v1/public/trace/${c.short}`, {
      headers: {
        accept: 'application/json',
        [HOPS_HEADER]: String(hops + 1),
        [SIGNED_HEADERS.platform]: me.id,
        [SIGNED_HEADERS.at]: signedAt,
        [SIGNED_HEADERS.signature]: signature,
      },
      signal: AbortSignal.timeout(ctx.config.publicTrace.remoteTimeoutMs),
      redirect: 'error',
    });
    if (res.status !== 200 && res.status !== 404) return { kind: 'unavailable', body: null };
    const json: unknown = await res.json();
    // Only the consumer-level document's own fields, and only a well-formed one.
    const body = Value.Clean(PublicTrace, Value.Clone(json)) as PublicTrace;
    if (!Value.Check(PublicTrace, body)) return { kind: 'unavailable', body: null };
    if (body.status === 'unavailable' || body.status === 'foreign') return { kind: 'unavailable', body: null };
    return { kind: res.status === 200 ? 'found' : 'notFound', body };
  } catch {
    // Refused, timed out, not JSON: the consumer sees "unavailable", and the cache spares the remote a while.
    return { kind: 'unavailable', body: null };
  }
}

/** The answer for a code of another platform: from the cache, else asked (see `ask`), then cached by its TTL. */
export async function remoteTrace(ctx: Ctx<Actor | null>, c: ParsedCode, hops: number): Promise<RemoteAnswer> {
  // Relayed too often (a loop): not asked, and not cached — a client sending the header must not spoil the cache.
  if (hops >= MAX_HOPS) return { kind: 'unavailable', body: null };
  const now = Date.now();
  // Keyed by the asking platform too: tests run several platforms in one process.
  const key = `${ctx.config.platformTier}${ctx.config.platformRegion}:${c.short}`;
  const hit = cache.get(key);
  if (hit) {
    const ttl =
      hit.answer.kind === 'found' ? TTLS.found : hit.answer.kind === 'unavailable' ? TTLS.unavailable : TTLS.notFound;
    cache.delete(key);
    if (now - hit.at < ttl) {
      cache.set(key, hit);
      return hit.answer;
    }
  }
  // Concurrent lookups of one code share one request to the remote.
  let pending = inFlight.get(key);
  if (!pending) {
    pending = ask(ctx, c, hops).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  const answer = await pending;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, { at: now, answer });
  return answer;
}
