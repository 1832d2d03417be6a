/**
 * Administrative commands: `npm run cli -- <command> [args]`.
 *   migrate                      apply pending migrations
 *   load-divisions               load the whole division tree now, villages included
 *   create-admin [username]      create (or reset) a platform administrator; password from ADMIN_PASSWORD or generated
 *   reset-admin                  same as create-admin admin: new password, unlocked, active
 *   demo                         fill demo organisations, accounts and data (idempotent)
 *   jobs                         run every due background job now, then exit
 */
import { loadConfig } from './config.js';
import { generatePassword } from './kernel/auth/crypto.js';
import { drain } from './kernel/jobs.js';
import { migrate } from './kernel/db/migrate.js';
import { setAdmin } from './modules/accounts/bootstrap.js';
import { ensureDivisions, loadVillages } from './modules/regions/loader.js';
import { openDatabase, prepare } from './platform.js';
import { runDemo } from './demo.js';

const [command, ...args] = process.argv.slice(2);
const config = loadConfig();
const log = (m: string) => console.log(m);
const database = await openDatabase(config);
try {
  switch (command) {
    case 'migrate': {
      const applied = await migrate(database);
      log(applied.length ? `applied: ${applied.join(', ')}` : 'nothing to apply');
      break;
    }
    case 'load-divisions': {
      await migrate(database);
      await ensureDivisions(database);
      log(`villages: ${await loadVillages(database)} rows loaded`);
      break;
    }
    case 'create-admin':
    case 'reset-admin': {
      await migrate(database);
      await ensureDivisions(database);
      const username = command === 'create-admin' ? (args[0] ?? 'admin') : 'admin';
      const password = config.adminPassword ?? generatePassword();
      await setAdmin(database, config.platformRegion, password, !config.adminPassword, username);
      log(`administrator ${username} ready; password: ${config.adminPassword ? '(ADMIN_PASSWORD)' : `${password}  (must be changed at first login)`}`);
      break;
    }
    case 'demo': {
      const { admin } = await prepare(database, config, log);
      if (admin.created) log(`administrator admin created; password: ${config.adminPassword ? '(ADMIN_PASSWORD)' : admin.password}`);
      await runDemo(database, config, log);
      break;
    }
    case 'jobs': {
      await migrate(database);
      log(`ran ${await drain(database.db, config)} jobs`);
      break;
    }
    default:
      console.error('usage: npm run cli -- migrate | load-divisions | create-admin [username] | reset-admin | demo | jobs');
      process.exitCode = 2;
  }
} finally {
  await database.close();
}
