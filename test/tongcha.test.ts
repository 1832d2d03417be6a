/**
 * 通查通识 (issue 15 item 2): national and Guangdong, each its own app and database on 127.0.0.1, the connection
 * applied for and approved; a code issued on either platform resolves on the other's public page and JSON, naming
 * its issuer; an unknown issuer is the normal not-found answer; a dead or silent remote is "unavailable", quickly.
 */
import { type Server, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortCode } from '../src/kernel/codes.js';
import { queryLogOf } from '../src/modules/public/log.js';
import { PublicTrace } from '../src/modules/public/schemas.js';
import { pushOnce } from '../src/modules/sharing/worker.js';
import { type TestApp, makeProducer, testApp } from './helpers.js';
import { freePort } from './server.js';

let national: TestApp;
let gd: TestApp;
let county: TestApp;
const url = {} as Record<'national' | 'gd' | 'county', string>;
let silent: Server;

async function start(env: Record<string, string>) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await testApp({ ...env, PUBLIC_BASE_URL: base, PUBLIC_REMOTE_TIMEOUT_MS: '800' });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { t, base };
}

/** A producer on `t` with one production batch; returns the batch's trace code. */
async function batchCode(t: TestApp, username: string, division: string, product: string): Promise<string> {
  const p = await makeProducer(t, { username, name: `${product}合作社`, divisionCode: division });
  const prod = await t.req(p.token, {
    method: 'POST',
    url: '/api/v1/products',
    payload: { name: product, industry: 'planting' },
  });
  expect(prod.statusCode, prod.body).toBe(201);
  const b = await t.req(p.token, {
    method: 'POST',
    url: '/api/v1/batches',
    payload: { productId: prod.json().id, quantity: 100, producedAt: '2026-11-20T08:00:00+08:00', selfCheck: 'pass' },
  });
  expect(b.statusCode, b.body).toBe(201);
  return b.json().code as string;
}

const page = async (base: string, code: string) => {
  const res = await fetch(`${base}/t/${code}`);
  return { status: res.status, html: await res.text() };
};
const json = async (base: string, code: string) => {
  const res = await fetch(`${base}/api/v1/public/trace/${code}`);
  return { status: res.status, body: await res.json() };
};
const gdCode = (serial: number) => shortCode({ kind: 'production', platform: '440000', serial });

/** `lower` applies to `upper`, which approves; the lower platform's heartbeat learns the approval. */
async function connect(lower: TestApp, upper: TestApp, platformId: string) {
  const applied = await lower.req(await lower.login('admin'), {
    method: 'POST',
    url: '/api/v1/sharing/connections/apply',
    payload: { contactName: '对接人', contactPhone: '13800138000' },
  });
  expect(applied.statusCode, applied.body).toBe(200);
  const admin = await upper.login('admin');
  const list = await upper.req(admin, { method: 'GET', url: '/api/v1/sharing/connections' });
  const row = list.json().items.find((i: { platformId: string }) => i.platformId === platformId);
  const ok = await upper.req(admin, {
    method: 'POST',
    url: `/api/v1/sharing/connections/${row.id}/actions`,
    payload: { action: 'approve' },
  });
  expect(ok.statusCode, ok.body).toBe(200);
  await pushOnce(lower.database.db, lower.app.config, true);
}

beforeAll(async () => {
  ({ t: national, base: url.national } = await start({ PLATFORM_TIER: 'national' }));
  ({ t: gd, base: url.gd } = await start({
    PLATFORM_TIER: 'province',
    PLATFORM_REGION: '44',
    UPPER_PLATFORM_URL: url.national,
    PUBLIC_RATE_LIMIT: '15', // national relays many consumers' lookups from one address: signed, spared
  }));
  ({ t: county, base: url.county } = await start({
    PLATFORM_TIER: 'county',
    PLATFORM_REGION: '440117',
    UPPER_PLATFORM_URL: url.gd,
  }));
  await connect(gd, national, 'province-44');
  await connect(county, gd, 'county-440117');
}, 600_000);
afterAll(async () => {
  silent?.close();
  await county?.close();
  await gd?.close();
  await national?.close();
});

describe('通查通识: every platform resolves every code', () => {
  it("resolves a Guangdong code on national's page and JSON, naming the issuer, at consumer level", async () => {
    const code = await batchCode(gd, 'gd_farm', '440117', '从化荔枝');
    const p = await page(url.national, code);
    expect(p.status).toBe(200);
    expect(p.html).toContain('从化荔枝');
    expect(p.html).toContain('由 广东省平台 签发 · Issued by the Guangdong platform');
    expect(p.html).not.toContain('请到签发平台');
    const j = await json(url.national, code);
    expect(j.status).toBe(200);
    expect(j.body).toMatchObject({
      code,
      status: 'active',
      issuer: { platformId: 'province-44', tier: 'province', region: '44', name: '广东省平台' },
    });
    expect(j.body.origins[0].product.name).toBe('从化荔枝');
    // Exactly what Guangdong shows a consumer, nothing more.
    const own = await json(url.gd, code);
    expect(own.status).toBe(200);
    expect({ ...j.body, issuer: null }).toEqual({ ...own.body, issuer: null });
    for (const k of Object.keys(j.body)) expect(Object.keys(PublicTrace.properties)).toContain(k);
    // Guangdong names itself the issuer of its own code too.
    expect(own.body.issuer).toMatchObject({ platformId: 'province-44' });
  });

  it('asks the issuer once for many lookups of one code (cached, concurrent requests shared)', async () => {
    const code = await batchCode(gd, 'gd_farm3', '440117', '从化番薯');
    const answers = await Promise.all(Array.from({ length: 6 }, () => json(url.national, code)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await page(url.national, code)).status).toBe(200);
    await queryLogOf(gd.app).flush();
    const asked = await gd.database.db
      .selectFrom('query_log')
      .select((e) => e.fn.countAll<number>().as('n'))
      .where('code', '=', code)
      .executeTakeFirstOrThrow();
    expect(Number(asked.n)).toBe(1);
  });

  it("resolves a national code on Guangdong's page (asked upward)", async () => {
    const code = await batchCode(national, 'bj_farm', '110101', '京郊白菜');
    const p = await page(url.gd, code);
    expect(p.status).toBe(200);
    expect(p.html).toContain('京郊白菜');
    expect(p.html).toContain('由 国家平台 签发 · Issued by the national platform');
    const j = await json(url.gd, code);
    expect(j.body.issuer).toMatchObject({ platformId: 'national', tier: 'national' });
  });

  it('relays through the province: a county code on national, a national code on the county', async () => {
    const code = await batchCode(county, 'ch_farm', '440117', '温泉蜜柚');
    const j = await json(url.national, code);
    expect(j.status).toBe(200);
    expect(j.body.origins[0].product.name).toBe('温泉蜜柚');
    expect(j.body.issuer).toMatchObject({ platformId: 'county-440117', tier: 'county', name: '从化区平台' });
    const p = await page(url.national, code);
    expect(p.html).toContain('由 从化区平台 签发');
    const natCode = await batchCode(national, 'bj_farm2', '110101', '京郊萝卜');
    const up = await json(url.county, natCode);
    expect(up.status).toBe(200);
    expect(up.body.origins[0].product.name).toBe('京郊萝卜');
  });

  it('answers an unknown issuer or an unknown serial with the normal not-found page', async () => {
    const sichuan = shortCode({ kind: 'production', platform: '510000', serial: 7 });
    for (const base of [url.national, url.gd]) {
      const p = await page(base, sichuan);
      expect(p.status).toBe(404);
      expect(p.html).toContain('查无此码');
      expect(p.html).toContain('No such code');
      expect(p.html).not.toContain('签发平台查询');
    }
    const j = await json(url.national, gdCode(987_654));
    expect(j.status).toBe(404);
    expect(j.body).toMatchObject({ status: 'unknown', issuer: { platformId: 'province-44' } });
  });

  it("spares a connected platform's signed lookups the per-client rate limit", async () => {
    // 20 relayed lookups within the minute, more than Guangdong's 15 per client; in waves of 4 so that a loaded
    // machine does not push a relay past its 2 s timeout (which would answer 'unavailable', not a rate limit).
    const answers = [];
    for (let w = 0; w < 5; w++)
      answers.push(
        ...(await Promise.all(Array.from({ length: 4 }, (_, i) => json(url.national, gdCode(700 + w * 4 + i))))),
      );
    expect(answers.map((a) => a.body.status)).toEqual(Array(20).fill('unknown'));
    // A forged signature is not spared: the limit (15/minute at Guangdong) applies to this client.
    const forged = { 'x-suyuan-platform': 'national', 'x-suyuan-signed-at': new Date().toISOString() };
    const direct = [];
    for (let i = 0; i < 16; i++)
      direct.push(
        (
          await fetch(`${url.gd}/api/v1/public/trace/${gdCode(800 + i)}`, {
            headers: { ...forged, 'x-suyuan-signature': 'AAAA' },
          })
        ).status,
      );
    expect(direct).toContain(429);
  });

  it('stops a relay loop without spoiling the answer for consumers', async () => {
    const code = await batchCode(gd, 'gd_farm2', '440117', '增城丝苗米');
    const looped = await fetch(`${url.national}/api/v1/public/trace/${code}`, {
      headers: { 'x-suyuan-relay-hops': '3' },
    });
    expect(looped.status).toBe(503);
    expect((await looped.json()).status).toBe('unavailable');
    const j = await json(url.national, code);
    expect(j.status).toBe(200);
    expect(j.body.origins[0].product.name).toBe('增城丝苗米');
  });

  it('answers "unavailable" without hanging when the issuer is silent or down', { timeout: 15_000 }, async () => {
    // A listener that accepts and never answers, then a port nobody listens on.
    silent = createServer(() => {});
    const silentPort = await freePort();
    await new Promise<void>((r) => silent.listen(silentPort, '127.0.0.1', r));
    const deadPort = await freePort();
    const setEntry = (entry: string) =>
      national.database.db
        .updateTable('platform_connection')
        .set({ entry_url: entry })
        .where('platform_id', '=', 'province-44')
        .execute();
    for (const [i, entry] of [`http://127.0.0.1:${silentPort}`, `http://127.0.0.1:${deadPort}`].entries()) {
      await setEntry(entry);
      const code = gdCode(500 + i);
      const j = await json(url.national, code);
      expect(j.status).toBe(503);
      expect(j.body).toMatchObject({ status: 'unavailable', issuer: { name: '广东省平台' } });
      const p = await page(url.national, code); // cached: answered at once
      expect(p.status).toBe(503);
      expect(p.html).toContain('暂时无法连接');
      expect(p.html).toContain('Issued by the Guangdong platform');
    }
  });
});
