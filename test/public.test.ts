import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../src/kernel/context.js';
import { appendEvent } from '../src/modules/batches/events.js';
import { queryLogOf } from '../src/modules/public/log.js';
import { oneErrorAway } from '../src/modules/public/service.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

let t: TestApp;
type P = { token: string; subjectId: string; name: string };
let A: P; // 从化区 温泉镇 — grows
let B: P; // 从化区 — buys from A
let C: P; // 锦江区 (outside the county) — buys from B
let D: P; // 从化区 — unrelated
let county: string;
let countyOrgId: string;
let outsider: string;
const codes = {} as Record<'X' | 'Y' | 'Z' | 'W', string>;
const batches = {} as Record<'X' | 'Y' | 'Z' | 'W', string>;

const get = (tok: string | null, url: string, headers: Record<string, string> = {}) =>
  t.req(tok, { method: 'GET', url, headers });
const flush = () => queryLogOf(t.app).flush();

async function productionBatch(p: P, name: string, division: string) {
  const prod = await t.req(p.token, {
    method: 'POST',
    url: '/api/v1/products',
    payload: {
      name,
      industry: 'planting',
      certifications: [{ type: 'green', number: 'LB-15-2301010101A', validFrom: '2025-01-01', validTo: '2028-01-01' }],
    },
  });
  expect(prod.statusCode, prod.body).toBe(201);
  const base = await t.req(p.token, {
    method: 'POST',
    url: '/api/v1/bases',
    payload: { name: `${name}基地`, divisionCode: division },
  });
  expect(base.statusCode, base.body).toBe(201);
  const b = await t.req(p.token, {
    method: 'POST',
    url: '/api/v1/batches',
    payload: {
      productId: prod.json().id,
      baseId: base.json().id,
      quantity: 100,
      producedAt: '2026-11-20T08:00:00+08:00',
      selfCheck: 'pass',
    },
  });
  expect(b.statusCode, b.body).toBe(201);
  return { id: b.json().id as string, code: b.json().code as string };
}

/** A circulation batch of `buyer` received from `from` (issue 5 will do this through sales/receipts). */
async function receive(buyer: P, from: string, division: string, n: number) {
  const db = t.database.db;
  const src = await db.selectFrom('batch').selectAll().where('id', '=', from).executeTakeFirstOrThrow();
  const product = await db
    .insertInto('product')
    .values({
      subject_id: buyer.subjectId,
      division_code: division,
      name: `收购品${n}`,
      industry: 'planting',
      classification: null,
      key_product: null,
      unit: 'kg',
      certifications: '[]',
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const serial = 900_000 + n;
  const b = await db
    .insertInto('batch')
    .values({
      subject_id: buyer.subjectId,
      division_code: division,
      kind: 'circulation',
      batch_no: `R-${n}`,
      product_id: product.id,
      base_id: null,
      quantity: 10,
      unit: 'kg',
      produced_at: src.produced_at,
      self_check: 'untested',
      self_check_note: null,
      code_serial: serial,
      stock: 10,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('trace_code')
    .values({
      kind: 2,
      serial,
      status: 'A',
      subject_id: buyer.subjectId,
      batch_id: b.id,
      reservation_id: null,
      activated_at: new Date(),
    })
    .execute();
  await inTransaction({ db, actor: null, ip: null, config: t.app.config }, (ctx) =>
    appendEvent(ctx, {
      eventType: 'transaction',
      action: 'ADD',
      bizStep: 'receiving',
      stage: 'purchase',
      eventTime: new Date(),
      subjectId: buyer.subjectId,
      divisionCode: division,
      batchId: b.id,
      edges: [{ from, to: b.id, quantity: 10, unit: 'kg' }],
    }),
  );
  const { shortCode } = await import('../src/kernel/codes.js');
  return { id: b.id, code: shortCode({ kind: 'circulation', platform: '000000', serial }) };
}

beforeAll(async () => {
  t = await testApp({
    SCAN_ALERT_NETWORKS: '4',
    SCAN_ALERT_MIN_SCANS: '12',
    PUBLIC_RATE_LIMIT: '100000',
    TRUST_PROXY: '127.0.0.1',
  });
  const admin = await t.login('admin');
  const mk = async (username: string, name: string, divisionCode: string) => ({
    ...(await makeProducer(t, { username, name, divisionCode })),
    name,
  });
  A = await mk('pa', '温泉镇绿源果蔬合作社', '440117103');
  B = await mk('pb', '从化区鲜达农产品购销部', '440117');
  C = await mk('pc', '锦江区菜市场某摊位', '510104');
  D = await mk('pd', '从化区无关农场', '440117');
  const cu = await makeUser(t, admin, {
    username: 'ch_sup',
    orgName: '从化区农产品质量安全监管站',
    divisionCode: '440117',
    roles: ['supervisor'],
  });
  county = cu.token;
  countyOrgId = cu.orgId;
  outsider = (
    await makeUser(t, admin, {
      username: 'jj_sup',
      orgName: '锦江区监管站',
      divisionCode: '510104',
      roles: ['supervisor'],
    })
  ).token;
  const x = await productionBatch(A, '豇豆', '440117103');
  batches.X = x.id;
  codes.X = x.code;
  const w = await productionBatch(D, '菜心', '440117001');
  batches.W = w.id;
  codes.W = w.code;
  const y = await receive(B, batches.X, '440117', 1);
  batches.Y = y.id;
  codes.Y = y.code;
  const z = await receive(C, batches.Y, '510104', 2);
  batches.Z = z.id;
  codes.Z = z.code;
});
afterAll(() => t?.close());

describe('resolveTraceCode goes through the same visibility rules (issue 12 item 8)', () => {
  const resolve = async (tok: string | null, code: string) => {
    const r = await get(tok, `/api/v1/public/codes/${code}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { status: string; kind: string; subject: { id: string; name: string } | null };
  };
  it('a consumer sees the origin producer of a production code, and nobody behind a circulation code', async () => {
    expect((await resolve(null, codes.X)).subject?.name).toBe(A.name);
    const z = await resolve(null, codes.Z);
    expect(z.kind).toBe('circulation');
    expect(z.subject).toBeNull();
  });
  it('a regulator sees the holder inside its jurisdiction only', async () => {
    expect((await resolve(county, codes.Y)).subject?.name).toBe(B.name);
    expect((await resolve(outsider, codes.Y)).subject).toBeNull();
    expect((await resolve(outsider, codes.Z)).subject?.name).toBe(C.name);
  });
  it('a producer sees itself behind its own circulation code, not another buyer', async () => {
    expect((await resolve(C.token, codes.Z)).subject?.name).toBe(C.name);
    expect((await resolve(B.token, codes.Z)).subject).toBeNull();
  });
});

describe('public page and JSON (consumer: origin only)', () => {
  it('shows the origin of a production batch code, as HTML without scripts and as JSON', async () => {
    const res = await get(null, `/t/${codes.X}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).not.toContain('<script');
    expect(res.body.length).toBeLessThan(30_000);
    expect(res.body).toContain('豇豆');
    expect(res.body).toContain('温泉镇绿源果蔬合作社');
    expect(res.body).toContain('从化区');
    expect(res.body).toContain('绿色食品');
    expect(res.body).toContain('2026-11-20');
    const j = await get(null, `/api/v1/public/trace/${codes.X}`);
    expect(j.statusCode).toBe(200);
    expect(j.json().status).toBe('active');
    expect(j.json().origins[0].product.name).toBe('豇豆');
    expect(j.json().origins[0].producer.phone).toBe('138****0000');
  });

  it('a downstream code shows the origin only: nothing about the buyers in between or after', async () => {
    const j = await get(null, `/api/v1/public/trace/${codes.Z}`);
    expect(j.statusCode).toBe(200);
    expect(j.json().kind).toBe('circulation');
    expect(j.json().origins.map((o: { producer: { name: string } }) => o.producer.name)).toEqual([A.name]);
    for (const hidden of [B.name, C.name]) expect(j.body).not.toContain(hidden);
    const x = await get(null, `/t/${codes.X}`);
    for (const hidden of [B.name, C.name, '收购品']) expect(x.body).not.toContain(hidden);
  });

  it('answers ETag / 304 and revalidation headers', async () => {
    const a = await get(null, `/api/v1/public/trace/${codes.X}`);
    expect(a.headers.etag).toBeTruthy();
    expect(a.headers['cache-control']).toContain('no-cache');
    const b = await get(null, `/api/v1/public/trace/${codes.X}`, { 'if-none-match': String(a.headers.etag) });
    expect(b.statusCode).toBe(304);
  });

  it('a mistyped code gets a 404 page that says the check character caught it, with a suggestion', async () => {
    const wrong = codes.X.slice(0, 10) + ((Number(codes.X[10]) + 1) % 10) + codes.X.slice(11);
    const res = await get(null, `/t/${wrong}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('校验位不符');
    expect(res.body).toContain('id="hint"');
    const j = await get(null, `/api/v1/public/trace/${wrong}`);
    expect(j.statusCode).toBe(404);
    expect(j.json().status).toBe('malformed');
    expect(j.json().suggestions).toContain(codes.X);
    expect(oneErrorAway(wrong)).toContain(codes.X);
    const short = await get(null, '/t/12345');
    expect(short.statusCode).toBe(404);
    expect(short.body).toContain('位数不对');
  });

  it('a well-formed code that was never issued is unknown (possible counterfeit), 404', async () => {
    const { shortCode } = await import('../src/kernel/codes.js');
    const res = await get(
      null,
      `/api/v1/public/trace/${shortCode({ kind: 'production', platform: '000000', serial: 777_777 })}`,
    );
    expect(res.statusCode).toBe(404);
    expect(res.json().status).toBe('unknown');
  });

  it('refuses bad input naming the field', async () => {
    const res = await get(null, `/api/v1/public/trace/${codes.X}?lat=200`);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('lat');
    const long = await get(null, `/api/v1/public/trace/${'1'.repeat(301)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().field).toBe('code');
  });

  it('resolves a certificate number and a subject identity (short code → public subject card)', async () => {
    const cert = await t.req(A.token, {
      method: 'POST',
      url: '/api/v1/certificates',
      payload: { batchId: batches.X, quantity: 50, phone: '13800000000', basis: ['self_test'] },
    });
    expect(cert.statusCode, cert.body).toBe(201);
    const number = cert.json().number as string;
    const c = await get(null, `/api/v1/public/trace/${number}`);
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json().certificate.valid).toBe(true);
    expect(c.json().origins[0].product.name).toBe('豇豆');
    // The page of the batch now lists the certificate (the projection was invalidated by the trigger).
    expect((await get(null, `/t/${codes.X}`)).body).toContain(number);
    const { ensureSubjectCode } = await import('../src/modules/codes/service.js');
    const sc = await ensureSubjectCode(t.database.db, t.app.config, A.subjectId);
    const s = await get(null, `/t/${sc}`);
    expect(s.statusCode).toBe(200);
    expect(s.body).toContain('id="subject"');
    expect(s.body).toContain(A.name);
    // The 21-character identity code (issue 3) and its card URL /s/{code}; a mistyped one gets the check hint.
    const { mod37_2 } = await import('../src/kernel/checkchar.js');
    const identity = `HC91440117MA5ABCDE1X${mod37_2('HC91440117MA5ABCDE1X')}`;
    await t.database.db.updateTable('subject').set({ identity_code: identity }).where('id', '=', A.subjectId).execute();
    const card = await get(null, `/api/v1/public/trace/${identity}`);
    expect(card.statusCode, card.body).toBe(200);
    expect(card.json()).toMatchObject({ kind: 'subject', subject: { name: A.name, identityCode: identity } });
    const redirect = await get(null, `/s/${identity}`);
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe(`/t/${identity}`);
    const typo = `${identity.slice(0, 5)}${identity[5] === '4' ? '5' : '4'}${identity.slice(6)}`;
    const bad = await get(null, `/api/v1/public/trace/${typo}`);
    expect(bad.statusCode).toBe(404);
    expect(bad.json().hint).toContain('校验位不符');
  });

  it('an inactive (printed, not activated) code says so', async () => {
    const r = await t.req(A.token, { method: 'POST', url: '/api/v1/codes/reservations', payload: { count: 2 } });
    expect(r.statusCode, r.body).toBe(201);
    const j = await get(null, `/api/v1/public/trace/${r.json().firstCode}`);
    expect(j.json().status).toBe('inactive');
  });
});

describe('visibility matrix (seed 003: producers one step up and down, regulators their jurisdiction)', () => {
  // viewer → code → expected reach (null = refused)
  const matrix: [string, () => string, Record<'X' | 'Y' | 'Z' | 'W', string | null>][] = [
    ['producer A (grower)', () => A.token, { X: 'own', Y: 'neighbour', Z: null, W: null }],
    ['producer B (buyer of A)', () => B.token, { X: 'neighbour', Y: 'own', Z: 'neighbour', W: null }],
    ['producer C (buyer of B, other province)', () => C.token, { X: null, Y: 'neighbour', Z: 'own', W: null }],
    ['producer D (unrelated)', () => D.token, { X: null, Y: null, Z: null, W: 'own' }],
    ['county supervisor 从化区', () => county, { X: 'jurisdiction', Y: 'jurisdiction', Z: null, W: 'jurisdiction' }],
    ['supervisor 锦江区', () => outsider, { X: null, Y: null, Z: 'jurisdiction', W: null }],
  ];
  for (const [who, tok, cells] of matrix) {
    for (const [code, reach] of Object.entries(cells) as ['X' | 'Y' | 'Z' | 'W', string | null][]) {
      it(`${who} ${reach ? `sees ${code} (${reach})` : `may not see ${code}`}`, async () => {
        const res = await get(tok(), `/api/v1/trace/${codes[code]}`);
        if (!reach) {
          expect(res.statusCode, res.body).toBe(403);
          expect(res.json().code).toBe('OUT_OF_TRACE_REACH');
          return;
        }
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().view.reach).toBe(reach);
      });
    }
  }

  it('a producer sees exactly one step: A sees B downstream but not C; C sees B upstream but not A', async () => {
    const a = (await get(A.token, `/api/v1/trace/${codes.X}`)).json().view;
    expect(a.downstream.map((n: { batchId: string }) => n.batchId)).toEqual([batches.Y]);
    expect(a.hiddenDownstream).toBe(1);
    expect(JSON.stringify(a)).not.toContain(C.name);
    const c = (await get(C.token, `/api/v1/trace/${codes.Z}`)).json().view;
    expect(c.upstream.map((n: { batchId: string }) => n.batchId)).toEqual([batches.Y]);
    expect(c.hiddenUpstream).toBe(1);
    expect(c.upstream[0].subjectName).toBe(B.name);
    // A neighbour's batch is a node only: B's view of X (A's) has no events and does not open A's other links.
    const bx = (await get(B.token, `/api/v1/trace/${codes.X}`)).json().view;
    expect(bx.events).toEqual([]);
  });

  it('a regulator sees the chain inside its jurisdiction; nodes outside are counted, not shown', async () => {
    const v = (await get(county, `/api/v1/trace/${codes.X}`)).json().view;
    expect(v.downstream.map((n: { batchId: string }) => n.batchId)).toEqual([batches.Y]);
    expect(v.hiddenDownstream).toBe(1);
    expect(v.events.length).toBeGreaterThan(0);
  });

  it('is refused without the verb or a login', async () => {
    expect((await get(null, `/api/v1/trace/${codes.X}`)).statusCode).toBe(401);
    const bad = await get(county, '/api/v1/trace/12345');
    expect(bad.statusCode).toBe(404);
    expect(bad.json().field).toBe('code');
  });
});

describe('recall (issue 5 recalls, read through visibility.recallOf)', () => {
  it('a recall of the origin batch is a prominent warning on its page and on every code made from it; closing it lifts the warning', async () => {
    const before = await get(null, `/api/v1/public/trace/${codes.Z}`);
    const r = await t.req(county, {
      method: 'POST',
      url: '/api/v1/recalls',
      payload: { batchId: batches.X, reason: '农药残留超标' },
    });
    expect(r.statusCode, r.body).toBe(201);
    const page = await get(null, `/t/${codes.X}`);
    expect(page.body).toContain('data-status="recalled"');
    expect(page.body).toContain('农药残留超标');
    const z = await get(null, `/api/v1/public/trace/${codes.Z}`, { 'if-none-match': String(before.headers.etag) });
    expect(z.statusCode).toBe(200);
    expect(z.json().status).toBe('recalled');
    expect(z.json().recall.number).toBe(r.json().number);
    expect(z.headers.etag).not.toBe(before.headers.etag);
    const closed = await t.req(county, {
      method: 'POST',
      url: `/api/v1/recalls/${r.json().id}/close`,
      payload: { note: '已全部召回' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect((await get(null, `/api/v1/public/trace/${codes.Z}`)).json().status).toBe('active');
  });
});

describe('query log, scan counts, counterfeit signals', () => {
  it('records every query (code, who, time, address, user agent) and lets regulators browse their jurisdiction', async () => {
    await get(null, `/t/${codes.W}`, { 'user-agent': 'TestPhone/1.0', 'x-forwarded-for': '203.0.113.9' });
    await flush();
    const logs = await get(county, `/api/v1/query-logs?code=${codes.W}`);
    expect(logs.statusCode, logs.body).toBe(200);
    const row = logs.json().items[0];
    expect(row).toMatchObject({
      code: codes.W,
      anonymous: true,
      clientIp: '203.0.113.9',
      clientNet: '203.0.113.0/24',
      userAgent: 'TestPhone/1.0',
      channel: 'html',
      viewer: 'consumer',
    });
    const out = await get(outsider, `/api/v1/query-logs?code=${codes.W}`);
    expect(out.json().items).toEqual([]);
    const all = await get(outsider, '/api/v1/query-logs?pageSize=200');
    expect(all.json().items.every((i: { divisionCode: string }) => i.divisionCode.startsWith('510104'))).toBe(true);
    const bad = await get(county, '/api/v1/query-logs?code=abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('code');
  });

  it('producers see scan counts of their own codes only', async () => {
    const mine = await get(D.token, '/api/v1/scan-counts');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.map((i: { code: string }) => i.code)).toEqual([codes.W]);
    expect(mine.json().items[0].scans).toBeGreaterThanOrEqual(1);
    expect((await get(county, '/api/v1/scan-counts')).statusCode).toBe(403);
  });

  it('one code scanned from many networks alerts the producer and the county, once', async () => {
    for (let i = 1; i <= 5; i++) await get(null, `/t/${codes.W}`, { 'x-forwarded-for': `198.51.${i}.7` });
    await flush();
    for (let i = 1; i <= 3; i++) await get(null, `/t/${codes.W}`, { 'x-forwarded-for': `192.0.${i}.7` });
    await flush();
    const n = await t.database.db
      .selectFrom('notification')
      .selectAll()
      .where('kind', '=', 'counterfeit_signal')
      .where('link', '=', `/t/${codes.W}#places`)
      .execute();
    expect(n.length).toBe(2);
    expect(n.map((x) => x.recipient_org_id)).toContain(countyOrgId);
    const list = await get(county, '/api/v1/notifications');
    expect(list.json().items.some((i: { kind: string }) => i.kind === 'counterfeit_signal')).toBe(true);
  });

  it('a code scanned far more often than units sold alerts too', async () => {
    for (let i = 0; i < 14; i++) await get(null, `/api/v1/public/trace/${codes.Y}`);
    await flush();
    const n = await t.database.db
      .selectFrom('notification')
      .select('body')
      .where('kind', '=', 'counterfeit_signal')
      .where('link', '=', `/t/${codes.Y}#scans`)
      .execute();
    expect(n.length).toBeGreaterThan(0);
  });

  it('rate-limits a client on the public endpoints', async () => {
    const t2 = await testApp({ PUBLIC_RATE_LIMIT: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push(
          (await t2.req(null, { method: 'GET', url: '/api/v1/public/trace/12345678901234567890' })).statusCode,
        );
      expect(statuses.slice(0, 3).every((s) => s === 404)).toBe(true);
      expect(statuses[4]).toBe(429);
      // Every other public read is limited too (each route counts on its own).
      for (const url of [
        '/api/v1/public/codes/12345678901234567890',
        '/api/v1/public/certificates/HG440117202611200001',
        '/api/v1/divisions/search?q=%E4%BB%8E%E5%8C%96',
        '/api/v1/public/credit/offenders',
        '/api/v1/subjects/meta',
      ]) {
        const last: number[] = [];
        for (let i = 0; i < 5; i++) last.push((await t2.req(null, { method: 'GET', url })).statusCode);
        expect(last[0], url).toBeLessThan(429);
        expect(last[4], url).toBe(429);
      }
    } finally {
      await t2.close();
    }
  }, 180_000);
});

describe('complaints', () => {
  it('a complaint from the page (multipart, with a photo) reaches the county, which handles it and records the outcome', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const boundary = '----x';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(part('category', 'quality') + part('text', '豇豆有异味') + part('contactPhone', '13900000000')),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.req(null, {
      method: 'POST',
      url: `/t/${codes.X}/complaint`,
      payload: body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).toContain('从化区农产品质量安全监管站');
    const list = await get(county, '/api/v1/complaints');
    expect(list.statusCode, list.body).toBe(200);
    const c = list.json().items[0];
    expect(c).toMatchObject({
      code: codes.X,
      text: '豇豆有异味',
      orgId: countyOrgId,
      status: 'submitted',
      allowedActions: ['accept', 'close'],
      statusName: '待受理',
      statusNameEn: 'New',
      categoryNameEn: 'Quality problem',
    });
    expect(c.photoFileId).toBeTruthy();
    expect((await get(county, `/api/v1/files/${c.photoFileId}`)).statusCode).toBe(200);
    expect((await get(outsider, `/api/v1/complaints/${c.id}`)).statusCode).toBe(403);
    expect((await get(outsider, '/api/v1/complaints')).json().items).toEqual([]);
    const noOutcome = await t.req(county, {
      method: 'POST',
      url: `/api/v1/complaints/${c.id}/actions`,
      payload: { action: 'close' },
    });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.json().field).toBe('outcome');
    const acc = await t.req(county, {
      method: 'POST',
      url: `/api/v1/complaints/${c.id}/actions`,
      payload: { action: 'accept' },
    });
    expect(acc.json().status).toBe('handling');
    const done = await t.req(county, {
      method: 'POST',
      url: `/api/v1/complaints/${c.id}/actions`,
      payload: { action: 'close', outcome: '已抽检，责令整改' },
    });
    expect(done.json()).toMatchObject({ status: 'closed', outcome: '已抽检，责令整改', allowedActions: [] });
    const notes = await get(county, '/api/v1/notifications');
    expect(notes.json().items.some((i: { kind: string }) => i.kind === 'complaint')).toBe(true);
  });

  it('submitComplaint (JSON) refuses bad input naming the field and writes nothing', async () => {
    const count = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('complaint')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    const cases: [unknown, string][] = [
      [{ code: codes.X, text: '' }, 'text'],
      [{ code: 'xyz', text: '有问题' }, 'code'],
      [{ code: codes.X, text: '有问题', contactPhone: 'abc' }, 'contactPhone'],
      [{ code: codes.X, text: '有问题', photoFileId: '00000000-0000-4000-8000-000000000000' }, 'photoFileId'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.req(null, { method: 'POST', url: '/api/v1/public/complaints', payload: payload as object });
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().field, res.body).toContain(field);
    }
    expect(await count()).toBe(before);
    const ok = await t.req(null, {
      method: 'POST',
      url: '/api/v1/public/complaints',
      payload: { code: codes.Z, text: '疑似假冒', category: 'counterfeit' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().orgName).toBe('锦江区监管站');
  });
});
