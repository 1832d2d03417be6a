import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.js';
import { canonicalJson } from '../../kernel/canonical-json.js';

/**
 * Platform identity (平台标识): every platform is named by its tier and region and holds an SM2 key pair, generated
 * on first start into PLATFORM_KEY_FILE (PKCS#8 PEM, mode 0600). Signatures are SM2 with SM3 (GB/T 32918, default
 * user id) from node:crypto: OpenSSL 3 treats a key on the SM2 curve that is loaded from PEM as an SM2 key, so keys
 * are always re-imported from their PEM form (a freshly generated `ec` key object would sign plain ECDSA).
 */
export interface PlatformIdentity {
  id: string;
  tier: string;
  region: string;
  publicKeyPem: string;
  privateKey: KeyObject;
}

export function platformIdOf(tier: string, region: string): string {
  return region ? `${tier}-${region}` : tier;
}

const cache = new Map<string, PlatformIdentity>();

/** This platform's identity; creates the key file when absent. */
export function platformIdentity(config: Pick<Config, 'platformTier' | 'platformRegion' | 'platformKeyFile'>) {
  const file = config.platformKeyFile;
  const hit = cache.get(file);
  if (hit && hit.tier === config.platformTier && hit.region === config.platformRegion) return hit;
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const privateKey = createPrivateKey(readFileSync(file, 'utf8'));
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const identity: PlatformIdentity = {
    id: platformIdOf(config.platformTier, config.platformRegion),
    tier: config.platformTier,
    region: config.platformRegion,
    publicKeyPem,
    privateKey,
  };
  cache.set(file, identity);
  return identity;
}

export function sm3Hex(text: string): string {
  return createHash('sm3').update(text, 'utf8').digest('hex');
}

/** SM2-with-SM3 signature of the canonical form of `body`, base64. */
export function signBody(identity: PlatformIdentity, body: unknown): string {
  return sign('sm3', Buffer.from(canonicalJson(body), 'utf8'), identity.privateKey).toString('base64');
}

export function verifyBody(publicKeyPem: string, body: unknown, signature: string): boolean {
  try {
    const key = createPublicKey(publicKeyPem);
    return verify('sm3', Buffer.from(canonicalJson(body), 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Whether `pem` is an SPKI public key on the SM2 curve. */
export function isSm2PublicKey(pem: string): boolean {
  try {
    const key = createPublicKey(pem);
    const der = key.export({ type: 'spki', format: 'der' });
    // OID 1.2.156.10197.1.301 (sm2p256v1) = 06 08 2A 81 1C CF 55 01 82 2D
    return der.includes(Buffer.from('06082a811ccf5501822d', 'hex'));
  } catch {
    return false;
  }
}
