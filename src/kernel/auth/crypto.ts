import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum, not importable under isolatedModules)

/**
 * Argon2id cost. `standard` is OWASP's (19 MiB, 2 passes). `test` (1 MiB, 1 pass — still argon2id, so every code path
 * is the same) exists only so the test suites, which create hundreds of accounts, need not spend seconds hashing: the
 * test harness sets `PASSWORD_HASH_COST=test`, and it is refused under NODE_ENV=production (also by loadConfig).
 */
export const PASSWORD_HASH_COSTS = {
  standard: { memoryCost: 19456, timeCost: 2 },
  test: { memoryCost: 1024, timeCost: 1 },
} as const;
export type PasswordHashCost = keyof typeof PASSWORD_HASH_COSTS;

/** The cost named by PASSWORD_HASH_COST (default `standard`); throws on an unknown name or `test` in production. */
export function passwordHashCost(env: NodeJS.ProcessEnv = process.env): PasswordHashCost {
  const name = env.PASSWORD_HASH_COST || 'standard';
  if (!(name in PASSWORD_HASH_COSTS))
    throw new Error(`PASSWORD_HASH_COST must be one of ${Object.keys(PASSWORD_HASH_COSTS).join(', ')}`);
  if (name === 'test' && env.NODE_ENV === 'production')
    throw new Error('PASSWORD_HASH_COST=test is for the test suites only, never with NODE_ENV=production');
  return name as PasswordHashCost;
}

/** Passwords: argon2id. Verification reads the parameters from the stored hash, so costs can change over time. */
export function hashPassword(password: string): Promise<string> {
  const { memoryCost, timeCost } = PASSWORD_HASH_COSTS[passwordHashCost()];
  return hash(password, { algorithm: ARGON2ID, memoryCost, timeCost, parallelism: 1 });
}
export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password).catch(() => false);
}

/** At least 8 characters with a letter and a digit. */
export function isStrongPassword(password: string): boolean {
  return password.length >= 8 && /[A-Za-z]/.test(password) && /\d/.test(password);
}

/** A readable random password for generated accounts (no 0/O/1/l/I). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(14);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 12)}${2 + (bytes[12] % 8)}${'abcdefghjk'[bytes[13] % 10]}`;
}

/** Bearer secrets are random 256-bit strings; only their SM3 (国密) hash is stored. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}
export function sm3(value: string): string {
  return createHash('sm3').update(value).digest('hex');
}
