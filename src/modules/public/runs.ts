/**
 * The runs of issued codes of one kind (码段: consecutive serials sharing status, owner, batch and issue day), held in
 * columns of typed arrays, sorted by `lo` — the public resolver's memory (resolver.ts). As objects a run cost about
 * 370 bytes of heap (two uuid strings, a Date, the object); in columns it is 58 bytes (serial ends and issue time as
 * float64, status as one byte, subject and batch ids as 16 bytes each), so the national figure — 100 million codes
 * in about a million runs — fits in some 60 MB per process.
 */

/** A run as the resolver reads and answers it. */
export interface Run {
  lo: number;
  hi: number;
  status: string;
  /** Null for a subject identity code's run (kind 5): consecutive identity codes of different subjects share it. */
  subjectId: string | null;
  batchId: string | null;
  issuedAt: Date;
}

/** ASCII hex digits of a byte, for writing an id back as text. */
const HEX = Array.from({ length: 256 }, (_, i) => [
  i.toString(16).padStart(2, '0').charCodeAt(0),
  i.toString(16).padStart(2, '0').charCodeAt(1),
]);
/** Scratch space for one id's text (a flat string comes out: it is hashed as a map key on every lookup). */
const TEXT = Buffer.alloc(36, '-');
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Writes a uuid's 16 bytes at `at` (ids come from uuid columns: anything else is a programming error). */
function putUuid(bytes: Uint8Array, at: number, id: string): void {
  if (!UUID_RE.test(id)) throw new Error(`not a uuid: ${id.slice(0, 40)}`);
  let j = 0;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) continue;
    bytes[at + j++] = Number.parseInt(id.slice(i, i + 2), 16);
    i++;
  }
}

function getUuid(b: Uint8Array, at: number): string {
  let o = 0;
  for (let j = 0; j < 16; j++) {
    if (j === 4 || j === 6 || j === 8 || j === 10) o++; // the dashes stay in place
    const h = HEX[b[at + j]];
    TEXT[o++] = h[0];
    TEXT[o++] = h[1];
  }
  return TEXT.toString('latin1', 0, 36);
}

/** The runs of `runs` outside lo..hi (a run across an end is cut), in order: RunList.cut over a plain array. */
export function cutRuns(runs: Run[], lo: number, hi: number): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (r.hi < lo || r.lo > hi) out.push(r);
    else {
      if (r.lo < lo) out.push({ ...r, hi: lo - 1 });
      if (r.hi > hi) out.push({ ...r, lo: hi + 1 });
    }
  }
  return out;
}

const HAS_SUBJECT = 1;
const HAS_BATCH = 2;

export class RunList {
  private cap = 0;
  private lo = new Float64Array(0);
  private hi = new Float64Array(0);
  private issued = new Float64Array(0);
  private status = new Uint8Array(0);
  /** HAS_SUBJECT | HAS_BATCH: which ids are set (null otherwise). */
  private flags = new Uint8Array(0);
  private subject = new Uint8Array(0);
  private batch = new Uint8Array(0);
  length = 0;

  constructor(runs: Run[] = []) {
    this.splice(0, 0, runs);
  }

  /** Index of the run holding `serial` (binary search), or -1. */
  indexOf(serial: number): number {
    let a = 0;
    let b = this.length - 1;
    while (a <= b) {
      const m = (a + b) >> 1;
      if (serial < this.lo[m]) b = m - 1;
      else if (serial > this.hi[m]) a = m + 1;
      else return m;
    }
    return -1;
  }

  /** Index of the first run with `lo` above `serial` (where a run starting at `serial` would go). */
  private upper(serial: number): number {
    let a = 0;
    let b = this.length;
    while (a < b) {
      const m = (a + b) >> 1;
      if (this.lo[m] <= serial) a = m + 1;
      else b = m;
    }
    return a;
  }

  statusOf(i: number): string {
    return String.fromCharCode(this.status[i]);
  }
  issuedOf(i: number): Date {
    return new Date(this.issued[i]);
  }
  subjectOf(i: number): string | null {
    return this.flags[i] & HAS_SUBJECT ? getUuid(this.subject, i * 16) : null;
  }
  batchOf(i: number): string | null {
    return this.flags[i] & HAS_BATCH ? getUuid(this.batch, i * 16) : null;
  }

  get(i: number): Run {
    return {
      lo: this.lo[i],
      hi: this.hi[i],
      status: this.statusOf(i),
      subjectId: this.subjectOf(i),
      batchId: this.batchOf(i),
      issuedAt: this.issuedOf(i),
    };
  }

  last(): Run | undefined {
    return this.length ? this.get(this.length - 1) : undefined;
  }

  toArray(): Run[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }

  /** Removes the runs over lo..hi; a run across an end keeps its part outside. */
  cut(lo: number, hi: number): void {
    let a = this.upper(lo - 1);
    if (a > 0 && this.hi[a - 1] >= lo) a--;
    const b = this.upper(hi);
    if (a >= b) return;
    const keep: Run[] = [];
    if (this.lo[a] < lo) keep.push({ ...this.get(a), hi: lo - 1 });
    if (this.hi[b - 1] > hi) keep.push({ ...this.get(b - 1), lo: hi + 1 });
    this.splice(a, b - a, keep);
  }

  /** Adds runs (sorted, disjoint) that lie between two held runs or past the last, where they belong. */
  insert(runs: Run[]): void {
    if (runs.length) this.splice(this.upper(runs[0].lo - 1), 0, runs);
  }

  /** Replaces the last run (a run continued by the next chunk's first). */
  setLast(run: Run): void {
    this.write(this.length - 1, run);
  }

  private grow(need: number) {
    if (need <= this.cap) return;
    const cap = Math.max(need, Math.ceil(this.cap * 1.5), 16);
    const re = <T extends Float64Array | Uint8Array>(a: T, per = 1): T => {
      const n = new (a.constructor as new (n: number) => T)(cap * per);
      n.set(a.subarray(0, this.length * per));
      return n;
    };
    this.lo = re(this.lo);
    this.hi = re(this.hi);
    this.issued = re(this.issued);
    this.status = re(this.status);
    this.flags = re(this.flags);
    this.subject = re(this.subject, 16);
    this.batch = re(this.batch, 16);
    this.cap = cap;
  }

  /** Array.prototype.splice over the columns. */
  private splice(start: number, remove: number, items: Run[]) {
    const shift = items.length - remove;
    const tail = start + remove;
    this.grow(this.length + shift);
    if (shift !== 0 && tail < this.length) {
      const to = tail + shift;
      for (const a of [this.lo, this.hi, this.issued, this.status, this.flags]) a.copyWithin(to, tail, this.length);
      for (const a of [this.subject, this.batch]) a.copyWithin(to * 16, tail * 16, this.length * 16);
    }
    this.length += shift;
    for (let k = 0; k < items.length; k++) this.write(start + k, items[k]);
  }

  private write(i: number, r: Run) {
    this.lo[i] = r.lo;
    this.hi[i] = r.hi;
    this.issued[i] = r.issuedAt.getTime();
    this.status[i] = r.status.charCodeAt(0);
    let flags = 0;
    if (r.subjectId !== null) {
      putUuid(this.subject, i * 16, r.subjectId);
      flags |= HAS_SUBJECT;
    }
    if (r.batchId !== null) {
      putUuid(this.batch, i * 16, r.batchId);
      flags |= HAS_BATCH;
    }
    this.flags[i] = flags;
  }

  /** Heap and typed-array bytes held (the bench's per-run figure is measured, this is what the columns reserve). */
  bytes(): number {
    return this.cap * (8 * 3 + 2 + 32);
  }
}
