import { describe, expect, it } from 'vitest';
import {
  PASSWORD_HASH_COSTS,
  generatePassword,
  hashPassword,
  isStrongPassword,
  passwordHashCost,
  sm3,
  verifyPassword,
} from './crypto.js';

describe('credentials', () => {
  it('hashes with argon2id and verifies', async () => {
    const h = await hashPassword('Secret123');
    expect(h.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(h, 'Secret123')).toBe(true);
    expect(await verifyPassword(h, 'Secret124')).toBe(false);
    expect(await verifyPassword('garbage', 'Secret123')).toBe(false);
  });
  it('hashes at the OWASP cost unless the test harness asks for the cheap one, never cheap in production', async () => {
    expect(passwordHashCost({})).toBe('standard');
    expect(passwordHashCost({ PASSWORD_HASH_COST: 'test' })).toBe('test');
    expect(() => passwordHashCost({ PASSWORD_HASH_COST: 'test', NODE_ENV: 'production' })).toThrow(/never/);
    expect(() => passwordHashCost({ PASSWORD_HASH_COST: 'cheap' })).toThrow(/must be one of/);
    // The suite runs with PASSWORD_HASH_COST=test (vitest.config.ts): still argon2id, with the test parameters.
    const h = await hashPassword('Secret123');
    const { memoryCost, timeCost } = PASSWORD_HASH_COSTS[passwordHashCost()];
    expect(h.startsWith(`$argon2id$v=19$m=${memoryCost},t=${timeCost},p=1$`)).toBe(true);
    expect(PASSWORD_HASH_COSTS.standard).toEqual({ memoryCost: 19456, timeCost: 2 });
  });
  it('enforces the password policy, and generated passwords meet it', () => {
    expect(isStrongPassword('short1')).toBe(false);
    expect(isStrongPassword('onlyletters')).toBe(false);
    expect(isStrongPassword('12345678')).toBe(false);
    expect(isStrongPassword('letters123')).toBe(true);
    for (let i = 0; i < 200; i++) expect(isStrongPassword(generatePassword())).toBe(true);
  });
  it('uses SM3 (GB/T 32905) for token digests', () => {
    // Standard test vector: SM3("abc")
    expect(sm3('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });
});
