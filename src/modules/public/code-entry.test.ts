import { describe, expect, it } from 'vitest';
import { dammValid } from '../../kernel/checkchar.js';
import { normaliseCode } from '../../kernel/codes.js';
import { oneErrorAway } from './lookup.js';

// Issue 12, item 12: full-width digits are normalised; dropped or doubled digits get suggestions too.
describe('code entry', () => {
  it('normalises full-width digits and letters', () => {
    expect(normaliseCode('１２３４５ＡＢ')).toBe('12345AB');
  });
  it('suggests codes for a dropped or a doubled digit', () => {
    let code = '1234567890123456789';
    for (let d = 0; d <= 9; d++) if (dammValid(`${code}${d}`)) code = `${code}${d}`;
    expect(code).toHaveLength(20);
    const dropped = code.slice(0, 7) + code.slice(8);
    expect(oneErrorAway(dropped, 20)).toContain(code);
    const doubled = code.slice(0, 5) + code[5] + code.slice(5);
    expect(oneErrorAway(doubled, 20)).toContain(code);
  });
});
