/**
 * Validators for the two certificate numbers a producer registers with:
 * - 统一社会信用代码 unified social credit code (GB 32100-2015): 18 characters from a 31-character alphabet
 *   (digits and capitals without I, O, S, V, Z); position 1 registering authority, 2 organisation type, 3–8 division
 *   code, 9–17 organisation body, 18 a check character: weights 3^i mod 31, C18 = 31 − (Σ mod 31), 31 → '0'.
 * - 居民身份证号码 resident ID number (GB 11643-1999): 17 digits (6 address code, 8 birth date, 3 sequence) and a check
 *   character by ISO 7064 MOD 11-2 (weights 2^(17−i) mod 11; 10 is written 'X').
 */
export const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Check character of the first 17 characters of a credit code. Throws on a character outside the alphabet. */
export function creditCodeCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error('a credit code body has 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_ALPHABET.indexOf(first17[i]);
    if (v < 0) throw new Error(`not a credit-code character: ${first17[i]}`);
    sum += v * CREDIT_WEIGHTS[i];
  }
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
}

export type IdCodeError = 'length' | 'charset' | 'division' | 'birthdate' | 'check';

/** Validates a unified social credit code; null when valid, else the reason. Upper-case input expected. */
export function creditCodeError(code: string): IdCodeError | null {
  if (code.length !== 18) return 'length';
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return 'charset';
  if (!/^\d{6}$/.test(code.slice(2, 8))) return 'division';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'check';
}
export const isCreditCode = (code: string) => creditCodeError(code) === null;

/** ISO 7064 MOD 11-2 check character of the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('an ID number body has 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/** Validates an 18-digit resident ID number (upper-case X); null when valid, else the reason. */
export function idNumberError(id: string, today: Date = new Date()): IdCodeError | null {
  if (id.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(id)) return 'charset';
  if (!/^[1-9]\d{5}$/.test(id.slice(0, 6))) return 'division';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (
    y < 1900 ||
    birth.getUTCFullYear() !== y ||
    birth.getUTCMonth() !== m - 1 ||
    birth.getUTCDate() !== d ||
    birth > today
  )
    return 'birthdate';
  return idNumberCheckChar(id.slice(0, 17)) === id[17] ? null : 'check';
}
export const isIdNumber = (id: string) => idNumberError(id) === null;

/** Normalises user input: trims, removes inner spaces, upper-cases (a typed lower-case 'x' is accepted). */
export const normaliseCode = (s: string) => s.replace(/\s+/g, '').toUpperCase();

/** An ID number for display to people who may not see it in full: first 3 and last 4 characters. */
/** Natural persons' names are personal data: 张三丰 → 张** (enterprises and cooperatives are public by law). */
export const maskPersonName = (name: string) =>
  name.length <= 1 ? name : name[0] + '*'.repeat(Math.min(name.length - 1, 3));

/** A producer's name as the public sees it: natural persons' masked, enterprises' and cooperatives' in full. */
export const maskedProducerName = (name: string, orgForm: string | null) =>
  orgForm === 'individual' || orgForm === 'family_farm' ? maskPersonName(name) : name;

export function maskIdNumber(id: string): string {
  if (id.length < 8) return '*'.repeat(id.length);
  return `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

export const ID_CODE_REASONS: Record<IdCodeError, { zh: string; en: string }> = {
  length: { zh: '须为 18 位', en: 'must have 18 characters' },
  charset: { zh: '含有不允许的字符', en: 'contains characters that are not allowed' },
  division: { zh: '行政区划部分不正确', en: 'has an invalid division part' },
  birthdate: { zh: '出生日期不正确', en: 'has an invalid birth date' },
  check: { zh: '校验位不正确，请核对是否输错', en: 'has a wrong check character; please check for typing errors' },
};

/** Builds a valid credit code from 17 characters (tests, demo data). */
export const makeCreditCode = (first17: string) => first17 + creditCodeCheckChar(first17);
/** Builds a valid ID number from a 6-digit address code, a YYYYMMDD birth date and a 3-digit sequence. */
export const makeIdNumber = (division: string, birth: string, seq: string) => {
  const body = `${division}${birth}${seq}`;
  return body + idNumberCheckChar(body);
};
