import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { fileStore } from '../../kernel/files.js';
import { registerJob } from '../../kernel/jobs.js';
import type { DB } from '../../schema.js';

/** Deletes uploads never attached to an owner (abandoned registrations) after a day: rows and stored bytes. */
export async function sweepUnattached(db: Kysely<DB>, config: Config, olderThanMs = 86_400_000): Promise<number> {
  const stale = await db
    .selectFrom('stored_file')
    .select(['id', 'storage_key'])
    .where('owner_type', 'is', null)
    .where('created_at', '<', new Date(Date.now() - olderThanMs))
    .limit(1000)
    .execute();
  for (const f of stale) {
    await db.deleteFrom('stored_file').where('id', '=', f.id).where('owner_type', 'is', null).execute();
    await fileStore(config).delete(f.storage_key);
  }
  return stale.length;
}

registerJob('files.sweep', async (job) => ({ deleted: await sweepUnattached(job.db, job.config) }), { everyMs: 6 * 3600_000 });
