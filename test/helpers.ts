import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type Database, connect } from '../src/kernel/db/connect.js';
import { drain } from '../src/kernel/jobs.js';
import { setAdmin } from '../src/modules/accounts/bootstrap.js';
import { withDatabase } from './global-setup.js';

export const ADMIN_PASSWORD = 'Admin12345';

/** A fresh database copied from the run's migrated template (PGlite by default, PostgreSQL with TEST_DATABASE_URL). */
export async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  const url = process.env.TEST_DATABASE_URL;
  const tpl = inject('pgTemplate');
  if (url && tpl) {
    const name = `suyuan_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl}`);
    const database = await connect({ databaseUrl: withDatabase(url, name), poolSize: 10 });
    return {
      database,
      drop: async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const file = inject('pgliteTemplate');
  if (!file) throw new Error('global setup did not provide a template');
  const lite = await PGlite.create({ loadDataDir: new Blob([readFileSync(file)]) });
  const database = await connect({ pglite: lite });
  return { database, drop: async () => {} };
}

/**
 * Makes `dir` a platform data directory (DATA_DIR) whose embedded database is a copy of the run's migrated template,
 * for a test that starts platform processes (test/server.ts) without each migrating its own database.
 */
export async function templateDataDir(dir: string): Promise<void> {
  const file = inject('pgliteTemplate');
  if (!file) throw new Error('global setup did not provide a template');
  mkdirSync(path.join(dir, 'pglite'), { recursive: true });
  const lite = await PGlite.create({ dataDir: path.join(dir, 'pglite'), loadDataDir: new Blob([readFileSync(file)]) });
  await lite.close();
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  /** Logs in and returns the bearer token. */
  login(username: string, password?: string): Promise<string>;
  /** `app.inject` with a bearer token. */
  req(token: string | null, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** A built app on a fresh database with the national administrator `admin` / ADMIN_PASSWORD. */
export async function testApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { database, drop } = await freshDatabase();
  await setAdmin(database, env.PLATFORM_REGION ?? '', ADMIN_PASSWORD, false);
  // Stored files (uploads) go to a throw-away directory, never to the working tree's ./data.
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'suyuan-test-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', LOAD_VILLAGES: 'false', DATA_DIR: dataDir, ...env });
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const req: TestApp['req'] = (token, opts) =>
    app.inject({
      ...opts,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.headers ?? {}) },
    });
  return {
    app,
    database,
    req,
    async login(username, password = ADMIN_PASSWORD) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    async close() {
      await app.close();
      await drop();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Creates an organisation and an account in it as `token`, then logs the account in and changes its password
 * (so it is usable at once). Returns the account's token and ids.
 */
export async function makeUser(
  t: TestApp,
  token: string,
  opts: { username: string; orgName: string; kind?: string; divisionCode: string; roles: string[]; orgId?: string },
): Promise<{ token: string; orgId: string; userId: string; password: string }> {
  let orgId = opts.orgId;
  if (!orgId) {
    const org = await t.req(token, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: opts.orgName, kind: opts.kind ?? 'supervision', divisionCode: opts.divisionCode },
    });
    if (org.statusCode !== 201) throw new Error(`create org: ${org.body}`);
    orgId = org.json().id as string;
  }
  const initial = 'Initial123';
  const user = await t.req(token, {
    method: 'POST',
    url: '/api/v1/users',
    payload: { username: opts.username, displayName: opts.username, orgId, roles: opts.roles, password: initial },
  });
  if (user.statusCode !== 201) throw new Error(`create user: ${user.body}`);
  const first = await t.login(opts.username, initial);
  const password = 'Changed123';
  const ch = await t.req(first, {
    method: 'POST',
    url: '/api/v1/auth/password',
    payload: { currentPassword: initial, newPassword: password },
  });
  if (ch.statusCode !== 204) throw new Error(`change password: ${ch.body}`);
  return { token: first, orgId, userId: user.json().user.id, password };
}

/**
 * An approved producer (生产经营主体) with its organisation, subject row and one account holding `roles`, written
 * straight to the database (the registration flow itself is tested in test/subjects.test.ts). Returns a token.
 */
export async function makeProducer(
  t: TestApp,
  opts: { username: string; name: string; divisionCode: string; roles?: string[]; certNo?: string; status?: string },
): Promise<{ token: string; orgId: string; userId: string; subjectId: string }> {
  const { hashPassword } = await import('../src/kernel/auth/crypto.js');
  const db = t.database.db;
  const org = await db
    .insertInto('organisation')
    .values({
      name: opts.name,
      kind: 'producer',
      division_code: opts.divisionCode,
      contact_name: null,
      contact_phone: null,
      address: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const certNo = opts.certNo ?? `TEST${Math.random().toString(36).slice(2, 16).toUpperCase()}`;
  const subject = await db
    .insertInto('subject')
    .values({
      org_id: org.id,
      name: opts.name,
      org_form: 'cooperative',
      subject_type: 'production',
      industries: ['planting'],
      cert_type: 'credit_code',
      cert_no: certNo,
      dedup_key: `C${certNo}`,
      legal_person_name: '测试',
      legal_person_id_no: null,
      legal_person_phone: null,
      contact_name: '测试',
      contact_phone: '13800000000',
      contact_email: null,
      address: '测试地址',
      division_code: opts.divisionCode,
      longitude: null,
      latitude: null,
      status: (opts.status ?? 'approved') as 'approved',
      identity_code: null,
      approved_at: new Date(),
      source_ref: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const password = 'Changed123';
  const acc = await db
    .insertInto('account')
    .values({
      username: opts.username,
      display_name: opts.name,
      phone: null,
      org_id: org.id,
      roles: opts.roles ?? ['producer_admin'],
      password_hash: await hashPassword(password),
      must_change_password: false,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = await t.login(opts.username, password);
  return { token, orgId: org.id, userId: acc.id, subjectId: subject.id };
}

/** A `multipart/form-data` body with one file part named `file` (the upload style of uploadFile and every import). */
export function multipartFile(name: string, data: Buffer, mime: string) {
  const boundary = `----suyuan${Math.random().toString(16).slice(2)}`;
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/**
 * Proof files (证明材料) a registration needs (seed 001 第八条): the licence for a credit code, both ID-card sides for an
 * ID number. Written straight to stored_file as anonymous uploads (the upload route itself is tested elsewhere and
 * is rate-limited per address).
 */
export async function proofFiles(t: TestApp, certType: string): Promise<{ fileId: string; kind: string }[]> {
  const kinds = certType === 'id_card' ? ['id_front', 'id_back'] : ['licence'];
  const out: { fileId: string; kind: string }[] = [];
  for (const kind of kinds) {
    const row = await t.database.db
      .insertInto('stored_file')
      .values({
        storage_key: `test/${kind}-${Math.random().toString(36).slice(2)}`,
        name: `${kind}.jpg`,
        mime: 'image/jpeg',
        size: 1,
        sha256: '0'.repeat(64),
        owner_type: null,
        owner_id: null,
        created_by: null,
        created_ip: '127.0.0.1',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    out.push({ fileId: row.id, kind });
  }
  return out;
}

/**
 * A trace or graph answer (issue 19: owner, product and division names sent once, in dictionaries) with each lot's
 * `subjectName`, `productName` and `divisionName` put back in place, as the web's trace page reads it.
 */
// biome-ignore lint/suspicious/noExplicitAny: test answers are read loosely
export function expandLineage(body: any): any {
  return {
    ...body,
    // biome-ignore lint/suspicious/noExplicitAny: test answers are read loosely
    nodes: body.nodes.map((n: any) => ({
      ...n,
      productName: n.productId === null ? null : (body.products[n.productId] ?? null),
      subjectName: n.subjectId === null ? null : (body.subjects[n.subjectId] ?? null),
      divisionName: body.divisions[n.divisionCode] ?? n.divisionCode,
    })),
  };
}

/**
 * Queues a job of `kind` (no requester, empty payload), runs the queue once and waits until that job is finished
 * (the app's own job loop may have taken it first: PostgreSQL runs two at once). Returns its final row.
 */
export async function runJob(t: TestApp, kind: string) {
  const db = t.database.db;
  const { id } = await db
    .insertInto('job')
    .values({ kind, payload: '{}', total: null, result: null, error: null, created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await drain(db, t.app.config);
  for (let i = 0; ; i++) {
    const job = await db
      .selectFrom('job')
      .select(['status', 'result', 'error'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    if ((job.status !== 'queued' && job.status !== 'running') || i >= 600) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
}
