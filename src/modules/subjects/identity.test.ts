import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCreditCode, makeIdNumber } from '../../kernel/idcodes.js';
import { identityCode, isIdentityCode } from './identity.js';

const secret = 'a'.repeat(64);
describe('subject identity code', () => {
  it('embeds the credit code with category and check character', () => {
    const cc = makeCreditCode('93440117MA5ABCDE1');
    const code = identityCode({
      orgForm: 'cooperative',
      certType: 'credit_code',
      certNo: cc,
      personalIdNo: null,
      countyCode: '440117',
      secret,
    });
    expect(code).toHaveLength(21);
    expect(code.startsWith(`HC${cc}`)).toBe(true);
    expect(isIdentityCode(code)).toBe(true);
  });
  it('never contains the ID number, is deterministic, and depends on the secret', () => {
    const id = makeIdNumber('440117', '19650312', '123');
    const a = identityCode({
      orgForm: 'individual',
      certType: 'id_card',
      certNo: id,
      personalIdNo: id,
      countyCode: '440117',
      secret,
    });
    const b = identityCode({
      orgForm: 'individual',
      certType: 'id_card',
      certNo: id,
      personalIdNo: id,
      countyCode: '440117',
      secret,
    });
    const c = identityCode({
      orgForm: 'individual',
      certType: 'id_card',
      certNo: id,
      personalIdNo: id,
      countyCode: '440117',
      secret: 'b'.repeat(64),
    });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a.startsWith('NP440117')).toBe(true);
    expect(a).not.toContain(id.slice(6, 14));
    expect(isIdentityCode(a)).toBe(true);
  });
  it('catches any single mistyped character (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 2, max: 20 }),
        fc.integer({ min: 1, max: 35 }),
        (seq, pos, shift) => {
          const id = makeIdNumber('510131', '19800101', String(seq).padStart(3, '0'));
          const code = identityCode({
            orgForm: 'family_farm',
            certType: 'id_card',
            certNo: id,
            personalIdNo: id,
            countyCode: '510131',
            secret,
          });
          const A = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
          const i = A.indexOf(code[pos]);
          const wrong = code.slice(0, pos) + A[(i + shift) % 36] + code.slice(pos + 1);
          expect(isIdentityCode(wrong)).toBe(false);
        },
      ),
    );
  });
});
