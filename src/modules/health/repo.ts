import { type Kysely, sql } from 'kysely';
import type { DB } from '../../schema.js';

/** The cheapest round trip that proves the database answers. */
export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
