import type { Kysely } from 'kysely';
import type { DB } from '../schema.js';

/**
 * Platform settings (`platform_setting`): small JSON values keyed by `module.name`, e.g. `subjects.identitySecret`.
 * The kernel owns the table; modules read and write their keys only through these functions.
 */
export async function getSetting<T>(db: Kysely<DB>, key: string): Promise<T | undefined> {
  const row = await db.selectFrom('platform_setting').select('value').where('key', '=', key).executeTakeFirst();
  return row ? (row.value as T) : undefined;
}

/** Writes a setting, replacing any previous value. */
export async function putSetting(db: Kysely<DB>, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('platform_setting')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
}

/**
 * Returns a setting, first storing `initial()` when it is absent. Safe under concurrency: when two callers race, both
 * get the value that was stored first.
 */
export async function settingOrInit<T>(db: Kysely<DB>, key: string, initial: () => T): Promise<T> {
  const found = await getSetting<T>(db, key);
  if (found !== undefined) return found;
  await db
    .insertInto('platform_setting')
    .values({ key, value: JSON.stringify(initial()) })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting<T>(db, key)) as T;
}
