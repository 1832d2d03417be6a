import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The OpenID provider's keys: the ID-token signing key (a private JWK) and the keys that sign its cookies. */
export interface ProviderKeys {
  jwks: { keys: Record<string, unknown>[] };
  cookieKeys: string[];
}

const cache = new Map<string, ProviderKeys>();

/**
 * Loads OIDC_KEY_FILE, creating it on first start (RS256 key, 2048 bits; JSON, mode 0600). The keys are never
 * regenerated on a later start, so ID tokens and the provider's cookies stay valid across restarts; to rotate,
 * add a key in front of the file's `jwks.keys` (the first signs, the others still verify).
 */
export function providerKeys(file: string): ProviderKeys {
  const hit = cache.get(file);
  if (hit) return hit;
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
    const keys: ProviderKeys = { jwks: { keys: [jwk] }, cookieKeys: [randomBytes(32).toString('base64url')] };
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // Another process of the same platform wrote it first: use that one.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const keys = JSON.parse(readFileSync(file, 'utf8')) as ProviderKeys;
  cache.set(file, keys);
  return keys;
}
