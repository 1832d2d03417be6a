import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connect.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** Migration files are plain SQL named `YYYYMMDDHHMM_name.sql`, applied once each, in name order. Never edit a landed one. */
export function migrationFiles(dir = MIGRATIONS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /^\d{12}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
}

export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  await database.exec(
    'CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const done = new Set(
    (await sql<{ name: string }>`SELECT name FROM schema_migration`.execute(database.db)).rows.map((r) => r.name),
  );
  const applied: string[] = [];
  for (const file of migrationFiles(dir)) {
    if (done.has(file)) continue;
    const body = readFileSync(`${dir}/${file}`, 'utf8');
    // One simple-protocol message: PostgreSQL runs it as a single implicit transaction, so a failing
    // migration leaves nothing behind, bookkeeping row included. Files must not contain BEGIN/COMMIT.
    await database.exec(`${body}\n;INSERT INTO schema_migration (name) VALUES ('${file.replace(/'/g, "''")}');`);
    applied.push(file);
  }
  return applied;
}
