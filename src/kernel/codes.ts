import { damm, dammValid, mod37_2, mod37_2Valid } from './checkchar.js';

/**
 * The trace-code scheme (追溯码编码方案): pure functions, no database. See docs/codes.md.
 *
 * Every code names its kind, the platform that issued it and a serial unique within that platform and kind:
 *
 *   short (printable, 20 digits):  K PPPPPP SSSSSSSSSSSS C
 *     K  kind digit        1 production batch 生产批次码 · 2 circulation batch 流通批次码 · 3 market-entry voucher
 *                          入市追溯凭证 · 4 temporary 临时码 · 5 subject identity 主体身份码 (short form)
 *     P  issuing platform  its division code padded to 6 digits: national 000000, province 440000, city 440100,
 *                          county 440117 (GB/T 2260 county codes never end in 00, so the padding is unambiguous and
 *                          platforms of every tier get disjoint code spaces)
 *     S  serial            12 digits, allocated by the issuing platform per kind
 *     C  Damm check digit  catches every single-digit error and every adjacent transposition
 *
 *   long (machine, 29 characters):  L T PPPPPP YYYYMMDD SSSSSSSSSSSS X
 *     L  kind letter       P production · C circulation · M market-entry voucher · T temporary · S subject
 *     T  tier digit        0 national · 1 province · 2 city · 3 county
 *     YYYYMMDD             issue date (Beijing time), checked against the stored code when resolving
 *     X  ISO 7064 MOD 37-2 check character over the rest
 *
 * Both forms parse to the same (kind, platform, serial) key. Separators (spaces, '-') are ignored when typed.
 */
export const CODE_KINDS = ['production', 'circulation', 'voucher', 'temporary', 'subject'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

export const KIND_DIGIT: Record<CodeKind, number> = {
  production: 1,
  circulation: 2,
  voucher: 3,
  temporary: 4,
  subject: 5,
};
export const KIND_LETTER: Record<CodeKind, string> = {
  production: 'P',
  circulation: 'C',
  voucher: 'M',
  temporary: 'T',
  subject: 'S',
};
export const KIND_NAMES: Record<CodeKind, { zh: string; en: string }> = {
  production: { zh: '生产批次码', en: 'production batch code' },
  circulation: { zh: '流通批次码', en: 'circulation batch code' },
  voucher: { zh: '追溯凭证', en: 'traceability voucher' },
  temporary: { zh: '临时码', en: 'temporary code' },
  subject: { zh: '主体身份码', en: 'subject identity code' },
};
const DIGIT_KIND = Object.fromEntries(Object.entries(KIND_DIGIT).map(([k, d]) => [d, k])) as Record<number, CodeKind>;
const LETTER_KIND = Object.fromEntries(Object.entries(KIND_LETTER).map(([k, l]) => [l, k])) as Record<string, CodeKind>;

export const TIERS = ['national', 'province', 'city', 'county'] as const;
export type Tier = (typeof TIERS)[number];

export const SERIAL_DIGITS = 12;
export const MAX_SERIAL = 10 ** SERIAL_DIGITS - 1;
export const SHORT_LENGTH = 20;
export const LONG_LENGTH = 29;

/** The 6-digit platform part for a platform serving `region` ('' national, 2/4/6-digit division code). */
export function platformPart(region: string): string {
  if (!/^(\d{2}|\d{4}|\d{6}|)$/.test(region)) throw new Error(`invalid platform region ${region}`);
  return region.padEnd(6, '0');
}

/** Tier and region from a 6-digit platform part. */
export function platformOf(part: string): { tier: Tier; region: string } {
  if (part === '000000') return { tier: 'national', region: '' };
  if (part.endsWith('0000')) return { tier: 'province', region: part.slice(0, 2) };
  if (part.endsWith('00')) return { tier: 'city', region: part.slice(0, 4) };
  return { tier: 'county', region: part };
}

export interface CodeKey {
  kind: CodeKind;
  /** 6-digit platform part */
  platform: string;
  serial: number;
}

export interface ParsedCode extends CodeKey {
  form: 'short' | 'long';
  tier: Tier;
  region: string;
  /** Issue date YYYYMMDD (long form only). */
  issuedOn?: string;
  /** The canonical short form. */
  short: string;
}

function serialPart(serial: number): string {
  if (!Number.isSafeInteger(serial) || serial < 0 || serial > MAX_SERIAL)
    throw new Error(`serial out of range: ${serial}`);
  return String(serial).padStart(SERIAL_DIGITS, '0');
}

/** The 20-digit printable code. */
export function shortCode(key: CodeKey): string {
  const body = `${KIND_DIGIT[key.kind]}${key.platform}${serialPart(key.serial)}`;
  return body + damm(body);
}

/** YYYYMMDD of an instant in Beijing time (UTC+8, no DST). */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

/** The 29-character machine code. */
export function longCode(key: CodeKey, issuedAt: Date): string {
  const tier = TIERS.indexOf(platformOf(key.platform).tier);
  const body = `${KIND_LETTER[key.kind]}${tier}${key.platform}${beijingDate(issuedAt)}${serialPart(key.serial)}`;
  return body + mod37_2(body);
}

/** Strips separators and upper-cases what a person typed or a scanner read (including a full URL). */
export function normaliseCode(input: string): string {
  // NFKC: full-width digits and letters typed with a Chinese input method (１２３, ＡＢ) become ASCII.
  let s = input.normalize('NFKC').trim();
  const i = s.lastIndexOf('/t/');
  if (i >= 0) s = s.slice(i + 3);
  s = s.split(/[?#]/)[0];
  return s.replace(/[\s\-_.]/g, '').toUpperCase();
}

export type ParseError = 'empty' | 'length' | 'characters' | 'check' | 'kind' | 'platform' | 'tier';

/** Parses either form; returns the reason when the text is not a well-formed code. */
export function parseCode(input: string): { ok: true; code: ParsedCode } | { ok: false; error: ParseError } {
  const s = normaliseCode(input);
  if (!s) return { ok: false, error: 'empty' };
  if (/^\d+$/.test(s)) {
    if (s.length !== SHORT_LENGTH) return { ok: false, error: 'length' };
    if (!dammValid(s)) return { ok: false, error: 'check' };
    const kind = DIGIT_KIND[Number(s[0])];
    if (!kind) return { ok: false, error: 'kind' };
    const platform = s.slice(1, 7);
    const serial = Number(s.slice(7, 19));
    const p = platformOf(platform);
    return { ok: true, code: { form: 'short', kind, platform, serial, tier: p.tier, region: p.region, short: s } };
  }
  if (!/^[0-9A-Z]+\*?$/.test(s)) return { ok: false, error: 'characters' };
  if (s.length !== LONG_LENGTH) return { ok: false, error: 'length' };
  if (!mod37_2Valid(s)) return { ok: false, error: 'check' };
  const kind = LETTER_KIND[s[0]];
  if (!kind) return { ok: false, error: 'kind' };
  const tierIdx = Number(s[1]);
  const platform = s.slice(2, 8);
  if (!/^\d{6}$/.test(platform)) return { ok: false, error: 'platform' };
  const p = platformOf(platform);
  if (TIERS[tierIdx] !== p.tier) return { ok: false, error: 'tier' };
  const issuedOn = s.slice(8, 16);
  const serialText = s.slice(16, 28);
  if (!/^\d{8}$/.test(issuedOn) || !/^\d{12}$/.test(serialText)) return { ok: false, error: 'characters' };
  const key = { kind, platform, serial: Number(serialText) };
  return { ok: true, code: { form: 'long', ...key, tier: p.tier, region: p.region, issuedOn, short: shortCode(key) } };
}

/** The URL printed in QR codes: `{PUBLIC_BASE_URL}/t/{short code}`. */
export function codeUrl(publicBaseUrl: string, short: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/t/${short}`;
}

/** Groups a 20-digit code for printing under a QR: 1 440117 0000 0000 1234 5 → "1-440117-000000001234-5". */
export function formatShort(short: string): string {
  return `${short.slice(0, 1)} ${short.slice(1, 7)} ${short.slice(7, 13)} ${short.slice(13, 19)} ${short.slice(19)}`;
}

// ── certificate numbers (合格证编号) ───────────────────────────────────────────
/** Certificate numbers: 'HG' + 6-digit platform + 10-digit serial + Damm digit (19 characters). */
export function certificateNumber(platform: string, serial: number): string {
  const body = `${platform}${String(serial).padStart(10, '0')}`;
  return `HG${body}${damm(body)}`;
}
export function parseCertificateNumber(input: string): { platform: string; serial: number } | null {
  const s = normaliseCode(input);
  if (!/^HG\d{17}$/.test(s) || !dammValid(s.slice(2))) return null;
  return { platform: s.slice(2, 8), serial: Number(s.slice(8, 18)) };
}
