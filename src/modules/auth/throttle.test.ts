import { describe, expect, it } from 'vitest';
import { afterFailure, blockedMinutes } from './throttle.js';

describe('login back-off', () => {
  const now = Date.parse('2026-12-01T00:00:00Z');
  it('counts down the remaining attempts, then blocks, doubling each round up to a day', () => {
    let s: { failures: number; blocked_until: Date | null; last_failure_at: Date } | undefined;
    const seen: number[] = [];
    const blocks: number[] = [];
    for (let i = 0; i < 5 * 12; i++) {
      const r = afterFailure(s, now, 5, 15);
      seen.push(r.remaining);
      if (r.blockMinutes) blocks.push(r.blockMinutes);
      s = { failures: r.failures, blocked_until: r.blockedUntil, last_failure_at: new Date(now) };
    }
    expect(seen.slice(0, 5)).toEqual([4, 3, 2, 1, 0]);
    expect(blocks.slice(0, 4)).toEqual([15, 30, 60, 120]);
    expect(Math.max(...blocks)).toBe(24 * 60);
  });
  it('a pair idle for a day starts again; a block ends', () => {
    const old = { failures: 4, blocked_until: null, last_failure_at: new Date(now - 86_400_001) };
    expect(afterFailure(old, now, 5, 15).remaining).toBe(4);
    expect(
      blockedMinutes({ failures: 5, blocked_until: new Date(now + 61_000), last_failure_at: new Date(now) }, now),
    ).toBe(2);
    expect(blockedMinutes({ failures: 5, blocked_until: new Date(now - 1), last_failure_at: new Date(now) }, now)).toBe(
      0,
    );
  });
});
