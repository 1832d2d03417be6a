/**
 * Check characters for printed and typed codes. Both catch every single-character error and every adjacent
 * transposition (proved exhaustively by checkchar.test.ts):
 * - `damm` for digit-only codes (short printable trace codes): the Damm algorithm, a totally anti-symmetric
 *   quasigroup of order 10; the check is one digit.
 * - `mod37_2` for alphanumeric codes (those carrying a unified social credit code): ISO/IEC 7064 MOD 37-2, a pure
 *   system over a prime modulus; the check is one of 0-9, A-Z or '*'.
 */
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/** Damm check digit of a string of digits. */
export function damm(digits: string): string {
  let interim = 0;
  for (const ch of digits) {
    const d = ch.charCodeAt(0) - 48;
    if (d < 0 || d > 9) throw new Error(`not a digit: ${ch}`);
    interim = DAMM[interim][d];
  }
  return String(interim);
}

/** True when the last digit is the Damm check digit of the rest. */
export function dammValid(code: string): boolean {
  return /^\d{2,}$/.test(code) && damm(code) === '0';
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';

/** ISO/IEC 7064 MOD 37-2 check character of an alphanumeric string (case-insensitive). */
export function mod37_2(input: string): string {
  let p = 0;
  for (const ch of input.toUpperCase()) {
    const v = ALNUM.indexOf(ch);
    if (v < 0 || v > 35) throw new Error(`not alphanumeric: ${ch}`);
    p = ((p + v) * 2) % 37;
  }
  return ALNUM[(38 - p) % 37];
}

export function mod37_2Valid(code: string): boolean {
  if (code.length < 2) return false;
  const body = code.slice(0, -1);
  if (!/^[0-9A-Za-z]+$/.test(body)) return false;
  return mod37_2(body) === code.slice(-1).toUpperCase();
}
