import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { type Config, loadConfig } from '../src/config.js';
import { BackupError, createBackup, pgTool, restoreBackup, targetContents } from '../src/kernel/backup.js';
import { type Database, connect } from '../src/kernel/db/connect.js';
import { platformIdentity } from '../src/modules/sharing/identity.js';
import { withDatabase } from './global-setup.js';
import { ADMIN_PASSWORD, type TestApp, multipartFile, testApp } from './helpers.js';

// Issue 19 item 8: `npm run cli -- backup` / `restore` on the database the run uses (PGlite, or PostgreSQL with
// TEST_DATABASE_URL): records, audit rows, an uploaded file and the platform key survive a round trip into a fresh
// target; a non-empty target and a damaged archive are refused.
const PG_URL = process.env.TEST_DATABASE_URL;
const ENV = { LOG_LEVEL: 'silent', LOAD_VILLAGES: 'false' };
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2000)]);

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'suyuan-backup-'));
  dirs.push(d);
  return d;
};
const dbs: string[] = [];
let admin: pg.Client | undefined;

/** An empty restore target: a new data directory and, on PostgreSQL, a new empty database. */
async function emptyTarget(): Promise<Config> {
  const env: Record<string, string> = { ...ENV, DATA_DIR: tmp() };
  if (PG_URL) {
    const name = `suyuan_r_${process.pid}_${randomBytes(3).toString('hex')}`;
    await admin?.query(`CREATE DATABASE ${name}`);
    dbs.push(name);
    env.DATABASE_URL = withDatabase(PG_URL, name);
  }
  return loadConfig(env);
}

function open(config: Config): Promise<Database> {
  return connect(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: `${config.dataDir}/pglite` });
}

let t: TestApp;
let source: Config;
let archive: string;
let orgId: string;
let fileId: string;
let auditRows: unknown[];
const auditOf = async (database: Database) =>
  (
    await database.db
      .selectFrom('audit_log')
      .select(['id', 'verb', 'target_type', 'target_id', 'actor_id'])
      .orderBy('id')
      .execute()
  ).map((r) => ({ ...r, id: Number(r.id) }));

beforeAll(async () => {
  if (PG_URL) {
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
  }
  const dataDir = tmp();
  t = await testApp({ DATA_DIR: dataDir });
  source = loadConfig({ ...ENV, DATA_DIR: dataDir });
  platformIdentity(source); // the SM2 key file the archive must carry
  const token = await t.login('admin');
  const org = await t.req(token, {
    method: 'POST',
    url: '/api/v1/organisations',
    payload: { name: '备份测试监管站', kind: 'supervision', divisionCode: '440117' },
  });
  expect(org.statusCode, org.body).toBe(201);
  orgId = org.json().id;
  const up = await t.req(token, {
    method: 'POST',
    url: '/api/v1/files?purpose=image',
    ...multipartFile('photo.png', PNG, 'image/png'),
  });
  expect(up.statusCode, up.body).toBe(201);
  fileId = up.json().id;
  auditRows = await auditOf(t.database);
  expect(auditRows.some((r) => (r as { target_id: string }).target_id === orgId)).toBe(true);
  archive = path.join(tmp(), 'platform.backup.tar');
  const manifest = await createBackup({ database: t.database, config: source, out: archive });
  expect(manifest.database).toBe(PG_URL ? 'postgresql' : 'pglite');
  expect(manifest.files.count).toBeGreaterThanOrEqual(1);
  expect(manifest.entries.map((e) => e.path)).toContain('platform-key.pem');
});

afterAll(async () => {
  await t?.close();
  for (const name of dbs) await admin?.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin?.end();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('names the missing PostgreSQL client program and how to install it', () => {
    expect(() => pgTool('pg_dump', ['/nonexistent'])).toThrow(/pg_dump not found.*apt-get install postgresql-client/);
  });

  it('restores records, audit rows, an uploaded file and the platform key into a fresh target', async () => {
    const target = await emptyTarget();
    const manifest = await restoreBackup({ config: target, archive });
    expect(manifest.platform).toEqual({ tier: 'national', region: '' });
    expect(readFileSync(target.platformKeyFile, 'utf8')).toBe(readFileSync(source.platformKeyFile, 'utf8'));

    const database = await open(target);
    const app = await buildApp({ config: target, database, logger: false });
    try {
      await app.ready();
      expect(await auditOf(database)).toEqual(auditRows);
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
      });
      expect(login.statusCode, login.body).toBe(200);
      const headers = { authorization: `Bearer ${login.json().token}` };
      const org = await app.inject({ method: 'GET', url: `/api/v1/organisations/${orgId}`, headers });
      expect(org.statusCode, org.body).toBe(200);
      expect(org.json().name).toBe('备份测试监管站');
      const file = await app.inject({ method: 'GET', url: `/api/v1/files/${fileId}`, headers });
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(PNG)).toBe(true);
    } finally {
      await app.close();
    }

    // Restoring again over it is refused without --force, and replaces it with --force.
    await expect(restoreBackup({ config: target, archive })).rejects.toThrow(/not empty.*--force/);
    await restoreBackup({ config: target, archive, force: true });
    const again = await open(target);
    try {
      expect(await auditOf(again)).toEqual(auditRows);
    } finally {
      await again.close();
    }
  });

  it('refuses a damaged or truncated archive and leaves the target empty', async () => {
    const size = readFileSync(archive).length;
    const damaged = path.join(tmp(), 'damaged.tar');
    copyFileSync(archive, damaged);
    const bytes = readFileSync(damaged);
    bytes[512 + Math.floor((size - 2048) / 2)] ^= 0xff; // inside the database entry
    writeFileSync(damaged, bytes);
    const target = await emptyTarget();
    const err = await restoreBackup({ config: target, archive: damaged }).catch((e) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect(err.message).toMatch(/checksum mismatch for database\.(pgdump|pglite\.tar\.gz)/);

    const truncated = path.join(tmp(), 'truncated.tar');
    writeFileSync(truncated, readFileSync(archive).subarray(0, Math.floor(size / 2)));
    await expect(restoreBackup({ config: target, archive: truncated })).rejects.toThrow(/damaged|no manifest\.json/);
    // Another platform's archive is refused before anything is written.
    const county = loadConfig({
      ...ENV,
      DATA_DIR: target.dataDir,
      PLATFORM_TIER: 'county',
      PLATFORM_REGION: '440117',
      ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
    });
    await expect(restoreBackup({ config: county, archive })).rejects.toThrow(/platform national.*PLATFORM_TIER/);
    // Nothing was written: the target is still empty.
    expect(await targetContents(target)).toEqual([]);
  });
});
