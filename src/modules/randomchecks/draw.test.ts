import { describe, expect, it } from 'vitest';
import { ALGORITHM, SeededRandom, WEIGHTED_ALGORITHM, runDraw, weightedDraw } from './draw.js';

const pool = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(3, '0')}`);

describe('double-random draw', () => {
  it('is reproducible: same seed and pools, same result', () => {
    const input = {
      seed: 'abc123',
      subjectPool: pool('s', 50),
      inspectorPool: pool('i', 8),
      subjectCount: 10,
      inspectorsPerSubject: 2,
    };
    expect(runDraw(input)).toEqual(runDraw(input));
    expect(ALGORITHM).toBe('sha256-ctr/fisher-yates/v1');
  });
  it('pins the algorithm: a known seed gives a known draw (changing the algorithm must change its name)', () => {
    const r = runDraw({
      seed: 'suyuan',
      subjectPool: pool('s', 10),
      inspectorPool: pool('i', 4),
      subjectCount: 3,
      inspectorsPerSubject: 2,
    });
    expect(r).toMatchSnapshot();
  });
  it('differs for another seed', () => {
    const a = runDraw({
      seed: 'one',
      subjectPool: pool('s', 100),
      inspectorPool: pool('i', 5),
      subjectCount: 10,
      inspectorsPerSubject: 2,
    });
    const b = runDraw({
      seed: 'two',
      subjectPool: pool('s', 100),
      inspectorPool: pool('i', 5),
      subjectCount: 10,
      inspectorsPerSubject: 2,
    });
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
  it('draws reproducibly, favouring heavy items, without replacement', () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ id: i, w: i < 10 ? 10 : 1 }));
    const d1 = weightedDraw(items, (x) => x.w, 20, 'seed');
    expect(weightedDraw(items, (x) => x.w, 20, 'seed')).toEqual(d1);
    expect(new Set(d1.map((x) => x.id)).size).toBe(20);
    expect(d1.filter((x) => x.id < 10).length).toBeGreaterThan(5);
  });
  it('weighted draw: the weights steer it, a fixed seed pins it, uniform draws are unchanged by the option', () => {
    const input = {
      seed: 'risk',
      subjectPool: pool('s', 20),
      inspectorPool: pool('i', 4),
      subjectCount: 4,
      inspectorsPerSubject: 1,
    };
    // First 4 producers weigh 0.2 (hot), the others 0.01: over 300 seeds the hot ones fill far more than 4/20 of picks.
    const weights = input.subjectPool.map((_, i) => (i < 4 ? 0.2 : 0.01));
    let hot = 0;
    let hotUniform = 0;
    for (let s = 0; s < 300; s++) {
      const w = runDraw({ ...input, seed: `s${s}`, weights });
      hot += w.filter((p) => p.subjectId < 's004').length;
      hotUniform += runDraw({ ...input, seed: `s${s}` }).filter((p) => p.subjectId < 's004').length;
    }
    expect(hot / 1200).toBeGreaterThan(0.6);
    expect(hotUniform / 1200).toBeLessThan(0.3);
    expect(runDraw({ ...input, weights })).toEqual(runDraw({ ...input, weights }));
    expect(runDraw({ ...input, weights: null })).toEqual(runDraw(input));
    expect(WEIGHTED_ALGORITHM).toBe('sha256-ctr/es-weighted/v1');
    expect(() => runDraw({ ...input, weights: [1] })).toThrow();
  });
  it('is close to uniform (each of 10 items picked first ~10% of 20,000 seeds)', () => {
    const counts = new Array(10).fill(0);
    for (let s = 0; s < 20000; s++) counts[new SeededRandom(`seed${s}`).below(10)]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});
