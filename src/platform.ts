import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { type Database, connect } from './kernel/db/connect.js';
import { migrate } from './kernel/db/migrate.js';
import { startWorker } from './kernel/jobs.js';
import { ensureAdmin } from './modules/accounts/bootstrap.js';
import { ensureDivisions, loadVillages } from './modules/regions/loader.js';
import { runDemo } from './demo.js';

/** Opens the configured database: PostgreSQL when DATABASE_URL is set, else PGlite in DATA_DIR/pglite. */
export function openDatabase(config: Config): Promise<Database> {
  return connect({ databaseUrl: config.databaseUrl, dataDir: `${config.dataDir}/pglite` });
}

/** Database ready to serve: migrated, divisions down to townships, an administrator. */
export async function prepare(database: Database, config: Config, log: (msg: string) => void) {
  const applied = await migrate(database);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  await ensureDivisions(database);
  const admin = await ensureAdmin(database, { region: config.platformRegion, password: config.adminPassword });
  return { admin };
}

/** Starts the platform: prepare the database, listen, then load villages in the background. */
export async function startPlatform(config: Config): Promise<FastifyInstance> {
  const database = await openDatabase(config);
  const app = await buildApp({ config, database });
  const { admin } = await prepare(database, config, (m) => app.log.info(m));
  if (process.env.DEMO === 'true') await runDemo(database, config, (m) => app.log.info(m));
  const stopWorker = startWorker(database.db, config, app.log);
  // preClose runs before the onClose hook that closes the database.
  app.addHook('preClose', stopWorker);
  await app.listen({ port: config.port, host: config.host });
  if (admin.created) {
    const shown = config.adminPassword ? '(the value of ADMIN_PASSWORD)' : admin.password;
    // Printed once, on purpose outside the JSON log so that a newcomer sees it.
    process.stdout.write(
      `\n  ┌─ Suyuan 溯源 is running at ${config.publicBaseUrl}\n  │  Log in as: admin   password: ${shown}\n  │  首次启动已创建管理员 admin，密码仅显示这一次。Reset with: npm run cli -- reset-admin\n  └─\n\n`,
    );
  }
  if (config.loadVillages) {
    loadVillages(database)
      .then((n) => n && app.log.info({ rows: n }, 'villages loaded'))
      .catch((err) => app.log.error({ err }, 'village load failed; retried on next start'));
  }
  return app;
}
