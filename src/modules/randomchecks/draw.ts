import { createHash } from 'node:crypto';

/**
 * The double-random draw (双随机), as a pure function anyone can re-run: the same seed and the same pools (in the
 * stored order) give the same result on any machine. No Math.random, no dates.
 *
 * Algorithm `sha256-ctr/fisher-yates/v1`:
 *   - random words: SHA-256 of `${seed}:${counter}` (counter 0, 1, 2, …), each digest read as eight big-endian
 *     uint32 words in order;
 *   - an integer in [0, n): rejection sampling on uint32 words (drop words ≥ the largest multiple of n), so unbiased;
 *   - subjects: partial Fisher–Yates over the subject pool, first `subjectCount` positions;
 *   - inspectors: for each drawn subject in draw order, a fresh partial Fisher–Yates over the whole inspector pool,
 *     first `inspectorsPerSubject` positions (two different inspectors per subject, as the rules require at least two).
 */
export const ALGORITHM = 'sha256-ctr/fisher-yates/v1';
/**
 * Algorithm `sha256-ctr/es-weighted/v1` (risk-weighted draws): the same random words; subjects drawn without
 * replacement with probability proportional to weight (Efraimidis–Spirakis): for each pool entry in stored order a
 * uniform u = (below(2³¹ − 1) + 1) / 2³¹ and the key ln(u) / w, the `subjectCount` largest keys in descending order
 * (ties keep pool order); weights below 1e-6 count as 1e-6, so every producer keeps a chance. Inspectors as in v1,
 * continuing the same random words.
 */
export const WEIGHTED_ALGORITHM = 'sha256-ctr/es-weighted/v1';

export class SeededRandom {
  private counter = 0;
  private words: number[] = [];
  constructor(private readonly seed: string) {}
  private nextWord(): number {
    if (this.words.length === 0) {
      const d = createHash('sha256')
        .update(`${this.seed}:${this.counter++}`)
        .digest();
      for (let i = 0; i < 32; i += 4) this.words.push(d.readUInt32BE(i));
    }
    return this.words.shift() as number;
  }
  /** Uniform integer in [0, n). */
  below(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`below(${n})`);
    const limit = Math.floor(0x1_0000_0000 / n) * n;
    for (;;) {
      const w = this.nextWord();
      if (w < limit) return w % n;
    }
  }
  /** A uniform number in (0, 1]. */
  unit(): number {
    return (this.below(0x7fff_ffff) + 1) / 0x8000_0000;
  }
  /** `k` items without replacement, each with probability proportional to its weight (Efraimidis–Spirakis). */
  pickWeighted<T>(items: readonly T[], weight: (t: T, i: number) => number, k: number): T[] {
    return items
      .map((item, i) => ({ item, key: Math.log(this.unit()) / Math.max(weight(item, i), 1e-6) }))
      .sort((a, b) => b.key - a.key)
      .slice(0, k)
      .map((x) => x.item);
  }
  /** The first k elements of a Fisher–Yates shuffle of `items` (a copy). */
  pick<T>(items: readonly T[], k: number): T[] {
    const a = [...items];
    const take = Math.min(k, a.length);
    for (let i = 0; i < take; i++) {
      const j = i + this.below(a.length - i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a.slice(0, take);
  }
}

export interface DrawInput {
  seed: string;
  subjectPool: readonly string[];
  inspectorPool: readonly string[];
  subjectCount: number;
  inspectorsPerSubject: number;
  /** Risk weights aligned with `subjectPool` (a weighted draw); absent for a uniform one. */
  weights?: readonly number[] | null;
}
export interface DrawPick {
  subjectId: string;
  inspectorIds: string[];
}

export function runDraw(input: DrawInput): DrawPick[] {
  const rng = new SeededRandom(input.seed);
  const w = input.weights;
  if (w && w.length !== input.subjectPool.length) throw new Error('weights must align with the subject pool');
  const subjects = w
    ? rng.pickWeighted(input.subjectPool, (_, i) => w[i], input.subjectCount)
    : rng.pick(input.subjectPool, input.subjectCount);
  return subjects.map((subjectId) => ({
    subjectId,
    inspectorIds: rng.pick(input.inspectorPool, input.inspectorsPerSubject),
  }));
}

/** `n` items drawn without replacement with probability proportional to weight, reproducible from the seed. */
export function weightedDraw<T>(items: readonly T[], weight: (t: T) => number, n: number, seed: string): T[] {
  return new SeededRandom(seed).pickWeighted(items, weight, n);
}
