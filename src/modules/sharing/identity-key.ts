import {
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createHmac,
  createPublicKey,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { getSetting, putSetting, settingOrInit } from '../../kernel/settings.js';
import type { DB } from '../../schema.js';
import { type PlatformIdentity, signBody, verifyBody } from './identity.js';
import type { SealedIdentityKey } from './schemas.js';

/**
 * 全国统一身份密钥 The national identity key (docs/adr/0015-national-identity-key.md): one 256-bit secret, generated
 * once at the national platform, from which every platform derives the personal part of identity codes (HMAC-SM3 of
 * the ID number, subjects/identity.ts) and the registry hashes that de-duplicate producers across platforms. The
 * national platform hands it to each lower platform whose connection it has approved, in the answer to that
 * platform's signed heartbeat: sealed to the receiver's SM2 key (ephemeral ECDH on the SM2 curve, SM3 key
 * derivation, SM4-CTR with an HMAC-SM3 tag) and signed with the sender's SM2 key. A province holding the national key
 * relays it to its counties the same way. Until a platform holds it, it derives with a key of its own (`local`), and
 * when the national key arrives the subjects module re-issues what it derived (job `subjects.rekey`).
 */
const KEY = 'sharing.identityKey';
/** The per-database secret identity codes were derived with before there was a national key. */
const LEGACY = 'subjects.identitySecret';

export interface IdentityKey {
  key: string;
  /** `national`: the national key (at national, or received from the upper platform); `local`: this platform's own. */
  source: 'national' | 'local';
  /** A short public fingerprint of the key (SM3), to compare keys without showing them. */
  fingerprint: string;
}

interface Stored {
  key: string;
  from: string | null;
}

export const keyFingerprint = (key: string) =>
  createHash('sm3').update(`suyuan-identity-key:${key}`).digest('hex').slice(0, 16);

const legacyOrNew = async (db: Kysely<DB>) => (await getSetting<string>(db, LEGACY)) ?? randomBytes(32).toString('hex');

/** The key this platform derives identity codes and registry hashes with. */
export async function identityKey(db: Kysely<DB>, config: Pick<Config, 'platformTier'>): Promise<IdentityKey> {
  let stored = await getSetting<Stored>(db, KEY);
  if (!stored) {
    // National keeps the secret it has always derived with (its codes stay valid); a lower platform its own for now.
    const key = await legacyOrNew(db);
    stored = await settingOrInit<Stored>(db, KEY, () => ({ key, from: null }));
  }
  const national = config.platformTier === 'national' || stored.from !== null;
  return { key: stored.key, source: national ? 'national' : 'local', fingerprint: keyFingerprint(stored.key) };
}

/** Stores the national key received from the upper platform; true when it replaced a different key. */
export async function adoptIdentityKey(db: Kysely<DB>, key: string, from: string): Promise<boolean> {
  const before = await getSetting<Stored>(db, KEY);
  await putSetting(db, KEY, { key, from } satisfies Stored);
  return before?.key !== key;
}

// ── sealing to the receiver's SM2 key ─────────────────────────────────────────────────────────────────────────

/** The uncompressed point (65 bytes) of an SM2 public key in SPKI PEM. */
function publicPoint(pem: string): Buffer {
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 65);
}

/** The private scalar (32 bytes) of an SM2 key (PKCS#8 → ECPrivateKey: INTEGER 1, OCTET STRING of 32 bytes). */
function privateScalar(identity: PlatformIdentity): Buffer {
  const der = identity.privateKey.export({ type: 'pkcs8', format: 'der' });
  const at = der.indexOf(Buffer.from('0201010420', 'hex'));
  if (at < 0) throw new Error('unexpected SM2 private key encoding');
  return der.subarray(at + 5, at + 37);
}

function derive(shared: Buffer, eph: Buffer): { enc: Buffer; mac: Buffer } {
  const k = (label: string) => createHash('sm3').update(shared).update(eph).update(label).digest();
  return { enc: k('enc').subarray(0, 16), mac: k('mac') };
}

/** The national key sealed to `receiverPublicKeyPem` and signed by `sender`. */
export function sealIdentityKey(
  sender: PlatformIdentity,
  receiverPublicKeyPem: string,
  key: string,
): SealedIdentityKey {
  const ecdh = createECDH('SM2');
  const eph = ecdh.generateKeys();
  const { enc, mac } = derive(ecdh.computeSecret(publicPoint(receiverPublicKeyPem)), eph);
  const iv = randomBytes(16);
  const c = createCipheriv('sm4-ctr', enc, iv);
  const ct = Buffer.concat([c.update(key, 'utf8'), c.final()]);
  const body = {
    ephemeral: eph.toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: ct.toString('base64'),
    tag: createHmac('sm3', mac).update(iv).update(ct).digest('base64'),
    fingerprint: keyFingerprint(key),
  };
  return { ...body, signature: signBody(sender, body) };
}

/** Opens a sealed key with this platform's SM2 key after checking the sender's signature; null when anything is off. */
export function openIdentityKey(
  receiver: PlatformIdentity,
  senderPublicKeyPem: string,
  sealed: SealedIdentityKey,
): string | null {
  const { signature, ...body } = sealed;
  if (!verifyBody(senderPublicKeyPem, body, signature)) return null;
  try {
    const eph = Buffer.from(body.ephemeral, 'base64');
    const ecdh = createECDH('SM2');
    ecdh.setPrivateKey(privateScalar(receiver));
    const { enc, mac } = derive(ecdh.computeSecret(eph), eph);
    const iv = Buffer.from(body.iv, 'base64');
    const ct = Buffer.from(body.ciphertext, 'base64');
    const tag = createHmac('sm3', mac).update(iv).update(ct).digest();
    const given = Buffer.from(body.tag, 'base64');
    if (given.length !== tag.length || !timingSafeEqual(given, tag)) return null;
    const d = createDecipheriv('sm4-ctr', enc, iv);
    const key = Buffer.concat([d.update(ct), d.final()]).toString('utf8');
    return keyFingerprint(key) === body.fingerprint ? key : null;
  } catch {
    return null;
  }
}
