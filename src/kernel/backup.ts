import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, openAsBlob, readdirSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import * as tar from 'tar-stream';
import type { Config } from '../config.js';
import { type Database, type DatabaseKind, connect } from './db/connect.js';
import { migrationFiles } from './db/migrate.js';
import { fileStore } from './files.js';

/**
 * Backup and restore (备份与恢复) of a whole platform: `npm run cli -- backup <file>` / `restore <file> [--force]`.
 *
 * The archive is a plain POSIX tar (ustar; sizes over 8 GB in GNU base-256) holding, in this order:
 *   database.pgdump          PostgreSQL: `pg_dump --format=custom` of the platform database
 *   database.pglite.tar.gz   embedded PGlite: its data directory from `PGlite.dumpDataDir('gzip')`
 *   platform-key.pem         the platform's SM2 key (PLATFORM_KEY_FILE), when present
 *   files/<storage key>      the bytes of every `stored_file` row, read through the configured file store
 *   manifest.json            last: format, version, platform tier/region, migration level, file count and the
 *                            size and SHA-256 of every other entry (a truncated archive has no manifest)
 * Restore reads the whole archive into a staging directory, checks every entry against the manifest, and only then
 * touches the target: the database first (PostgreSQL: the dump replayed by psql in one transaction; PGlite: a new
 * data directory swapped in by rename), then the files, then the key.
 */
export const BACKUP_FORMAT = 'suyuan-backup';
export const BACKUP_VERSION = 1;

export interface BackupEntry {
  path: string;
  size: number;
  sha256: string;
  /** Files only: the stored type, so an S3 store gets it back. */
  mime?: string;
}

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: number;
  appVersion: string;
  createdAt: string;
  database: DatabaseKind;
  /** `SHOW server_version` of the source database. */
  serverVersion: string;
  platform: { tier: string; region: string };
  /** The last applied migration and how many were applied. */
  migration: { level: string; count: number };
  /** `included: false`: made with --without-files (the object store is backed up on its own). */
  files: { included: boolean; count: number; bytes: number; missing: string[] };
  entries: BackupEntry[];
}

/** A refusal or failure with a message meant for the operator (the CLI prints it and exits 1). */
export class BackupError extends Error {}

const DB_ENTRY: Record<DatabaseKind, string> = {
  postgresql: 'database.pgdump',
  pglite: 'database.pglite.tar.gz',
};
const KEY_ENTRY = 'platform-key.pem';
const MANIFEST = 'manifest.json';
const ENTRY_NAME = /^(database\.pgdump|database\.pglite\.tar\.gz|platform-key\.pem|manifest\.json|files\/[a-z0-9/-]+)$/;

type Log = (message: string) => void;

// ── tools ────────────────────────────────────────────────────────────────────
/** The path of a PostgreSQL client program (PATH, then /usr/bin), or a clear refusal. */
export function pgTool(
  name: 'pg_dump' | 'psql' | 'pg_restore',
  dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/bin'],
): string {
  for (const dir of dirs) {
    const p = path.join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new BackupError(
    `${name} not found (looked in PATH and /usr/bin): install the PostgreSQL client programs of the server's major version, e.g. apt-get install postgresql-client-15`,
  );
}

/** libpq environment for a connection URL, so the password never appears in the process list. */
export function libpqEnv(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = {};
  if (u.hostname) env.PGHOST = decodeURIComponent(u.hostname.replace(/^\[|\]$/g, ''));
  if (u.port) env.PGPORT = u.port;
  if (u.username) env.PGUSER = decodeURIComponent(u.username);
  if (u.password) env.PGPASSWORD = decodeURIComponent(u.password);
  env.PGDATABASE = decodeURIComponent(u.pathname.replace(/^\//, '')) || env.PGUSER || 'postgres';
  const host = u.searchParams.get('host');
  if (host) env.PGHOST = host;
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode;
  return env;
}

/** Runs a program; resolves when it exits 0, else rejects with its last stderr lines. */
function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  io: { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...env },
      stdio: [io.stdin ? 'pipe' : 'ignore', io.stdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    if (io.stdin && child.stdin) {
      child.stdin.on('error', () => {}); // the child exiting early is reported by its exit code
      io.stdin.pipe(child.stdin);
    }
    if (io.stdout && child.stdout) child.stdout.pipe(io.stdout, { end: false });
    child.on('error', (err) => reject(new BackupError(`${path.basename(cmd)} could not start: ${err.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new BackupError(`${path.basename(cmd)} failed (exit ${code}): ${stderr.trim().slice(-1500)}`)),
    );
  });
}

async function pgDumpMajor(pgDump: string): Promise<number> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(pgDump, ['--version']);
    let s = '';
    child.stdout.on('data', (d) => {
      s += d;
    });
    child.on('error', reject);
    child.on('close', () => resolve(s));
  });
  const m = /(\d+)(?:\.\d+)?/.exec(out);
  return m ? Number(m[1]) : 0;
}

/**
 * The embedded database allows one process: refuses while a server answers on this platform's port (a second
 * PGlite opening the same directory would corrupt it). PostgreSQL needs no such guard.
 */
export async function assertEmbeddedIdle(config: Config): Promise<void> {
  if (config.databaseUrl) return;
  const answered = await fetch(`http://127.0.0.1:${config.port}/api/health`, { signal: AbortSignal.timeout(1000) })
    .then(() => true)
    .catch(() => false);
  if (answered)
    throw new BackupError(
      `a server is running on port ${config.port} over the embedded database ${config.dataDir}/pglite: stop it first (the embedded database allows one process)`,
    );
}

// ── backup ───────────────────────────────────────────────────────────────────
async function migrationLevel(database: Database): Promise<{ level: string; count: number }> {
  const has = await sql<{ t: string | null }>`SELECT to_regclass('schema_migration')::text AS t`.execute(database.db);
  if (!has.rows[0]?.t) throw new BackupError('nothing to back up: the database has no schema (never started?)');
  const r = await sql<{ level: string | null; count: number }>`
    SELECT max(name) AS level, count(*)::int AS count FROM schema_migration`.execute(database.db);
  return { level: r.rows[0]?.level ?? '', count: r.rows[0]?.count ?? 0 };
}

/**
 * Writes a backup archive of `database` (and the configured file store and platform key) to `out`. The archive is
 * written to `out.partial` and renamed at the end, so a failed run leaves no half archive under the given name.
 */
export async function createBackup(opts: {
  database: Database;
  config: Config;
  out: string;
  /** false: leave the stored files out (an S3 bucket with its own replication or versioning). */
  files?: boolean;
  log?: Log;
}): Promise<BackupManifest> {
  const { database, config } = opts;
  const log = opts.log ?? (() => {});
  const out = path.resolve(opts.out);
  const migration = await migrationLevel(database);
  const serverVersion = (await sql<{ v: string }>`SELECT current_setting('server_version') AS v`.execute(database.db))
    .rows[0].v;
  await mkdir(path.dirname(out), { recursive: true });
  const partial = `${out}.partial`;
  const dumpFile = `${out}.database.tmp`;
  const entries: BackupEntry[] = [];
  try {
    // 1. The database, to a temporary file (a tar header needs the size first).
    if (database.kind === 'postgresql') {
      if (!database.url) throw new BackupError('the PostgreSQL connection has no URL to hand to pg_dump');
      const pgDump = pgTool('pg_dump');
      const major = await pgDumpMajor(pgDump);
      const serverMajor = Number(serverVersion.split('.')[0]);
      if (major < serverMajor)
        throw new BackupError(
          `pg_dump ${major} cannot dump a PostgreSQL ${serverMajor} server: install postgresql-client-${serverMajor}`,
        );
      log(`pg_dump (custom format) of ${libpqEnv(database.url).PGDATABASE} …`);
      await run(pgDump, ['--format=custom', '--file', dumpFile], libpqEnv(database.url));
    } else {
      if (!database.pglite) throw new BackupError('the embedded database handle is missing');
      log('dumping the embedded (PGlite) data directory …');
      const dump = await database.pglite.dumpDataDir('gzip');
      await writeFile(dumpFile, Buffer.from(await dump.arrayBuffer()));
    }

    const pack = tar.pack();
    const sink = createWriteStream(partial);
    pack.pipe(sink);
    const done = once(sink, 'close');
    const addBuffer = (name: string, data: Buffer, mime?: string) =>
      new Promise<void>((resolve, reject) => {
        pack.entry({ name, size: data.length, mode: 0o600 }, data, (err) => (err ? reject(err) : resolve()));
        entries.push({
          path: name,
          size: data.length,
          sha256: createHash('sha256').update(data).digest('hex'),
          ...(mime ? { mime } : {}),
        });
      });

    // 2. The database entry, streamed from its temporary file.
    const dbEntry = DB_ENTRY[database.kind];
    const { size } = await stat(dumpFile);
    const hash = createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      const entry = pack.entry({ name: dbEntry, size, mode: 0o600 }, (err) => (err ? reject(err) : resolve()));
      (async () => {
        for await (const chunk of createReadStream(dumpFile)) {
          hash.update(chunk as Buffer);
          if (!entry.write(chunk as Buffer)) await once(entry, 'drain');
        }
        entry.end(undefined as never);
      })().catch(reject);
    });
    entries.push({ path: dbEntry, size, sha256: hash.digest('hex') });
    await rm(dumpFile, { force: true });

    // 3. The platform key (upward sharing signs with it; the upper platform knows its public half).
    if (existsSync(config.platformKeyFile)) await addBuffer(KEY_ENTRY, await readFile(config.platformKeyFile));

    // 4. Every stored file the database knows, read through the configured store (local directory or S3).
    //    Listed after the dump: a file uploaded meanwhile is carried too (harmless); bytes already gone are listed.
    const store = fileStore(config);
    const withFiles = opts.files !== false;
    const rows = withFiles
      ? await database.db.selectFrom('stored_file').select(['storage_key', 'mime']).orderBy('storage_key').execute()
      : [];
    const missing: string[] = [];
    let bytes = 0;
    for (const row of rows) {
      let data: Buffer;
      try {
        data = await store.get(row.storage_key);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ENOENT' || / 404 /.test(e.message)) {
          missing.push(row.storage_key);
          continue;
        }
        throw err;
      }
      bytes += data.length;
      await addBuffer(`files/${row.storage_key}`, data, row.mime);
    }
    if (missing.length)
      log(`warning: ${missing.length} stored files have no bytes in the store (listed in the manifest)`);

    // 5. The manifest, last.
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      appVersion: config.version,
      createdAt: new Date().toISOString(),
      database: database.kind,
      serverVersion,
      platform: { tier: config.platformTier, region: config.platformRegion },
      migration,
      files: { included: withFiles, count: rows.length - missing.length, bytes, missing },
      entries: [...entries],
    };
    await new Promise<void>((resolve, reject) =>
      pack.entry({ name: MANIFEST, mode: 0o600 }, `${JSON.stringify(manifest, null, 2)}\n`, (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    pack.finalize();
    await done;
    await chmod(partial, 0o600);
    await rename(partial, out);
    log(
      `backup written: ${out} (${database.kind}, migration ${migration.level}, ${manifest.files.count} files, ${(await stat(out)).size} bytes)`,
    );
    return manifest;
  } catch (err) {
    await rm(partial, { force: true });
    await rm(dumpFile, { force: true });
    throw err;
  }
}

// ── reading and verifying an archive ─────────────────────────────────────────
/**
 * Extracts `archive` into `dir`, hashing every entry, and checks it against its manifest. Refuses (BackupError) a
 * damaged tar, an unexpected entry name, a missing or extra entry, a size or SHA-256 mismatch.
 */
export async function readArchive(archive: string, dir: string): Promise<BackupManifest> {
  if (!existsSync(archive)) throw new BackupError(`backup archive not found: ${archive}`);
  const found = new Map<string, { size: number; sha256: string }>();
  const ex = tar.extract();
  const src = createReadStream(archive);
  src.on('error', (err) => ex.destroy(err));
  src.pipe(ex as unknown as NodeJS.WritableStream);
  try {
    for await (const entry of ex) {
      const name = entry.header.name;
      if (entry.header.type !== 'file' || !ENTRY_NAME.test(name) || name.includes('..') || found.has(name))
        throw new BackupError(`not a Suyuan backup: unexpected entry "${name}"`);
      const file = path.join(dir, name);
      await mkdir(path.dirname(file), { recursive: true });
      const hash = createHash('sha256');
      let size = 0;
      const sink = createWriteStream(file, { mode: 0o600 });
      for await (const chunk of entry) {
        hash.update(chunk as Buffer);
        size += (chunk as Buffer).length;
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
      sink.end();
      await once(sink, 'close');
      found.set(name, { size, sha256: hash.digest('hex') });
    }
  } catch (err) {
    if (err instanceof BackupError) throw err;
    throw new BackupError(`the backup archive is damaged or not a tar file: ${(err as Error).message}`);
  }
  if (!found.has(MANIFEST))
    throw new BackupError('the backup archive has no manifest.json (truncated or not a Suyuan backup)');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), 'utf8'));
  } catch {
    throw new BackupError('the backup manifest is not valid JSON (damaged archive)');
  }
  if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.entries))
    throw new BackupError('not a Suyuan backup: manifest.json has another format');
  if (manifest.version > BACKUP_VERSION)
    throw new BackupError(
      `backup format version ${manifest.version} is newer than this program reads (${BACKUP_VERSION})`,
    );
  for (const e of manifest.entries) {
    const got = found.get(e.path);
    if (!got) throw new BackupError(`the backup archive lacks ${e.path} (damaged archive)`);
    if (got.size !== e.size || got.sha256 !== e.sha256)
      throw new BackupError(
        `checksum mismatch for ${e.path}: the archive is damaged (SHA-256 ${got.sha256} ≠ ${e.sha256})`,
      );
  }
  if (found.size !== manifest.entries.length + 1)
    throw new BackupError('the backup archive holds entries its manifest does not list');
  const files = manifest.entries.filter((e) => e.path.startsWith('files/')).length;
  if (files !== manifest.files.count)
    throw new BackupError(`the manifest counts ${manifest.files.count} files but the archive holds ${files}`);
  if (!manifest.entries.some((e) => e.path === DB_ENTRY[manifest.database]))
    throw new BackupError(`the backup archive lacks its database (${DB_ENTRY[manifest.database]})`);
  return manifest;
}

// ── restore ──────────────────────────────────────────────────────────────────
/** What is already in the restore target (database, local file store, platform key): an empty list means empty. */
export async function targetContents(config: Config): Promise<string[]> {
  const found: string[] = [];
  if (config.databaseUrl) {
    const database = await connect({ databaseUrl: config.databaseUrl, poolSize: 1 });
    try {
      const r = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_%'
          AND c.relkind IN ('r', 'p', 'v', 'm', 'S')`.execute(database.db);
      if (r.rows[0].n > 0) found.push(`the database has ${r.rows[0].n} tables, views or sequences`);
    } finally {
      await database.close();
    }
  } else {
    const dir = path.join(config.dataDir, 'pglite');
    if (existsSync(dir) && readdirSync(dir).length > 0) found.push(`the embedded database ${dir} exists`);
  }
  const store = fileStore(config);
  if (store.kind === 'local') {
    const root = path.join(config.dataDir, 'files');
    if (existsSync(root) && readdirSync(root).length > 0) found.push(`the file store ${root} is not empty`);
  }
  if (existsSync(config.platformKeyFile)) found.push(`the platform key ${config.platformKeyFile} exists`);
  return found;
}

/**
 * Restores `archive` into the configured target (DATABASE_URL or DATA_DIR/pglite, the file store, the platform
 * key). Refuses a non-empty target, or another platform's archive, unless `force`.
 */
export async function restoreBackup(opts: {
  config: Config;
  archive: string;
  force?: boolean;
  log?: Log;
}): Promise<BackupManifest> {
  const { config } = opts;
  const log = opts.log ?? (() => {});
  const kind: DatabaseKind = config.databaseUrl ? 'postgresql' : 'pglite';
  if (kind === 'postgresql') {
    pgTool('pg_restore');
    pgTool('psql');
  }
  const existing = await targetContents(config);
  if (existing.length && !opts.force)
    throw new BackupError(`the restore target is not empty (${existing.join('; ')}): pass --force to replace it`);

  await mkdir(config.dataDir, { recursive: true });
  const staging = path.join(config.dataDir, `.restore-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    log(`reading and verifying ${opts.archive} …`);
    const manifest = await readArchive(path.resolve(opts.archive), staging);
    if (manifest.database !== kind)
      throw new BackupError(
        manifest.database === 'pglite'
          ? 'this archive holds an embedded (PGlite) database: restore it with DATABASE_URL unset'
          : 'this archive holds a PostgreSQL database: restore it with DATABASE_URL set to an empty database',
      );
    const known = migrationFiles();
    if (manifest.migration.level && !known.includes(manifest.migration.level))
      throw new BackupError(
        `the archive's migration level ${manifest.migration.level} is unknown to this version (${config.version}): restore it with the version that made it (${manifest.appVersion}) or newer`,
      );
    const { tier, region } = manifest.platform;
    if ((tier !== config.platformTier || region !== config.platformRegion) && !opts.force)
      throw new BackupError(
        `the archive is of platform ${tier}/${region || '(whole country)'} but this one is configured as ${config.platformTier}/${config.platformRegion || '(whole country)'} (PLATFORM_TIER, PLATFORM_REGION): set them to match, or pass --force`,
      );

    // 1. The database.
    const dbFile = path.join(staging, DB_ENTRY[kind]);
    if (kind === 'postgresql') await restorePostgres(config.databaseUrl as string, dbFile, existing.length > 0, log);
    else await restorePglite(config.dataDir, dbFile, manifest, log);

    // 2. The files, through the configured store (a forced restore over a local store starts from an empty one).
    const store = fileStore(config);
    if (store.kind === 'local' && opts.force)
      await rm(path.join(config.dataDir, 'files'), { recursive: true, force: true });
    for (const e of manifest.entries) {
      if (!e.path.startsWith('files/')) continue;
      await store.put(
        e.path.slice('files/'.length),
        await readFile(path.join(staging, e.path)),
        e.mime ?? 'application/octet-stream',
      );
    }

    // 3. The platform key.
    if (manifest.entries.some((e) => e.path === KEY_ENTRY)) {
      await mkdir(path.dirname(config.platformKeyFile), { recursive: true });
      await writeFile(config.platformKeyFile, await readFile(path.join(staging, KEY_ENTRY)), { mode: 0o600 });
    }
    const pending = known.filter((f) => f > manifest.migration.level).length;
    log(
      `restored ${kind} database (migration ${manifest.migration.level}${pending ? `; ${pending} newer migrations are applied at the next start` : ''}), ${manifest.files.count} files${manifest.files.missing.length ? ` (${manifest.files.missing.length} were already missing at backup time)` : ''}`,
    );
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Replays a custom-format dump into PostgreSQL in one transaction: `pg_restore --file=-` writes the SQL and psql runs
 * it between BEGIN and a COMMIT that is sent only when pg_restore succeeded, stopping at the first error; so a failed
 * restore leaves the database as it was. A forced restore drops the `public` schema first, in the same transaction.
 */
async function restorePostgres(url: string, dumpFile: string, replace: boolean, log: Log) {
  const script = new PassThrough();
  script.write('BEGIN;\n');
  if (replace) script.write('DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n');
  log(`pg_restore into ${libpqEnv(url).PGDATABASE} (one transaction) …`);
  const psql = run(pgTool('psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1'], libpqEnv(url), { stdin: script });
  const restore = run(
    pgTool('pg_restore'),
    ['--no-owner', '--no-privileges', '--file=-', dumpFile],
    {},
    { stdout: script },
  );
  try {
    await restore;
    script.end('COMMIT;\n');
  } catch (err) {
    script.end(); // psql sees the end of input inside the transaction and rolls it back
    await psql.catch(() => {});
    throw err;
  }
  await psql;
}

/** Loads the dumped data directory into a new PGlite directory, checks it, and swaps it in by rename. */
async function restorePglite(dataDir: string, dumpFile: string, manifest: BackupManifest, log: Log) {
  const target = path.join(dataDir, 'pglite');
  const fresh = `${target}.restoring-${process.pid}`;
  await rm(fresh, { recursive: true, force: true });
  log(`loading the embedded database into ${fresh} …`);
  const lite = await PGlite.create({ dataDir: fresh, loadDataDir: await openAsBlob(dumpFile) });
  try {
    const r = await lite.query<{ level: string }>('SELECT max(name) AS level FROM schema_migration');
    if (r.rows[0]?.level !== manifest.migration.level)
      throw new BackupError(
        `the restored embedded database is at ${r.rows[0]?.level}, not ${manifest.migration.level}`,
      );
  } finally {
    await lite.close();
  }
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) await rename(target, old);
  await rename(fresh, target);
  await rm(old, { recursive: true, force: true });
}
