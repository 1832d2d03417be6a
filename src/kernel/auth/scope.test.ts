import { describe, expect, it } from 'vitest';
import { divisionLevel, inScope, parentCode } from './scope.js';

describe('jurisdiction', () => {
  it('is a prefix test on division codes', () => {
    expect(inScope('', '44')).toBe(true); // national sees everything
    expect(inScope('44', '440117')).toBe(true);
    expect(inScope('440117', '440117101')).toBe(true);
    expect(inScope('440117', '440117')).toBe(true); // own node
    expect(inScope('440117', '4401')).toBe(false); // the parent is outside
    expect(inScope('440117', '440118')).toBe(false); // a sibling is outside
    expect(inScope('44', '51')).toBe(false);
  });
  it('derives level and parent from the code length', () => {
    expect([ '', '44', '4401', '440117', '440117101', '440117101001'].map(divisionLevel)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(parentCode('440117101001')).toBe('440117101');
    expect(parentCode('440117101')).toBe('440117');
    expect(parentCode('44')).toBe('');
    expect(parentCode('')).toBe(null);
    expect(() => divisionLevel('4401171')).toThrow();
  });
});
