import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { ANONYMOUS_TTL_MS, deleteUnattachedFile } from '../../kernel/files.js';
import type { JobDef } from '../../kernel/jobs.js';
import type { DB } from '../../schema.js';
import * as repo from './repo.js';
import { SweepResult } from './schemas.js';

/**
 * Deletes uploads never attached to an owner: anonymous ones (abandoned registrations, complaints) after an hour,
 * an account's after a day; rows and stored bytes.
 */
export async function sweepUnattached(
  db: Kysely<DB>,
  config: Config,
  olderThanMs = 86_400_000,
  anonymousOlderThanMs = ANONYMOUS_TTL_MS,
): Promise<number> {
  const now = Date.now();
  const stale = await repo.staleUnattached(db, new Date(now - olderThanMs), new Date(now - anonymousOlderThanMs));
  let deleted = 0;
  for (const f of stale) if (await deleteUnattachedFile(db, config, f.id)) deleted++;
  return deleted;
}

/** The `files.sweep` job, every 10 minutes. */
export const sweepJob: JobDef = {
  run: async (job): Promise<SweepResult> => ({ deleted: await sweepUnattached(job.db, job.config) }),
  everyMs: 10 * 60_000,
  result: SweepResult,
};
