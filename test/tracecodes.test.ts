import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCode } from '../src/kernel/codes.js';
import { drain } from '../src/kernel/jobs.js';
import { appendEvent, recomputeBatch, walkLineage } from '../src/modules/batches/events.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

let t: TestApp;
let farmer: { token: string; subjectId: string };
let other: { token: string; subjectId: string };
let county: string; // supervisor of 从化区
let outsider: string; // supervisor of 锦江区
// Shared master data and a batch of the farmer, made in beforeAll (tests that change a batch make their own).
let productId: string;
let baseId: string;
let batch: { id: string; code: string; batchNo: string };

const post = (tok: string | null, url: string, payload: unknown) =>
  t.req(tok, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });
const get = (tok: string | null, url: string) => t.req(tok, { method: 'GET', url: `/api/v1${url}` });
const count = async (table: string) =>
  Number(
    (
      await t.database.db
        .selectFrom(table as 'product')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await testApp({ PUBLIC_BASE_URL: 'https://trace.example.cn', PLATFORM_TIER: 'national' });
  const admin = await t.login('admin');
  farmer = await makeProducer(t, { username: 'farmer1', name: '温泉镇绿源果蔬合作社', divisionCode: '440117103' });
  other = await makeProducer(t, { username: 'farmer2', name: '锦江区某农场', divisionCode: '510104' });
  county = (
    await makeUser(t, admin, {
      username: 'ch_sup',
      orgName: '从化区监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  outsider = (
    await makeUser(t, admin, {
      username: 'jj_sup',
      orgName: '锦江区监管站',
      divisionCode: '510104',
      roles: ['supervisor'],
    })
  ).token;
  const p = await post(farmer.token, '/products', {
    name: '豇豆',
    industry: 'planting',
    keyProduct: '豇豆',
    certifications: [{ type: 'green', number: 'LB-15-2301010101A', validFrom: '2025-01-01', validTo: '2028-01-01' }],
  });
  if (p.statusCode !== 201) throw new Error(`product: ${p.body}`);
  productId = p.json().id;
  const b = await post(farmer.token, '/bases', {
    name: '温泉一号基地',
    divisionCode: '440117103',
    area: 35.5,
    longitude: 113.6,
    latitude: 23.6,
    method: 'open_field',
  });
  if (b.statusCode !== 201) throw new Error(`base: ${b.body}`);
  baseId = b.json().id;
  batch = await newBatch({ quantity: 500, producedAt: '2026-11-19T08:00:00+08:00', selfCheck: 'pass' });
});

/** A new batch of the farmer's shared product at its shared base. */
async function newBatch(o: Record<string, unknown>): Promise<{ id: string; code: string; batchNo: string }> {
  const res = await post(farmer.token, '/batches', { productId, baseId, ...o });
  if (res.statusCode !== 201) throw new Error(`batch: ${res.body}`);
  return { id: res.json().id, code: res.json().code, batchNo: res.json().batchNo };
}

/** A producer-style certificate for part of the shared batch. */
async function certificate(quantity = 10): Promise<{ id: string; number: string }> {
  const res = await post(farmer.token, '/certificates', {
    batchId: batch.id,
    quantity,
    basis: ['self_test', 'control'],
  });
  if (res.statusCode !== 201) throw new Error(`certificate: ${res.body}`);
  return res.json();
}
afterAll(() => t?.close());

describe('master data', () => {
  it('creates a product with certifications, a base and a customer', async () => {
    const p = await post(farmer.token, '/products', {
      name: '长豇豆',
      industry: 'planting',
      keyProduct: '豇豆',
      certifications: [{ type: 'green', number: 'LB-15-2301010101A', validFrom: '2025-01-01', validTo: '2028-01-01' }],
    });
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().certifications[0].typeName).toBe('绿色食品');
    const b = await post(farmer.token, '/bases', {
      name: '温泉新建基地',
      divisionCode: '440117103',
      area: 35.5,
      longitude: 113.6,
      latitude: 23.6,
      method: 'open_field',
    });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().divisionName).toContain('从化区');
    const c = await post(farmer.token, '/customers', {
      name: '广州江南果菜批发市场',
      kind: 'market',
      phone: '13900000000',
    });
    expect(c.statusCode, c.body).toBe(201);
  });

  it('refuses bad input naming the field, writing nothing', async () => {
    const before = await count('product');
    const cases: [string, unknown, string][] = [
      ['/products', { name: '', industry: 'planting' }, 'name'],
      ['/products', { name: '芹菜', industry: 'mining' }, 'industry'],
      [
        '/products',
        {
          name: '芹菜',
          industry: 'planting',
          certifications: [{ type: 'green', number: 'X', validFrom: '2025-01-01', validTo: '2024-01-01' }],
        },
        'certifications.0.validTo',
      ],
      ['/products', { name: '豇豆', industry: 'planting' }, 'name'],
      ['/bases', { name: '县里', divisionCode: '440117' }, 'divisionCode'],
      ['/bases', { name: '无效', divisionCode: '440117999' }, 'divisionCode'],
      ['/bases', { name: '半坐标', divisionCode: '440117103', longitude: 113.5 }, 'latitude'],
      ['/customers', { name: '某', kind: 'alien' }, 'kind'],
    ];
    for (const [url, body, field] of cases) {
      const res = await post(farmer.token, url, body);
      expect(res.statusCode, `${url} ${JSON.stringify(body)} ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.json().field, res.body).toBe(field);
    }
    expect(await count('product')).toBe(before);
  });

  it('attaches uploaded photos to a base; files of others or unknown ids are refused', async () => {
    const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const boundary = `----suyuan${Math.random().toString(16).slice(2)}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="base.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await t.req(farmer.token, {
      method: 'POST',
      url: '/api/v1/files?purpose=proof',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().id;
    const theirs = await post(other.token, '/bases', { name: '偷图基地', divisionCode: '440117104', photos: [fileId] });
    expect(theirs.statusCode).toBe(400);
    expect(theirs.json().field).toBe('photos.0');
    const b = await post(farmer.token, '/bases', { name: '有照片的基地', divisionCode: '440117103', photos: [fileId] });
    expect(b.statusCode, b.body).toBe(201);
    expect(b.json().photos).toEqual([fileId]);
    expect((await get(county, `/files/${fileId}`)).statusCode).toBe(200);
    expect((await get(outsider, `/files/${fileId}`)).statusCode).toBe(403);
  });

  it('is for producers only', async () => {
    const res = await post(county, '/products', { name: '韭菜', industry: 'planting' });
    expect(res.statusCode).toBe(403);
  });
});

describe('batches and events', () => {
  it('creates a batch with its production batch code; stock and status come from the commissioning event', async () => {
    const res = await post(farmer.token, '/batches', {
      productId,
      baseId,
      quantity: 500,
      producedAt: '2026-11-20T08:00:00+08:00',
      selfCheck: 'pass',
    });
    expect(res.statusCode, res.body).toBe(201);
    const b = res.json();
    expect(b.batchNo).toBe('20261120-001');
    expect(b.stock).toBe(500);
    expect(b.status).toBe('unsold');
    expect(b.allowedActions).toContain('issueCertificate');
    const parsed = parseCode(b.code);
    expect(parsed.ok && parsed.code.kind).toBe('production');
    expect(b.codeUrl).toBe(`https://trace.example.cn/t/${b.code}`);
    const d = await get(farmer.token, `/batches/${b.id}`);
    expect(d.json().events.map((e: { bizStep: string }) => e.bizStep)).toEqual(['commissioning']);
    expect(d.json().events[0].qtyDelta).toBe(500);
  });

  it('refuses bad batches naming the field', async () => {
    const foreignProduct = await post(other.token, '/products', { name: '生猪', industry: 'livestock', unit: '头' });
    const cases: [unknown, string][] = [
      [{ productId, quantity: 0, producedAt: '2026-11-20T08:00:00Z' }, 'quantity'],
      [{ productId, quantity: 1, producedAt: 'yesterday' }, 'producedAt'],
      [{ productId: foreignProduct.json().id, quantity: 1, producedAt: '2026-11-20T08:00:00Z' }, 'productId'],
      [{ productId, quantity: 1, producedAt: '2099-01-01T00:00:00Z' }, 'producedAt'],
      [{ productId, quantity: 1, producedAt: '2026-11-20T08:00:00Z', batchNo: batch.batchNo }, 'batchNo'],
    ];
    const before = await count('batch');
    for (const [body, field] of cases) {
      const res = await post(farmer.token, '/batches', body);
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.json().field, res.body).toBe(field);
    }
    expect(await count('batch')).toBe(before);
  });

  it('regulators read within their jurisdiction only; other producers do not see it', async () => {
    expect((await get(county, `/batches/${batch.id}`)).statusCode).toBe(200);
    expect((await get(outsider, `/batches/${batch.id}`)).statusCode).toBe(403);
    expect((await get(other.token, `/batches/${batch.id}`)).statusCode).toBe(403);
    const list = await get(outsider, '/batches');
    expect(list.json().items.every((b: { divisionCode: string }) => b.divisionCode.startsWith('510104'))).toBe(true);
  });

  it('a correction is a new event naming the one it corrects; the projection equals a recompute from events', async () => {
    const batch = await newBatch({ quantity: 500, producedAt: '2026-11-18T08:00:00+08:00', batchNo: 'CORR-1' });
    const res = await post(farmer.token, `/batches/${batch.id}/corrections`, { quantity: 480, reason: '复称重量有误' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().quantity).toBe(480);
    expect(res.json().stock).toBe(480);
    const ev = res.json().events;
    expect(ev[1].corrects).toBe(ev[0].eventId);
    expect(await recomputeBatch(t.database.db, batch.id)).toEqual({ quantity: 480, stock: 480, status: 'unsold' });
    const bad = await post(farmer.token, `/batches/${batch.id}/corrections`, { quantity: 480, reason: '无变化' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('quantity');
  });

  it('stock never goes negative under concurrent withdrawals, and lineage edges walk both ways', async () => {
    const db = t.database.db;
    const mk = async (no: string) =>
      (
        await post(farmer.token, '/batches', {
          productId,
          quantity: 100,
          producedAt: '2026-11-19T08:00:00Z',
          batchNo: no,
        })
      ).json().id as string;
    const a = await mk('L-A');
    const b = await mk('L-B');
    const c = await mk('L-C');
    const ctx = { db, actor: null, ip: null, config: t.app.config };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        db.transaction().execute((trx) =>
          appendEvent(
            { ...ctx, db: trx },
            {
              eventType: 'transaction',
              action: 'OBSERVE',
              bizStep: 'shipping',
              stage: 'transport',
              eventTime: new Date(),
              subjectId: farmer.subjectId,
              divisionCode: '440117103',
              batchId: a,
              qtyDelta: -15,
            },
          ),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(6);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toBe('INSUFFICIENT_STOCK');
    expect(await recomputeBatch(db, a)).toEqual({ quantity: 100, stock: 10, status: 'partly_sold' });
    await db.transaction().execute((trx) =>
      appendEvent(
        { ...ctx, db: trx },
        {
          eventType: 'transformation',
          action: null,
          bizStep: 'transforming',
          stage: 'processing',
          eventTime: new Date(),
          subjectId: farmer.subjectId,
          divisionCode: '440117103',
          batchId: b,
          qtyDelta: -100,
          merged: true,
          edges: [
            { from: a, to: b },
            { from: b, to: c },
          ],
        },
      ),
    );
    expect(await walkLineage(db, a, 'forward')).toEqual(expect.arrayContaining([b, c]));
    expect(await walkLineage(db, c, 'backward')).toEqual(expect.arrayContaining([a, b]));
    expect((await db.selectFrom('batch').select('status').where('id', '=', b).executeTakeFirstOrThrow()).status).toBe(
      'merged',
    );
  });
});

describe('codes', () => {
  it('a packing line issues codes singly and in blocks with an API token; the public resolver finds them', async () => {
    const tok = await post(farmer.token, '/auth/tokens', { name: '包装线1', verbs: ['code.issue'] });
    expect(tok.statusCode, tok.body).toBe(201);
    const line = tok.json().token as string;
    const one = await post(line, '/codes/issue', { batchId: batch.id });
    expect(one.statusCode, one.body).toBe(201);
    expect(one.json().codes).toHaveLength(1);
    const block = await post(line, '/codes/issue', { batchId: batch.id, count: 100 });
    expect(block.json().codes).toHaveLength(100);
    expect(new Set(block.json().codes.map((c: { code: string }) => c.code)).size).toBe(100);
    const r = await get(null, `/public/codes/${block.json().codes[7].code}`);
    expect(r.json().status).toBe('active');
    expect(r.json().batch.productName).toBe('豇豆');
    const long = await get(null, `/public/codes/${r.json().longCode}`);
    expect(long.json().status).toBe('active');
    expect(long.json().code).toBe(block.json().codes[7].code);
    expect((await post(line, '/codes/issue', { batchId: batch.id, count: 0 })).json().field).toBe('count');
    const foreign = await post(other.token, '/codes/issue', { batchId: batch.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().field).toBe('batchId');
    expect((await post(line, '/products', { name: 'x', industry: 'planting' })).statusCode).toBe(403);
  });

  it('the resolver explains mistyped, unknown and foreign codes', async () => {
    const typo = batch.code.slice(0, 5) + ((Number(batch.code[5]) + 1) % 10) + batch.code.slice(6);
    expect((await get(null, `/public/codes/${typo}`)).json().status).toBe('malformed');
    const unknown = (await import('../src/kernel/codes.js')).shortCode({
      kind: 'production',
      platform: '000000',
      serial: 999_999_999,
    });
    expect((await get(null, `/public/codes/${unknown}`)).json().status).toBe('unknown');
    const foreign = (await import('../src/kernel/codes.js')).shortCode({
      kind: 'production',
      platform: '440117',
      serial: 1,
    });
    const f = (await get(null, `/public/codes/${foreign}`)).json();
    expect(f.status).toBe('foreign');
    expect(f.platform).toEqual({ tier: 'county', region: '440117' });
  });

  it("resolves subject identity codes: issue 3's long identity code and the short kind-5 form", async () => {
    const { ensureSubjectCode } = await import('../src/modules/codes/service.js');
    const { identityCode } = await import('../src/modules/subjects/identity.js');
    const db = t.database.db;
    const idc = identityCode({
      orgForm: 'cooperative',
      certType: 'credit_code',
      certNo: '93440117MA5TE7T01X',
      personalIdNo: null,
      countyCode: '440117',
      secret: 'x',
    });
    await db.updateTable('subject').set({ identity_code: idc }).where('id', '=', farmer.subjectId).execute();
    const long = (await get(null, `/public/codes/${idc}`)).json();
    expect(long).toMatchObject({
      status: 'active',
      kind: 'subject',
      subject: { id: farmer.subjectId, name: '温泉镇绿源果蔬合作社' },
    });
    const short = await ensureSubjectCode(db, t.app.config, farmer.subjectId);
    expect(await ensureSubjectCode(db, t.app.config, farmer.subjectId)).toBe(short);
    expect(parseCode(short).ok && (parseCode(short) as { code: { kind: string } }).code.kind).toBe('subject');
    const r = (await get(null, `/public/codes/${short}`)).json();
    expect(r).toMatchObject({ status: 'active', kind: 'subject', subject: { id: farmer.subjectId } });
  });

  it('reserves inactive codes for a printer, hands it a file, activates by range and by scan', async () => {
    const res = await post(farmer.token, '/codes/reservations', { count: 1000, printer: '广州某印务公司' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r.status).toBe('ready');
    const inactive = await get(null, `/public/codes/${r.firstCode}`);
    expect(inactive.json().status).toBe('inactive');
    expect(inactive.json().message).toContain('尚未激活');
    const file = await get(farmer.token, `/codes/reservations/${r.id}/file`);
    expect(file.statusCode).toBe(200);
    const lines = file.body.trim().split('\n');
    expect(lines).toHaveLength(1001);
    expect(lines[1]).toContain(r.firstCode);
    const codes = lines.slice(1).map((l) => l.split(',')[1]);
    // the long code in the printer's file resolves too (it embeds the reservation's date)
    const longInFile = lines[1].split(',')[3];
    expect((await get(null, `/public/codes/${longInFile}`)).json()).toMatchObject({
      status: 'inactive',
      code: codes[0],
    });
    const act = await post(farmer.token, '/codes/activate', { batchId: batch.id, from: codes[0], to: codes[499] });
    expect(act.statusCode, act.body).toBe(200);
    expect(act.json().activated).toBe(500);
    expect((await get(null, `/public/codes/${codes[10]}`)).json().status).toBe('active');
    expect((await get(null, `/public/codes/${codes[600]}`)).json().status).toBe('inactive');
    const scan = await post(farmer.token, '/codes/activate', {
      batchId: batch.id,
      codes: [`https://trace.example.cn/t/${codes[600]}`, codes[601]],
    });
    expect(scan.json().activated).toBe(2);
    // all or nothing: the range overlaps codes already active
    const again = await post(farmer.token, '/codes/activate', { batchId: batch.id, from: codes[495], to: codes[505] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CODES_NOT_ACTIVATABLE');
    expect((await get(null, `/public/codes/${codes[502]}`)).json().status).toBe('inactive');
    const list = await get(farmer.token, '/codes/reservations');
    expect(list.json()[0].activated).toBe(502);
    // bad input
    expect(
      (await post(farmer.token, '/codes/activate', { batchId: batch.id, from: '123', to: codes[1] })).json().field,
    ).toBe('from');
    expect(
      (await post(farmer.token, '/codes/activate', { batchId: batch.id, from: codes[9], to: codes[1] })).json().field,
    ).toBe('to');
    expect((await post(farmer.token, '/codes/activate', { batchId: batch.id, from: codes[9] })).json().field).toBe(
      'to',
    );
    expect((await post(farmer.token, '/codes/reservations', { count: 1_000_001 })).json().field).toBe('count');
    expect((await post(other.token, '/codes/activate', { batchId: batch.id, codes: [codes[900]] })).json().field).toBe(
      'batchId',
    );
  });

  it('a large reservation runs as a background job with progress', async () => {
    const res = await post(farmer.token, '/codes/reservations', { count: 150_000 });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().status).toBe('generating');
    const jobId = res.json().jobId;
    expect((await get(farmer.token, `/codes/reservations/${res.json().id}/file`)).statusCode).toBe(409);
    await drain(t.database.db, t.app.config);
    // The farmer started the job, so it may read it: always 200, finished, with the full count as progress.
    const job = await get(farmer.token, `/jobs/${jobId}`);
    expect(job.statusCode, job.body).toBe(200);
    expect(job.json().status).toBe('done');
    expect(job.json().progress).toBe(150_000);
    const r = await get(farmer.token, `/codes/reservations/${res.json().id}`);
    expect(r.json().status).toBe('ready');
    expect((await get(null, `/public/codes/${r.json().lastCode}`)).json().status).toBe('inactive');
  });
});

describe('labels', () => {
  it('renders label PDFs in three sizes containing the code, and unique codes per label', async () => {
    for (const size of ['40x30', '60x40', 'a4']) {
      const res = await post(farmer.token, `/batches/${batch.id}/labels`, { size, copies: 25 });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('application/pdf');
      const pdf = res.rawPayload;
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.includes(Buffer.from(batch.code))).toBe(true);
      const pages = (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;
      expect(pages).toBe(size === 'a4' ? 2 : 25);
    }
    const before = (await get(farmer.token, `/batches/${batch.id}/codes?format=csv`)).body.trim().split('\n').length;
    const uniq = await post(farmer.token, `/batches/${batch.id}/labels`, { size: '40x30', copies: 5, unique: true });
    expect(uniq.statusCode).toBe(200);
    const after = (await get(farmer.token, `/batches/${batch.id}/codes?format=csv`)).body.trim().split('\n').length;
    expect(after - before).toBe(5);
    expect((await post(farmer.token, `/batches/${batch.id}/labels`, { size: '10x10', copies: 1 })).json().field).toBe(
      'size',
    );
    expect((await post(farmer.token, `/batches/${batch.id}/labels`, { size: 'a4', copies: 5000 })).json().field).toBe(
      'copies',
    );
  });

  it('downloads the codes as CSV and Excel', async () => {
    const csv = await get(farmer.token, `/batches/${batch.id}/codes?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(batch.code);
    const xlsx = await get(farmer.token, `/batches/${batch.id}/codes`);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect((await get(farmer.token, `/batches/${batch.id}/codes?format=pdf`)).json().field).toBe('format');
  });
});

describe('production-process records and certificates', () => {
  let sprayed: string;
  it('records an input; a harvest inside the safety interval warns, and blocks the certificate', async () => {
    const base2 = (await post(farmer.token, '/bases', { name: '温泉二号基地', divisionCode: '440117103' })).json().id;
    const b = await post(farmer.token, '/batches', {
      productId,
      baseId: base2,
      quantity: 50,
      producedAt: '2026-11-21T08:00:00+08:00',
      batchNo: 'SPRAY-1',
      selfCheck: 'pass',
    });
    sprayed = b.json().id;
    const res = await post(farmer.token, '/input-uses', {
      baseId: base2,
      batchId: sprayed,
      kind: 'pesticide',
      name: '吡虫啉',
      registrationNo: 'PD20080001',
      dose: 20,
      doseUnit: 'g/亩',
      usedOn: '2026-11-18',
      safetyDays: 7,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().safeFrom).toBe('2026-11-25');
    expect(res.json().warnings[0].code).toBe('INSIDE_SAFETY_INTERVAL');
    const again = await get(farmer.token, `/batches/${sprayed}`);
    expect(again.json().warnings).toHaveLength(1);
    const cert = await post(farmer.token, '/certificates', { batchId: sprayed, quantity: 10, basis: ['control'] });
    expect(cert.statusCode).toBe(409);
    expect(cert.json().code).toBe('INSIDE_SAFETY_INTERVAL');
    const op = await post(farmer.token, '/input-uses', {
      baseId,
      kind: 'operation',
      name: '灌溉',
      operation: '滴灌 2 小时',
      usedOn: '2026-11-19',
    });
    expect(op.statusCode, op.body).toBe(201);
    for (const [body, field] of [
      [{ baseId, kind: 'pesticide', name: '某药', dose: 1, usedOn: '2026-11-18' }, 'safetyDays'],
      [{ baseId, kind: 'operation', name: '除草', usedOn: '2026-11-18' }, 'operation'],
      [{ baseId, kind: 'fertiliser', name: '复合肥', dose: 1, usedOn: '2099-01-01' }, 'usedOn'],
      [{ baseId, kind: 'fertiliser', name: '复合肥', dose: 1, usedOn: 'today' }, 'usedOn'],
    ] as const) {
      const bad = await post(farmer.token, '/input-uses', body);
      expect(bad.statusCode, bad.body).toBe(400);
      expect(bad.json().field).toBe(field);
    }
    expect((await get(county, '/input-uses')).json().length).toBe(2);
  });

  it('issues a producer-style certificate linked to batch and code, with a QR showing 承诺达标合格证 and a PDF', async () => {
    const res = await post(farmer.token, '/certificates', {
      batchId: batch.id,
      quantity: 100,
      basis: ['self_test', 'control'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.number).toMatch(/^HG\d{17}$/);
    expect(c.code).toBe(batch.code);
    expect(c.productName).toBe('豇豆');
    expect(c.origin).toContain('温泉镇');
    expect(c.promises.map((p: { code: string }) => p.code)).toEqual(['no_banned', 'residue_limits']);
    expect(c.qrText.startsWith('承诺达标合格证')).toBe(true);
    expect(c.qrText).toContain(c.verifyUrl);
    expect(new Date(c.retainUntil).getUTCFullYear() - new Date(c.issuedAt).getUTCFullYear()).toBe(2);
    const pdf = await get(farmer.token, `/certificates/${c.id}/pdf`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.includes(Buffer.from(c.number))).toBe(true);
    const svg = await get(farmer.token, `/certificates/${c.id}/qr.svg`);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const v = await get(null, `/public/certificates/${c.number}`);
    expect(v.json().valid).toBe(true);
    expect((await get(null, '/public/certificates/HG00000000000000000')).json().valid).toBe(false);
    const r = await get(null, `/public/codes/${c.number}`);
    expect(r.json().kind).toBe('certificate');
    const ev = (await get(farmer.token, `/batches/${batch.id}`)).json().events;
    expect(ev.some((e: { bizStep: string }) => e.bizStep === 'certifying')).toBe(true);
  });

  it('"repeat last" needs only the quantity', async () => {
    await certificate();
    const res = await post(farmer.token, '/certificates', { repeatLast: true, quantity: 30 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().batchId).toBe(batch.id);
    expect(res.json().basis.map((b: { code: string }) => b.code)).toEqual(['self_test', 'control']);
    expect(res.json().quantity).toBe(30);
    const last = await get(farmer.token, '/certificates/last');
    expect(last.json().last.number).toBe(res.json().number);
    const none = await post(other.token, '/certificates', { repeatLast: true, quantity: 1 });
    expect(none.statusCode).toBe(409);
    expect(none.json().field).toBe('repeatLast');
  });

  it('a buyer re-issues a certificate linked to the certificates it collected', async () => {
    const first = await certificate();
    const res = await post(other.token, '/certificates', {
      style: 'buyer',
      productName: '豇豆（分装）',
      quantity: 20,
      unit: 'kg',
      sourceNumbers: [first.number, '纸质-2026-0001'],
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c.promises.map((p: { code: string }) => p.code)).toContain('collected');
    expect(c.basis[0].code).toBe('collected_certificates');
    expect(c.sources).toEqual([
      { number: first.number, linked: true, productName: '豇豆', subjectName: '温泉镇绿源果蔬合作社' },
      { number: '纸质-2026-0001', linked: false, productName: null, subjectName: null },
    ]);
  });

  it('refuses bad certificates naming the field, writing nothing', async () => {
    const failed = (
      await post(farmer.token, '/batches', {
        productId,
        quantity: 5,
        producedAt: '2026-11-20T08:00:00Z',
        selfCheck: 'fail',
        batchNo: 'FAIL-1',
      })
    ).json().id;
    const untested = (
      await post(farmer.token, '/batches', {
        productId,
        quantity: 5,
        producedAt: '2026-11-20T08:00:00Z',
        batchNo: 'UNT-1',
      })
    ).json().id;
    const before = await count('certificate');
    const cases: [string, unknown, number, string][] = [
      [farmer.token, { style: 'buyer', productName: '豇豆', quantity: 1 }, 400, 'sourceNumbers'],
      [farmer.token, { productName: '豇豆', quantity: 1, basis: ['collected_certificates'] }, 400, 'basis.0'],
      [farmer.token, { productName: '豇豆', quantity: 1 }, 400, 'basis'],
      [farmer.token, { quantity: 1, basis: ['control'] }, 400, 'productName'],
      [farmer.token, { batchId: batch.id, quantity: 100000, basis: ['control'] }, 400, 'quantity'],
      [farmer.token, { batchId: failed, quantity: 1, basis: ['control'] }, 409, 'batchId'],
      [farmer.token, { batchId: untested, quantity: 1, basis: ['self_test'] }, 400, 'basis'],
      [farmer.token, { productName: '豇豆', quantity: -1, basis: ['control'] }, 400, 'quantity'],
      [farmer.token, { productName: '豇豆', quantity: 1, basis: ['control'], phone: '12345' }, 400, 'phone'],
    ];
    for (const [tok, body, status, field] of cases) {
      const res = await post(tok, '/certificates', body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      expect(res.json().field).toBe(field);
    }
    expect(await count('certificate')).toBe(before);
    expect(
      (await post(county, '/certificates', { productName: '豇豆', quantity: 1, basis: ['control'] })).statusCode,
    ).toBe(403);
  });

  it('regulators list certificates in their jurisdiction', async () => {
    const first = await certificate();
    const inside = await get(county, '/certificates');
    expect(inside.json().length).toBeGreaterThanOrEqual(2);
    const out = await get(outsider, '/certificates');
    expect(out.json().every((c: { subjectName: string }) => c.subjectName === '锦江区某农场')).toBe(true);
    expect((await get(outsider, `/certificates/${first.id}`)).statusCode).toBe(403);
  });
});

describe('bad input on every read endpoint', () => {
  it('answers 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/products?page=0', 'page'],
      ['/bases?pageSize=1000', 'pageSize'],
      ['/customers?page=x', 'page'],
      ['/batches?status=lost', 'status'],
      ['/batches/not-a-uuid', 'id'],
      ['/batches/not-a-uuid/codes', 'id'],
      ['/codes/reservations/123', 'id'],
      ['/codes/reservations/123/file', 'id'],
      ['/certificates?batchId=1', 'batchId'],
      ['/certificates/last?style=farmer', 'style'],
      ['/certificates/xyz', 'id'],
      ['/certificates/xyz/pdf', 'id'],
      ['/certificates/xyz/qr.svg', 'id'],
      ['/input-uses?baseId=1', 'baseId'],
    ];
    for (const [url, field] of cases) {
      const res = await get(farmer.token, url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(res.json().field, url).toBe(field);
    }
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/batches/${missing}`, `/certificates/${missing}`, `/codes/reservations/${missing}`])
      expect((await get(farmer.token, url)).statusCode, url).toBe(404);
    expect((await get(null, `/public/codes/${'9'.repeat(64)}`)).json().status).toBe('malformed');
    const long = await get(null, `/public/codes/${'9'.repeat(65)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().field).toBe('code');
    expect((await get(null, '/public/certificates/%20')).json().valid).toBe(false);
  });
});
