import { describe, expect, it } from 'vitest';
import { allocateQuotas, seasonOf, shrinkRates } from './risk.js';

describe('risk-based sampling (pure)', () => {
  it('maps months to seasons', () => {
    expect([1, 3, 5, 6, 9, 11, 12].map(seasonOf)).toEqual([
      'winter',
      'spring',
      'spring',
      'summer',
      'autumn',
      'autumn',
      'winter',
    ]);
  });
  it('shrinks a sparse cell toward its parent and trusts a dense one', () => {
    const cells = [
      { product: '豇豆', region: 'a', parent: 'P', season: 'summer' as const, samples: 3, failed: 1 },
      { product: '豇豆', region: 'b', parent: 'P', season: 'summer' as const, samples: 400, failed: 4 },
      { product: '豇豆', region: 'c', parent: 'P', season: 'summer' as const, samples: 400, failed: 80 },
    ];
    const [a, b, c] = shrinkRates(cells);
    expect(a.raw).toBeCloseTo(1 / 3);
    expect(a.rate).toBeLessThan(0.2); // not a 33% hot spot on three samples
    expect(c.rate).toBeGreaterThan(0.18); // 20% on 400 samples stays high
    expect(b.rate).toBeLessThan(0.03);
  });
  it('allocates quotas in proportion to risk, summing to the total', () => {
    const q = allocateQuotas(
      [
        { code: 'a', weight: 3 },
        { code: 'b', weight: 1 },
        { code: 'c', weight: 0 },
      ],
      20,
    );
    expect(q.reduce((s, x) => s + x.quota, 0)).toBe(20);
    expect(q.find((x) => x.code === 'a')!.quota).toBeGreaterThan(q.find((x) => x.code === 'b')!.quota);
    expect(q.find((x) => x.code === 'c')!.quota).toBe(1);
  });
});
