import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CREDIT_ALPHABET,
  creditCodeCheckChar,
  creditCodeError,
  idNumberCheckChar,
  idNumberError,
  isCreditCode,
  isIdNumber,
  makeCreditCode,
  makeIdNumber,
  maskIdNumber,
} from './idcodes.js';

// Published examples (credit codes printed on public licences; the ID number is the GB 11643 textbook example).
const REAL_CREDIT = ['91350100M000100Y43', '91110000600037341L', '91440300708461136T'];
const TEXTBOOK_ID = '11010519491231002X';

const creditBody = fc
  .tuple(
    fc.constantFrom(...'123456789ANY'),
    fc.constantFrom(...'123459'),
    fc.stringMatching(/^\d{6}$/),
    fc.array(fc.constantFrom(...CREDIT_ALPHABET), { minLength: 9, maxLength: 9 }).map((a) => a.join('')),
  )
  .map(([a, b, c, d]) => a + b + c + d);
const idBody = fc
  .tuple(
    fc.integer({ min: 110000, max: 659999 }),
    fc.date({ min: new Date('1930-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([r, d, s]) => `${r}${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(s).padStart(3, '0')}`);

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts published codes', () => {
    for (const c of REAL_CREDIT) expect(creditCodeError(c), c).toBeNull();
  });
  it('names the reason', () => {
    expect(creditCodeError('91350100M000100Y4')).toBe('length');
    expect(creditCodeError('91350100M000100I43')).toBe('charset');
    expect(creditCodeError('9135A100M000100Y43')).toBe('division');
    expect(creditCodeError('91350100M000100Y44')).toBe('check');
  });
  it('catches every single-character substitution (property)', () => {
    fc.assert(
      fc.property(creditBody, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (body, pos, shift) => {
        const code = makeCreditCode(body);
        expect(isCreditCode(code)).toBe(true);
        const i = CREDIT_ALPHABET.indexOf(code[pos]);
        const wrong = code.slice(0, pos) + CREDIT_ALPHABET[(i + shift) % 31] + code.slice(pos + 1);
        expect(isCreditCode(wrong)).toBe(false);
      }),
    );
  });
  it('check character throws on a character outside the alphabet', () => {
    expect(() => creditCodeCheckChar('91350100M000100O4')).toThrow();
  });
});

describe('resident ID number (ISO 7064 MOD 11-2)', () => {
  it('accepts the textbook example and a lower-case x is not accepted unnormalised', () => {
    expect(idNumberError(TEXTBOOK_ID)).toBeNull();
    expect(idNumberError(TEXTBOOK_ID.toLowerCase())).toBe('charset');
  });
  it('names the reason', () => {
    expect(idNumberError('11010519491231002')).toBe('length');
    expect(idNumberError('01010519491231002X')).toBe('division');
    expect(idNumberError(makeIdNumber('110105', '19490230', '002'))).toBe('birthdate');
    expect(idNumberError(makeIdNumber('110105', '29991231', '002'))).toBe('birthdate');
    expect(idNumberError('110105194912310021')).toBe('check');
  });
  it('catches every single-digit substitution and adjacent transposition (property)', () => {
    fc.assert(
      fc.property(idBody, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (body, pos, shift) => {
        const id = body + idNumberCheckChar(body);
        expect(isIdNumber(id)).toBe(true);
        const d = (Number(id[pos]) + shift) % 10;
        const wrong = id.slice(0, pos) + d + id.slice(pos + 1);
        expect(idNumberCheckChar(wrong.slice(0, 17)) === wrong[17]).toBe(false);
        if (pos < 16 && id[pos] !== id[pos + 1]) {
          const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
          expect(idNumberCheckChar(swapped.slice(0, 17)) === swapped[17]).toBe(false);
        }
      }),
    );
  });
  it('masks all but the first 3 and last 4 characters', () => {
    expect(maskIdNumber(TEXTBOOK_ID)).toBe('110***********002X');
  });
});
