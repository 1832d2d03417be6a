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
    expect(['', '44', '4401', '440117', '440117101', '440117101001'].map(divisionLevel)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(parentCode('440117101001')).toBe('440117101');
    expect(parentCode('440117101')).toBe('440117');
    expect(parentCode('44')).toBe('');
    expect(parentCode('')).toBe(null);
    expect(() => divisionLevel('4401171')).toThrow();
  });
});

describe('fail-closed scope and division helpers', () => {
  it('refuses anything that is not a division code as a scope', async () => {
    const { inScope: is, scopeFilter: sf } = await import('./scope.js');
    expect(() => is(undefined as unknown as string, '44')).toThrow();
    expect(() => is('4401x', '44')).toThrow();
    expect(() => is('4401171', '44011710')).toThrow();
    expect(() => sf({} as never, 'c', null as unknown as string)).toThrow();
    expect(is('44', null)).toBe(false);
  });
  it('escapes LIKE wildcards', async () => {
    const { escapeLike, likePrefix, likeContains } = await import('./scope.js');
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(likePrefix('a_b')).toBe('a\\_b%');
    expect(likeContains('%')).toBe('%\\%%');
  });
  it('finds ancestors and levels without hard-coded lengths at the call site', async () => {
    const m = await import('./scope.js');
    expect(m.countyOf('440117101001')).toBe('440117');
    expect(m.townshipOf('440117')).toBe(null);
    expect(m.provinceOf('4401')).toBe('44');
    expect(m.levelOf('440117101')).toBe('township');
    expect(m.isLevel('440117', 'county')).toBe(true);
    expect(m.isAtOrBelow('440117101', 'county')).toBe(true);
    expect(m.isAtOrBelow('4401', 'county')).toBe(false);
    expect(m.childLength('440117')).toBe(9);
    expect(m.childLevel('440117101001')).toBe(null);
    expect(m.canSee({ scope: '4401' }, { subject_id: 'x', division_code: '440117' })).toBe(true);
    expect(m.canSee({ subjectId: 'y' }, { subject_id: 'x', division_code: '440117' })).toBe(false);
  });
});
