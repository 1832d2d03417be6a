import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { damm } from './checkchar.js';
import {
  CODE_KINDS,
  type CodeKey,
  MAX_SERIAL,
  certificateNumber,
  codeUrl,
  longCode,
  parseCertificateNumber,
  parseCode,
  platformOf,
  platformPart,
  shortCode,
} from './codes.js';

const DIGITS = '0123456789'.split('');
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*'.split('');
const REGIONS = ['', '44', '51', '4401', '5101', '440117', '510131', '110101'];

const keyArb = fc.record({
  kind: fc.constantFrom(...CODE_KINDS),
  platform: fc.constantFrom(...REGIONS).map(platformPart),
  serial: fc.integer({ min: 0, max: MAX_SERIAL }),
});
const dateArb = fc.date({
  min: new Date('2017-06-23T00:00:00Z'),
  max: new Date('2099-12-31T00:00:00Z'),
  noInvalidDate: true,
});

/** Every string one substitution away from `code`, over `alphabet`. */
function substitutions(code: string, alphabet: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < code.length; i++)
    for (const ch of alphabet) if (ch !== code[i]) out.push(code.slice(0, i) + ch + code.slice(i + 1));
  return out;
}
function transpositions(code: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < code.length; i++)
    if (code[i] !== code[i + 1]) out.push(code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2));
  return out;
}

describe('code scheme', () => {
  it('round-trips both forms to the same key (property)', () => {
    fc.assert(
      fc.property(keyArb, dateArb, (key: CodeKey, at) => {
        const s = shortCode(key);
        expect(s).toMatch(/^\d{20}$/);
        const ps = parseCode(s);
        expect(ps.ok && { kind: ps.code.kind, platform: ps.code.platform, serial: ps.code.serial }).toEqual(key);
        const l = longCode(key, at);
        expect(l).toHaveLength(29);
        const pl = parseCode(l);
        expect(pl.ok && pl.code.short).toBe(s);
        expect(parseCode(codeUrl('https://x.example.cn/', s)).ok).toBe(true);
        expect(parseCode(l.toLowerCase()).ok).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('short form: every single-digit error and every adjacent transposition is caught (property, exhaustive per code)', () => {
    fc.assert(
      fc.property(keyArb, (key) => {
        const s = shortCode(key);
        for (const wrong of [...substitutions(s, DIGITS), ...transpositions(s)])
          expect(parseCode(wrong).ok, wrong).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('long form: every single-character error and every adjacent transposition is caught (property, exhaustive per code)', () => {
    fc.assert(
      fc.property(keyArb, dateArb, (key, at) => {
        const l = longCode(key, at);
        for (const wrong of [...substitutions(l, ALNUM), ...transpositions(l)])
          expect(parseCode(wrong).ok, wrong).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('platforms of every tier get disjoint code spaces', () => {
    const parts = REGIONS.map(platformPart);
    expect(new Set(parts).size).toBe(parts.length);
    expect(platformOf('000000')).toEqual({ tier: 'national', region: '' });
    expect(platformOf('440000')).toEqual({ tier: 'province', region: '44' });
    expect(platformOf('440100')).toEqual({ tier: 'city', region: '4401' });
    expect(platformOf('440117')).toEqual({ tier: 'county', region: '440117' });
    const a = shortCode({ kind: 'production', platform: platformPart('44'), serial: 7 });
    const b = shortCode({ kind: 'production', platform: platformPart('4401'), serial: 7 });
    expect(a).not.toBe(b);
  });

  it('explains why a text is not a code', () => {
    expect(parseCode('')).toEqual({ ok: false, error: 'empty' });
    expect(parseCode('123')).toEqual({ ok: false, error: 'length' });
    expect(parseCode('中文中文')).toEqual({ ok: false, error: 'characters' });
    const s = shortCode({ kind: 'temporary', platform: '440117', serial: 42 });
    expect(s.startsWith('4440117000000000042')).toBe(true);
    expect(parseCode(s.slice(0, 19) + ((Number(s[19]) + 1) % 10))).toEqual({ ok: false, error: 'check' });
    expect(parseCode(`${s.slice(0, 4)} ${s.slice(4, 10)}-${s.slice(10)}`).ok).toBe(true);
    // a check-valid short code whose kind digit is unassigned
    const body = `9${'440117'}${'0'.repeat(12)}`;
    expect(parseCode(body + damm(body))).toEqual({ ok: false, error: 'kind' });
  });

  it('certificate numbers carry a check digit', () => {
    const n = certificateNumber('440117', 12);
    expect(n).toMatch(/^HG\d{17}$/);
    expect(parseCertificateNumber(n)).toEqual({ platform: '440117', serial: 12 });
    for (const wrong of substitutions(n.slice(2), DIGITS)) expect(parseCertificateNumber(`HG${wrong}`)).toBeNull();
  });
});
