/**
 * Supervision figures (issue 8), in process on an in-memory PGlite (or PostgreSQL with BENCH_DATABASE_URL):
 * - a double-random draw through the API (POST /random-draws: pool queries, the seeded draw, 200 task rows, audit)
 *   over 20,000 approved producers and 60 inspectors, as ms per draw and as a ratio to the bare floor in the same
 *   run: the subject-pool SELECT alone (same filter, same order);
 * - the pure draw function (no database) over a 100,000-subject pool, ms;
 * - patrols per second through the API (start + submit with a signature attached, sequential, inject), and the
 *   ratio of one patrol to one bare authenticated GET /api/v1/notifications in the same run;
 * - failed results per second (submitTestResults that open a risk case, credit record and notification).
 */
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { hashPassword } from '../src/kernel/auth/crypto.js';
import { connect } from '../src/kernel/db/connect.js';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { runDraw } from '../src/modules/randomchecks/draw.js';
import { identityCode } from '../src/modules/subjects/identity.js';
import { prepare } from '../src/platform.js';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export default async function supervision() {
  const database = await connect({ databaseUrl: process.env.BENCH_DATABASE_URL, dataDir: 'memory://' });
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    LOAD_VILLAGES: 'false',
    DATA_DIR: `/tmp/suyuan-bench-sup-${process.pid}`,
  });
  await prepare(database, config, () => {});
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const db = database.db;
  const hash = await hashPassword('Bench12345');
  const org = async (name: string, kind: 'supervision' | 'testing', division: string) =>
    (
      await db
        .insertInto('organisation')
        .values({
          name,
          kind,
          division_code: division,
          contact_name: null,
          contact_phone: null,
          address: null,
          created_by: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const county = await org('压测监管站', 'supervision', '440117');
  const lab = await org('压测检测站', 'testing', '440117');
  await db
    .insertInto('account')
    .values([
      {
        username: 'b_sup',
        display_name: '压测监管',
        phone: null,
        org_id: county,
        roles: ['supervisor', 'collector'],
        password_hash: hash,
        must_change_password: false,
        created_by: null,
      },
      {
        username: 'b_lab',
        display_name: '压测检测',
        phone: null,
        org_id: lab,
        roles: ['inspector'],
        password_hash: hash,
        must_change_password: false,
        created_by: null,
      },
    ])
    .execute();
  // 60 more inspectors in the pool, 20,000 approved producers (set-based).
  await sql`INSERT INTO account (username, display_name, org_id, roles, password_hash, must_change_password)
    SELECT 'b_insp' || g, '检查员' || g, ${county}, ARRAY['collector'], ${hash}, false FROM generate_series(1, 60) g`.execute(
    db,
  );
  const N = 20_000;
  await sql`WITH o AS (
      INSERT INTO organisation (name, kind, division_code) SELECT '压测主体' || g, 'producer', '440117103' FROM generate_series(1, ${N}) g RETURNING id, name)
    INSERT INTO subject (org_id, name, org_form, subject_type, industries, cert_type, cert_no, dedup_key, legal_person_name, contact_name, contact_phone, address, division_code, status, approved_at)
    SELECT id, name, 'cooperative', 'production', ARRAY['planting'], 'credit_code', 'B' || name, 'CB' || name, '甲', '甲', '13800000000', '温泉镇', '440117103', 'approved', now() FROM o`.execute(
    db,
  );
  const certNo = makeCreditCode('93440117MA5BENCH1'.replace('I', 'J'));
  const code = identityCode({
    orgForm: 'cooperative',
    certType: 'credit_code',
    certNo,
    personalIdNo: null,
    countyCode: '440117',
    secret: 'x',
  });
  const target = await db.selectFrom('subject').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow();
  await db.updateTable('subject').set({ identity_code: code }).where('id', '=', target.id).execute();

  const inj = async (
    token: string | null,
    method: 'GET' | 'POST',
    url: string,
    payload?: object | Buffer,
    headers: Record<string, string> = {},
  ) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      payload,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res;
  };
  const sup = (await inj(null, 'POST', '/auth/login', { username: 'b_sup', password: 'Bench12345' })).json()
    .token as string;
  const labTok = (await inj(null, 'POST', '/auth/login', { username: 'b_lab', password: 'Bench12345' })).json()
    .token as string;
  const time = async (n: number, fn: (i: number) => Promise<unknown>) => {
    const t = performance.now();
    for (let i = 0; i < n; i++) await fn(i);
    return (performance.now() - t) / n;
  };

  // 1. draws vs the bare pool query
  const floorMs = await time(5, () =>
    db
      .selectFrom('subject')
      .select('id')
      .where('status', 'in', ['approved', 'change_pending'])
      .where('division_code', 'like', '440117%')
      .orderBy('id')
      .execute(),
  );
  const drawMs = await time(5, (i) =>
    inj(sup, 'POST', '/random-draws', {
      title: `压测抽查${i}`,
      taskKind: 'patrol',
      seed: `bench-${i}`,
      subjectCount: 200,
      inspectorsPerSubject: 2,
    }),
  );
  const pool = Array.from({ length: 100_000 }, (_, i) => `s${i}`);
  const inspectors = Array.from({ length: 500 }, (_, i) => `i${i}`);
  const pureMs = await time(5, (i) =>
    Promise.resolve(
      runDraw({
        seed: `p${i}`,
        subjectPool: pool,
        inspectorPool: inspectors,
        subjectCount: 1000,
        inspectorsPerSubject: 2,
      }),
    ),
  );

  // 2. patrols per second vs a bare authenticated read
  const boundary = 'benchboundary';
  const multipart = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.png"\r\nContent-Type: image/png\r\n\r\n`,
    ),
    PNG,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const bareMs = await time(100, () => inj(sup, 'GET', '/notifications?limit=1'));
  // /files is rate-limited to 60 uploads a minute per address (files module): stay under it.
  const P = 40;
  const patrolMs = await time(P, async () => {
    const p = (await inj(sup, 'POST', '/patrols', { identityCode: code, target: 'base' })).json();
    const sig = (
      await inj(sup, 'POST', '/files?purpose=image', multipart, {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      })
    ).json().id;
    await inj(sup, 'POST', `/patrols/${p.id}/submit`, {
      result: 'rectify',
      findings: '压测',
      rectifyDeadline: '2099-01-01',
      checklist: p.templateItems.map((x: { code: string }) => ({ code: x.code, ok: x.code !== 'storage' })),
      signatureFileId: sig,
      signerName: '甲',
    });
  });

  // 3. failed results (risk chain)
  const today = new Date().toISOString().slice(0, 10);
  const task = (
    await inj(sup, 'POST', '/monitoring-tasks', {
      title: '压测监测',
      kind: 'routine',
      products: ['豇豆'],
      items: [{ item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }],
      startDate: today,
      endDate: today,
      assignments: [{ testingOrgId: lab, divisionCode: '440117', quantity: 1000, deadline: today }],
    })
  ).json();
  const R = 50;
  const sheets: string[] = [];
  for (let i = 0; i < R; i++)
    sheets.push(
      (
        await inj(labTok, 'POST', `/monitoring-assignments/${task.assignments[0].id}/sheets`, {
          productName: '豇豆',
          identityCode: code,
          place: '基地',
          divisionCode: '440117103',
          sampledAt: new Date().toISOString(),
        })
      ).json().id,
    );
  const failMs = await time(R, (i) =>
    inj(labTok, 'POST', `/sampling-sheets/${sheets[i]}/results`, {
      results: [{ item: '毒死蜱', value: 0.5, unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }],
    }),
  );

  await app.close();
  return {
    'draw over 20,000 producers, 200 drawn (ms)': drawMs,
    'bare subject-pool SELECT (ms)': floorMs,
    'draw / bare pool query': drawMs / floorMs,
    'pure draw, 100,000 pool, 1,000 drawn (ms)': pureMs,
    'patrols per second (start + upload signature + submit)': 1000 / patrolMs,
    'one patrol / one bare authenticated GET': patrolMs / bareMs,
    'failed results per second (risk case + credit + notification)': 1000 / failMs,
  };
}
