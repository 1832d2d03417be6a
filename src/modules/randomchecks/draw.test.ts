import { describe, expect, it } from 'vitest';
import { ALGORITHM, SeededRandom, runDraw } from './draw.js';

const pool = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(3, '0')}`);

describe('double-random draw', () => {
  it('is reproducible: same seed and pools, same result', () => {
    const input = { seed: 'abc123', subjectPool: pool('s', 50), inspectorPool: pool('i', 8), subjectCount: 10, inspectorsPerSubject: 2 };
    expect(runDraw(input)).toEqual(runDraw(input));
    expect(ALGORITHM).toBe('sha256-ctr/fisher-yates/v1');
  });
  it('pins the algorithm: a known seed gives a known draw (changing the algorithm must change its name)', () => {
    const r = runDraw({ seed: 'suyuan', subjectPool: pool('s', 10), inspectorPool: pool('i', 4), subjectCount: 3, inspectorsPerSubject: 2 });
    expect(r).toMatchSnapshot();
  });
  it('differs for another seed', () => {
    const a = runDraw({ seed: 'one', subjectPool: pool('s', 100), inspectorPool: pool('i', 5), subjectCount: 10, inspectorsPerSubject: 2 });
    const b = runDraw({ seed: 'two', subjectPool: pool('s', 100), inspectorPool: pool('i', 5), subjectCount: 10, inspectorsPerSubject: 2 });
    expect(a).not.toEqual(b);
  });
  it('draws distinct subjects and distinct inspectors per subject, all from the pools', () => {
    const sp = pool('s', 30);
    const ip = pool('i', 6);
    const r = runDraw({ seed: 'x', subjectPool: sp, inspectorPool: ip, subjectCount: 30, inspectorsPerSubject: 3 });
    expect(new Set(r.map((p) => p.subjectId)).size).toBe(30);
    for (const p of r) {
      expect(sp).toContain(p.subjectId);
      expect(new Set(p.inspectorIds).size).toBe(3);
      for (const i of p.inspectorIds) expect(ip).toContain(i);
    }
  });
  it('is close to uniform (each of 10 items picked first ~10% of 20,000 seeds)', () => {
    const counts = new Array(10).fill(0);
    for (let s = 0; s < 20000; s++) counts[new SeededRandom(`seed${s}`).below(10)]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});
