/**
 * Administrative commands: `npm run cli -- <command> [args]`.
 *   migrate                      apply pending migrations
 *   load-divisions               load the whole division tree now, villages included
 *   create-admin [username]      create (or reset) a platform administrator; password from ADMIN_PASSWORD or generated
 *   reset-admin                  same as create-admin admin: new password, unlocked, active
 *   demo                         fill demo organisations, accounts and data (idempotent)
 *   jobs                         run every due background job now, then exit
 *   backup <file> [--without-files]  write a backup archive: database (pg_dump custom format, or the PGlite data
 *                                directory), stored files, platform key, manifest (src/kernel/backup.ts)
 *   restore <file> [--force]     verify an archive and restore it into DATABASE_URL / DATA_DIR; refuses a non-empty
 *                                target or another platform's archive unless --force (stop the server first)
 */
import { loadConfig } from './config.js';
import { BackupError, assertEmbeddedIdle, createBackup, restoreBackup } from './kernel/backup.js';
import { generatePassword } from './kernel/auth/crypto.js';
import { drain } from './kernel/jobs.js';
import { migrate } from './kernel/db/migrate.js';
import { setAdmin } from './modules/accounts/bootstrap.js';
import { ensureDivisions, loadVillages } from './modules/regions/loader.js';
import { openDatabase, prepare } from './platform.js';
import { runDemo } from './demo.js';
import { installModules } from './kernel/module.js';
import { MODULES } from './modules/index.js';

const [command, ...args] = process.argv.slice(2);
const config = loadConfig();
const log = (m: string) => console.log(m);
installModules(MODULES);
const USAGE =
  'usage: npm run cli -- migrate | load-divisions | create-admin [username] | reset-admin | demo | jobs | backup <file> [--without-files] | restore <file> [--force]';
const file = args.find((a) => !a.startsWith('--'));
if ((command === 'backup' || command === 'restore') && !file) {
  console.error(USAGE);
  process.exit(2);
}
/** Backup refusals are the operator's to read: the message, exit 1, no stack. */
const refused = (err: unknown) => {
  if (!(err instanceof BackupError)) throw err;
  console.error(`${command} refused: ${err.message}`);
  process.exit(1);
};
if (command === 'backup' || command === 'restore') await assertEmbeddedIdle(config).catch(refused);
// Restore opens the target itself: opening it here would create an empty embedded database first.
if (command === 'restore') {
  await restoreBackup({ config, archive: file as string, force: args.includes('--force'), log }).catch(refused);
  process.exit(0);
}
// Administrative commands read and write the primary only (no read-replica pool).
const database = await openDatabase({ ...config, databaseReadUrl: undefined });
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
      log(
        `administrator ${username} ready; password: ${config.adminPassword ? '(ADMIN_PASSWORD)' : `${password}  (must be changed at first login)`}`,
      );
      break;
    }
    case 'demo': {
      const { admin } = await prepare(database, config, log);
      if (admin.created)
        log(`administrator admin created; password: ${config.adminPassword ? '(ADMIN_PASSWORD)' : admin.password}`);
      await runDemo(database, config, log);
      break;
    }
    case 'jobs': {
      await migrate(database);
      log(`ran ${await drain(database.db, config)} jobs`);
      break;
    }
    case 'backup': {
      await createBackup({
        database,
        config,
        out: file as string,
        files: !args.includes('--without-files'),
        log,
      }).catch(refused);
      break;
    }
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
} finally {
  await database.close();
}
