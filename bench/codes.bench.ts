/**
 * Trace-code figures (issue 4), in process on an in-memory PGlite (or PostgreSQL when BENCH_DATABASE_URL is set):
 * - reserving 1,000,000 codes through the API (POST /codes/reservations → background job, set-based
 *   generate_series INSERTs in 100,000-code chunks) as codes per second, and as a ratio of a bare batched INSERT
 *   of the same 1,000,000 rows (multi-row VALUES of 5,000 rows, sent by the client) into an identical table, in the
 *   same run (goal ≥ 0.5);
 * - production-line single-code requests per second (POST /codes/issue, count 1, with an API token, sequential,
 *   through Fastify's inject: no network);
 * - label PDF pages per second (40×30 mm roll labels with a unique code each, and A4 sheets of 21).
 */
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { hashPassword } from '../src/kernel/auth/crypto.js';
import { connect } from '../src/kernel/db/connect.js';
import { drain } from '../src/kernel/jobs.js';
import { prepare } from '../src/platform.js';

export default async function codes() {
  const database = await connect({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir: 'memory://' });
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    LOAD_VILLAGES: 'false',
    PUBLIC_BASE_URL: 'https://trace.example.cn',
    PLATFORM_REGION: '44',
    PLATFORM_TIER: 'province',
  });
  await prepare(database, config, () => {});
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const db = database.db;
  const org = await db
    .insertInto('organisation')
    .values({
      name: '压测合作社',
      kind: 'producer',
      division_code: '440117103',
      contact_name: null,
      contact_phone: null,
      address: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const cert = `BENCH${Date.now()}`;
  await db
    .insertInto('subject')
    .values({
      org_id: org.id,
      name: '压测合作社',
      org_form: 'cooperative',
      subject_type: 'production',
      industries: ['planting'],
      cert_type: 'credit_code',
      cert_no: cert,
      dedup_key: `C${cert}`,
      legal_person_name: '甲',
      legal_person_id_no: null,
      legal_person_phone: null,
      contact_name: '甲',
      contact_phone: '13800000000',
      contact_email: null,
      address: '温泉镇',
      division_code: '440117103',
      longitude: null,
      latitude: null,
      status: 'approved',
      identity_code: null,
      approved_at: new Date(),
      source_ref: null,
      created_by: null,
    })
    .execute();
  const username = `bench${Date.now()}`;
  await db
    .insertInto('account')
    .values({
      username,
      display_name: '压测',
      phone: null,
      org_id: org.id,
      roles: ['producer_admin'],
      password_hash: await hashPassword('Bench12345'),
      must_change_password: false,
      created_by: null,
    })
    .execute();
  const inj = async (token: string | null, method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      payload,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };
  const session = (await inj(null, 'POST', '/auth/login', { username, password: 'Bench12345' })).json().token as string;
  const productId = (await inj(session, 'POST', '/products', { name: '豇豆', industry: 'planting' })).json().id;
  const baseId = (await inj(session, 'POST', '/bases', { name: '一号基地', divisionCode: '440117103' })).json().id;
  const batchId = (
    await inj(session, 'POST', '/batches', { productId, baseId, quantity: 1000, producedAt: new Date().toISOString() })
  ).json().id;
  const line = (await inj(session, 'POST', '/auth/tokens', { name: '包装线', verbs: ['code.issue'] })).json()
    .token as string;

  // 1. bare floor: the same 1,000,000 rows, client-batched multi-row INSERTs into an identical table: the same
  //    columns, keys and indexes, hash-partitioned on serial into 16 like trace_code (migration 202612100101), without
  //    the public resolver's notification triggers.
  const N = 1_000_000;
  await sql`CREATE TABLE trace_code_floor (LIKE trace_code INCLUDING ALL) PARTITION BY HASH (serial)`.execute(db);
  for (let r = 0; r < 16; r++)
    await sql
      .raw(
        `CREATE TABLE trace_code_floor_h${r} PARTITION OF trace_code_floor FOR VALUES WITH (MODULUS 16, REMAINDER ${r})`,
      )
      .execute(db);
  const subject = (await db.selectFrom('subject').select('id').where('org_id', '=', org.id).executeTakeFirstOrThrow())
    .id;
  const reservation = '00000000-0000-4000-8000-000000000001';
  let t0 = performance.now();
  const B = 5000;
  for (let i = 0; i < N; i += B) {
    const rows = Array.from({ length: Math.min(B, N - i) }, (_, k) => ({
      kind: 1,
      serial: 10_000_000 + i + k,
      status: 'I',
      subject_id: subject,
      batch_id: null,
      reservation_id: reservation,
    }));
    await db
      .insertInto('trace_code_floor' as 'trace_code')
      .values(rows as never)
      .execute();
  }
  const floorS = (performance.now() - t0) / 1000;

  // 2. the API path: reserve → background job → ready.
  t0 = performance.now();
  const res = await inj(session, 'POST', '/codes/reservations', { count: N, printer: '压测印务' });
  await drain(db, config);
  const r = (await inj(session, 'GET', `/codes/reservations/${res.json().id}`)).json();
  if (r.status !== 'ready') throw new Error('reservation not ready');
  const reserveS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const file = await app.inject({
    method: 'GET',
    url: `/api/v1/codes/reservations/${r.id}/file`,
    headers: { authorization: `Bearer ${session}` },
  });
  const fileS = (performance.now() - t0) / 1000;
  const fileRows = file.body.split('\n').length - 2;

  // 3. production line, single codes.
  const M = 1000;
  t0 = performance.now();
  for (let i = 0; i < M; i++) await inj(line, 'POST', '/codes/issue', { batchId });
  const lineS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  for (let i = 0; i < 20; i++) await inj(line, 'POST', '/codes/issue', { batchId, count: 1000 });
  const blockS = (performance.now() - t0) / 1000;

  // 4. label PDFs.
  t0 = performance.now();
  const roll = await inj(session, 'POST', `/batches/${batchId}/labels`, { size: '40x30', copies: 1000, unique: true });
  const rollS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  await inj(session, 'POST', `/batches/${batchId}/labels`, { size: 'a4', copies: 2000, unique: true });
  const a4S = (performance.now() - t0) / 1000;

  await app.close();
  return {
    database: database.kind,
    'bare batched INSERT, 1,000,000 rows (rows/s)': N / floorS,
    'reserveCodes 1,000,000 via API + job (codes/s)': N / reserveS,
    'ratio reserve / bare INSERT (goal ≥ 0.5)': floorS / reserveS,
    'printer CSV file, 1,000,000 rows (rows/s)': fileRows / fileS,
    'issueTraceCodes single code (req/s, in-process)': M / lineS,
    'issueTraceCodes blocks of 1,000 (codes/s)': 20_000 / blockS,
    'label PDF 40×30, unique codes (pages/s)': 1000 / rollS,
    'label PDF 40×30 size (KiB per page)': roll.rawPayload.length / 1024 / 1000,
    'label PDF A4 3×7, unique codes (pages/s)': Math.ceil(2000 / 21) / a4S,
    'label PDF A4 (labels/s)': 2000 / a4S,
  };
}
