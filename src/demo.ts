import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { actorByUsername } from './kernel/auth/sessions.js';
import type { Database } from './kernel/db/connect.js';
import { type DemoEnv, demoSteps } from './kernel/module.js';
import { MODULES, VERB_TABLE } from './modules/index.js';
import type { DB } from './schema.js';

/**
 * Demo data (`npm run demo`, or `DEMO=true npm start` on an empty database). Each module declares its steps in its
 * ModuleDef (`demo`, from `src/modules/<name>/demo.ts`); they run in module order after the steps they name in
 * `after`, and are idempotent (a step that finds its data already there does nothing).
 */
export function demoEnv(database: Database, config: Config, log: (msg: string) => void): DemoEnv {
  const actor = async (username: string, db: Kysely<DB> = database.db) => {
    const a = await actorByUsername(db, username, VERB_TABLE);
    if (!a) throw new Error(`demo account ${username} missing`);
    return a;
  };
  return {
    database,
    config,
    log,
    actor,
    as: (username, fn) =>
      database.db
        .transaction()
        .execute(async (trx) => fn({ db: trx, actor: await actor(username, trx), ip: null, config })),
    system: (fn) => database.db.transaction().execute((trx) => fn({ db: trx, actor: null, ip: null, config })),
  };
}

export async function runDemo(database: Database, config: Config, log: (msg: string) => void): Promise<void> {
  const env = demoEnv(database, config, log);
  for (const step of demoSteps(MODULES)) {
    const t = Date.now();
    await step.run(env);
    log(`demo: ${step.name} (${Date.now() - t} ms)`);
  }
}
