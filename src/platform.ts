import cluster from 'node:cluster';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp } from './app.js';
import { lanAddresses, startBanner } from './banner.js';
import type { Config } from './config.js';
import { type Database, connect } from './kernel/db/connect.js';
import { migrate } from './kernel/db/migrate.js';
import { startWorker } from './kernel/jobs.js';
import { ensureAdmin } from './modules/accounts/bootstrap.js';
import { ensureDivisions, loadVillages } from './modules/regions/loader.js';
import { startPrebuild } from './modules/public/prebuild.js';
import { platformIdentity } from './modules/sharing/identity.js';
import { startSharing } from './modules/sharing/worker.js';
import { runDemo } from './demo.js';

/**
 * Opens the configured database: PostgreSQL when DATABASE_URL is set (with its read replica when DATABASE_READ_URL
 * is), else PGlite in DATA_DIR/pglite.
 */
export function openDatabase(config: Config): Promise<Database> {
  return connect({
    databaseUrl: config.databaseUrl,
    dataDir: `${config.dataDir}/pglite`,
    readUrl: config.databaseReadUrl,
    maxReadLagMs: config.readReplicaMaxLagMs,
  });
}

/** Database ready to serve: migrated, divisions down to townships, an administrator. */
export async function prepare(database: Database, config: Config, log: (msg: string) => void) {
  const applied = await migrate(database);
  if (applied.length) log(`applied migrations: ${applied.join(', ')}`);
  await ensureDivisions(database);
  const admin = await ensureAdmin(database, { region: config.platformRegion, password: config.adminPassword });
  return { admin };
}

/**
 * The database handle of the upward-sharing delivery loop: below national on PostgreSQL, a pool of its own (two
 * connections), since under a burst of writes the app's pool is held by transactions queueing on the outbox
 * sequence and the loop would wait behind them; on PGlite (one connection anyway) the app's handle.
 */
export async function deliveryDatabase(database: Database, config: Config): Promise<Database> {
  if (!config.databaseUrl || config.platformTier === 'national' || !config.upperPlatformUrl) return database;
  return connect({ databaseUrl: config.databaseUrl, poolSize: 2 });
}

/**
 * The background duties that run once per platform, in one process: the job loop with its recurring schedules, the
 * upward-sharing delivery loop (this platform's SM2 key is created on first start) and the village load. Returns the
 * function that stops them (before the database closes).
 */
async function startBackground(
  database: Database,
  config: Config,
  log: FastifyBaseLogger,
): Promise<() => Promise<void>> {
  const stopWorker = startWorker(database.db, config, log);
  platformIdentity(config);
  // On PostgreSQL the loop has its own two connections, so requests holding the app's pool cannot starve delivery.
  const delivery = await deliveryDatabase(database, config);
  const stopSharing = startSharing(delivery.db, config, log);
  const stopPrebuild = startPrebuild(database.db, config.publicTrace.prebuildMs, log);
  if (config.loadVillages) {
    loadVillages(database)
      .then((n) => n && log.info({ rows: n }, 'villages loaded'))
      .catch((err) => log.error({ err }, 'village load failed; retried on next start'));
  }
  return async () => {
    await stopWorker();
    await stopSharing();
    await stopPrebuild();
    if (delivery !== database) await delivery.close();
  };
}

/** Every start, outside the JSON log: the address, the new administrator's password (first start only), phone hint. */
function printBanner(config: Config, admin: Awaited<ReturnType<typeof prepare>>['admin']) {
  process.stdout.write(
    startBanner(
      config,
      { created: admin.created, password: admin.password, fromEnv: !!config.adminPassword },
      lanAddresses(),
    ),
  );
}

/** Starts the platform in one process: prepare the database, the background duties, listen. */
export async function startPlatform(config: Config): Promise<FastifyInstance> {
  const database = await openDatabase(config);
  const app = await buildApp({ config, database });
  const { admin } = await prepare(database, config, (m) => app.log.info(m));
  if (process.env.DEMO === 'true') await runDemo(database, config, (m) => app.log.info(m));
  // preClose runs before the onClose hook that closes the database.
  app.addHook('preClose', await startBackground(database, config, app.log));
  await app.listen({ port: config.port, host: config.host });
  printBanner(config, admin);
  return app;
}

/**
 * WORKERS > 1 (PostgreSQL): the primary process prepares the database, runs the background duties and forks the
 * HTTP workers, which share the port (node:cluster hands out connections) and are restarted if one dies. Per-client
 * limits agree across them through Redis (REDIS_URL); caches are validated against the database on every read.
 */
export async function startPrimary(
  config: Config,
): Promise<{ log: FastifyBaseLogger; stop(): Promise<void>; ready: Promise<void> }> {
  const log = pino({ level: config.logLevel });
  // The primary process serves no requests: its reads (jobs, sharing) stay on the primary, no replica pool.
  const database = await openDatabase({ ...config, databaseReadUrl: undefined });
  const { admin } = await prepare(database, config, (m) => log.info(m));
  if (process.env.DEMO === 'true') await runDemo(database, config, (m) => log.info(m));
  const stopBackground = await startBackground(database, config, log);
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.error({ pid: worker.process.pid, code, signal }, 'HTTP worker died; starting another');
    cluster.fork();
  });
  // Every worker listening (the first may answer well before the last; one that dies first is replaced and its
  // replacement counts): then the banner. A signal may come earlier, so `stop` is handed out before `ready`.
  const ready = new Promise<void>((resolve) => {
    let listening = 0;
    cluster.on('listening', () => {
      if (++listening === config.workers) resolve();
    });
  }).then(() => {
    log.info({ workers: config.workers }, 'HTTP workers listening');
    printBanner(config, admin);
  });
  for (let i = 0; i < config.workers; i++) cluster.fork();
  return {
    log,
    ready,
    async stop() {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              w.once('exit', () => resolve());
              w.process.kill('SIGTERM');
            }),
        ),
      );
      await stopBackground();
      await database.close();
    },
  };
}

/** One HTTP worker of the cluster: the database is already prepared by the primary; it only serves requests. */
export async function startHttpWorker(config: Config): Promise<FastifyInstance> {
  const database = await openDatabase(config);
  const app = await buildApp({ config, database });
  await app.listen({ port: config.port, host: config.host });
  return app;
}
