import { describe, expect, it } from 'vitest';
import { type Run, RunList, cutRuns as cutArray } from './runs.js';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const run = (lo: number, hi: number, n: number, status = 'A'): Run => ({
  lo,
  hi,
  status,
  subjectId: n % 5 === 0 ? null : uuid(n * 7),
  batchId: n % 3 === 0 ? null : uuid(n),
  issuedAt: new Date(Date.UTC(2026, 10, 1) + n * 60_000),
});

describe('RunList (runs of issued codes in columns)', () => {
  it('keeps every field of a run exactly, nulls included', () => {
    const runs = [run(1, 100, 1), run(101, 200, 3, 'V'), run(201, 201, 5, 'I'), run(300, 9_007_199_254_740_000, 2)];
    const list = new RunList(runs);
    expect(list.length).toBe(4);
    expect(list.toArray()).toEqual(runs);
    expect(list.get(2).subjectId).toBeNull();
    expect(list.get(1).batchId).toBeNull();
    expect(list.statusOf(1)).toBe('V');
  });

  it('finds the run holding a serial, and none in a gap or past the ends', () => {
    const list = new RunList([run(10, 19, 1), run(30, 39, 2), run(40, 40, 4)]);
    expect(list.indexOf(10)).toBe(0);
    expect(list.indexOf(19)).toBe(0);
    expect(list.indexOf(35)).toBe(1);
    expect(list.indexOf(40)).toBe(2);
    for (const s of [9, 20, 29, 41, 0, -1]) expect(list.indexOf(s)).toBe(-1);
    expect(new RunList().indexOf(1)).toBe(-1);
  });

  it('cuts a range out, keeping the parts of runs across its ends', () => {
    const list = new RunList([run(1, 8, 1), run(11, 18, 2), run(21, 28, 4)]);
    list.cut(5, 12);
    expect(list.toArray().map((r) => [r.lo, r.hi, r.batchId])).toEqual([
      [1, 4, run(1, 8, 1).batchId],
      [13, 18, run(11, 18, 2).batchId],
      [21, 28, run(21, 28, 4).batchId],
    ]);
    list.cut(14, 14);
    expect(list.toArray().map((r) => [r.lo, r.hi])).toEqual([
      [1, 4],
      [13, 13],
      [15, 18],
      [21, 28],
    ]);
    list.cut(0, 100);
    expect(list.length).toBe(0);
  });

  it('cuts like the plain-array version at every position', () => {
    const base = Array.from({ length: 50 }, (_, i) => run(i * 10 + 1, i * 10 + 8, i + 1));
    for (const [lo, hi] of [
      [1, 8],
      [5, 5],
      [5, 25],
      [9, 10],
      [0, 1000],
      [499, 600],
      [200, 200],
      [-5, 3],
    ]) {
      const list = new RunList(base);
      list.cut(lo, hi);
      expect(list.toArray(), `${lo}..${hi}`).toEqual(cutArray(base, lo, hi));
    }
  });

  it('agrees with an array under a random mix of cuts, inserts into the gaps and appends', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const list = new RunList();
    let want: Run[] = [];
    let next = 1;
    for (let step = 0; step < 3000; step++) {
      const op = rand(3);
      if (op === 0) {
        const r = run(next, next + rand(50), step);
        next = r.hi + 1 + rand(5);
        list.insert([r]);
        want.push(r);
      } else if (op === 1) {
        const lo = rand(next + 10);
        const hi = lo + rand(80);
        list.cut(lo, hi);
        want = cutArray(want, lo, hi);
      } else {
        // Refill a hole: cut a range, then put back runs within it.
        // Within what was appended so far (an append always goes past every run).
        const lo = 1 + rand(next);
        const hi = Math.min(lo + rand(40), next - 1);
        if (hi < lo) continue;
        list.cut(lo, hi);
        want = cutArray(want, lo, hi);
        const fresh = hi - lo >= 2 ? [run(lo, lo + 1, step), run(hi, hi, step + 1)] : [run(lo, hi, step)];
        list.insert(fresh);
        want = [...want, ...fresh].sort((a, b) => a.lo - b.lo);
      }
      if (step % 97 === 0) expect(list.toArray()).toEqual(want);
    }
    expect(list.toArray()).toEqual(want);
    for (let s = 0; s < next; s += 3) {
      const i = list.indexOf(s);
      const r = want.find((x) => x.lo <= s && s <= x.hi);
      expect(i >= 0 ? list.get(i) : undefined).toEqual(r);
    }
  });

  it('refuses an id that is not a uuid rather than keep it wrong', () => {
    expect(() => new RunList([{ ...run(1, 2, 1), batchId: 'batch-1' }])).toThrow(/not a uuid/);
  });
});
