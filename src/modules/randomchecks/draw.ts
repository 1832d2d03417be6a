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

export class SeededRandom {
  private counter = 0;
  private words: number[] = [];
  constructor(private readonly seed: string) {}
  private nextWord(): number {
    if (this.words.length === 0) {
      const d = createHash('sha256').update(`${this.seed}:${this.counter++}`).digest();
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
}
export interface DrawPick {
  subjectId: string;
  inspectorIds: string[];
}

export function runDraw(input: DrawInput): DrawPick[] {
  const rng = new SeededRandom(input.seed);
  const subjects = rng.pick(input.subjectPool, input.subjectCount);
  return subjects.map((subjectId) => ({ subjectId, inspectorIds: rng.pick(input.inspectorPool, input.inspectorsPerSubject) }));
}
