import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { damm, dammValid, mod37_2, mod37_2Valid } from './checkchar.js';

const DIGITS = '0123456789'.split('');
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

describe('Damm', () => {
  it('matches the published example', () => {
    expect(damm('572')).toBe('4');
    expect(dammValid('5724')).toBe(true);
  });
  it('catches every single-digit substitution and every adjacent transposition (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 1, maxLength: 24 }),
        fc.nat(),
        fc.nat(9),
        (body, pos, delta) => {
          const code = body + damm(body);
          expect(dammValid(code)).toBe(true);
          const i = pos % code.length;
          const wrong = code.slice(0, i) + ((Number(code[i]) + 1 + (delta % 9)) % 10) + code.slice(i + 1);
          expect(dammValid(wrong)).toBe(false);
          const j = pos % (code.length - 1);
          if (code[j] !== code[j + 1])
            expect(dammValid(code.slice(0, j) + code[j + 1] + code[j] + code.slice(j + 2))).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('ISO 7064 MOD 37-2', () => {
  it('catches every single-character substitution and every adjacent transposition (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.nat(34),
        (body, pos, delta) => {
          const code = body + mod37_2(body);
          expect(mod37_2Valid(code)).toBe(true);
          const i = pos % body.length; // substitutions in the body (the check char itself is covered by equality)
          const wrong = body.slice(0, i) + ALNUM[(ALNUM.indexOf(body[i]) + 1 + delta) % 36] + body.slice(i + 1);
          expect(mod37_2Valid(wrong + code.slice(-1))).toBe(false);
          const j = pos % (code.length - 1);
          if (code[j] !== code[j + 1])
            expect(mod37_2Valid(code.slice(0, j) + code[j + 1] + code[j] + code.slice(j + 2))).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
