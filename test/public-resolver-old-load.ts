import { type Kysely, sql } from 'kysely';
import type { RunRow } from '../src/modules/public/resolver.js';
import type { DB } from '../src/schema.js';

/**
 * The public resolver's start-up query before issue 19's chunked load (resolver.ts until 2026-12-01): one window
 * pass over every code, grouped into runs. Kept as the reference the chunked load is compared with
 * (test/public-resolver-load.test.ts) and timed against (bench/resolver.bench.ts).
 */
export async function oldRuns(db: Kysely<DB>) {
  const r = await sql<RunRow & { kind: number }>`
    SELECT min(kind) AS kind, min(serial) AS lo, max(serial) AS hi, min(status) AS status,
           min(subject_id::text) AS subject_id, min(batch_id::text) AS batch_id, min(issued_at) AS issued_at
    FROM (SELECT *, sum(CASE WHEN same THEN 0 ELSE 1 END) OVER (ORDER BY kind, serial) AS run
          FROM (SELECT c.*, (lag(kind) OVER w = kind AND lag(serial) OVER w = serial - 1
                             AND lag(status) OVER w = status AND lag(subject_id) OVER w IS NOT DISTINCT FROM subject_id
                             AND lag(batch_id) OVER w IS NOT DISTINCT FROM batch_id AND lag(day) OVER w = day) AS same
                FROM (SELECT kind, serial, status, CASE WHEN kind = 5 THEN NULL ELSE subject_id END AS subject_id,
                             batch_id, issued_at,
                             ((issued_at AT TIME ZONE 'UTC') + interval '8 hours')::date AS day
                      FROM trace_code
                      WHERE kind = ANY('{1,2,3,4,5}'::smallint[]) AND serial BETWEEN 0 AND 9007199254740991) c
                WINDOW w AS (ORDER BY kind, serial)) x) y
    GROUP BY run ORDER BY 1, 2`.execute(db);
  return r.rows.map((x) => ({
    kind: Number(x.kind),
    lo: Number(x.lo),
    hi: Number(x.hi),
    status: x.status,
    subjectId: x.subject_id,
    batchId: x.batch_id,
    issuedAt: x.issued_at.toISOString(),
  }));
}
