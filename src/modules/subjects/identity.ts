import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { mod37_2, mod37_2Valid } from '../../kernel/checkchar.js';
import type { CertType, DB, SubjectOrgForm } from '../../schema.js';
import { platformLink } from '../../kernel/sharing.js';

/**
 * 主体身份码 Subject identity code — 21 characters, e.g. `HC91440117MA5ABCDE1X7`:
 *
 *   [category 1][basis 1][body 18][check 1]
 *
 * - category: Q 企业 enterprise · H 合作社 cooperative · J 家庭农场 family farm · N 农户/个人 individual
 * - basis: C = body is the unified social credit code (public by law), P = body is derived from a personal ID number
 * - body (C): the 18-character credit code itself, so the code can be matched to the national enterprise registry.
 * - body (P): the 6-digit division code of the subject's county, then 12 characters (Crockford base-32, 60 bits) of
 *   HMAC-SM3(national identity key, ID number). Deterministic (one ID number → one code on every platform, since
 *   every connected platform derives with the same national key: docs/adr/0015-national-identity-key.md) yet never
 *   reveals the ID number: without the key the 10^9-ish space of ID numbers in a county cannot be searched. The key
 *   is the sharing module's (`sharing/identity-key.ts`): generated at national, handed to each approved lower
 *   platform sealed to its SM2 key; a platform not yet connected derives with its own until the national one arrives
 *   and then re-issues (job `subjects.rekey`).
 * - check: ISO/IEC 7064 MOD 37-2 over the first 20 characters (kernel/checkchar.ts), which catches every single
 *   typing error and adjacent transposition when an officer types the code on an inspection.
 */
export const CATEGORY: Record<SubjectOrgForm, string> = {
  enterprise: 'Q',
  cooperative: 'H',
  family_farm: 'J',
  individual: 'N',
};
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const IDENTITY_CODE_RE = /^[QHJN][CP][0-9A-Z]{18}[0-9A-Z*]$/;

/** The key identity codes and registry hashes are derived with (the national key once this platform holds it). */
export async function identitySecret(ctx: { db: Kysely<DB>; config: Pick<Config, 'platformTier'> }): Promise<string> {
  return (await platformLink().identityKey(ctx.db, ctx.config)).key;
}

/**
 * 全国查重 Registry hashes: the keyed hashes (HMAC-SM3 with the national identity key, 128 bits, hex) of a subject's
 * duplicate keys — its `dedup_key` (credit code for enterprises and cooperatives, the ID number for family farms and
 * farmers) and, when it registered with a credit code, that code. Platforms compare these, never ID numbers.
 */
export function registryHashes(
  secret: string,
  s: { dedup_key: string; cert_type: CertType; cert_no: string },
): string[] {
  const keys = new Set([s.dedup_key, ...(s.cert_type === 'credit_code' ? [`C${s.cert_no}`] : [])]);
  return [...keys].map((k) => createHmac('sm3', secret).update(`suyuan-registry:${k}`).digest('hex').slice(0, 32));
}

function base32(buf: Buffer, chars: number): string {
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const byte of buf) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += BASE32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
    if (out.length >= chars) break;
  }
  return out;
}

export function identityCode(input: {
  orgForm: SubjectOrgForm;
  certType: CertType;
  certNo: string;
  personalIdNo: string | null;
  countyCode: string;
  secret: string;
}): string {
  let head: string;
  if (input.certType === 'credit_code') head = `${CATEGORY[input.orgForm]}C${input.certNo}`;
  else {
    const id = input.personalIdNo ?? input.certNo;
    const mac = createHmac('sm3', input.secret).update(id).digest();
    head = `${CATEGORY[input.orgForm]}P${input.countyCode.slice(0, 6).padEnd(6, '0')}${base32(mac, 12)}`;
  }
  return head + mod37_2(head);
}

export function isIdentityCode(code: string): boolean {
  return IDENTITY_CODE_RE.test(code) && mod37_2Valid(code);
}
