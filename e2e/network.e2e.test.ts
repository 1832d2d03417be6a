/**
 * Chains across platforms in the browser (issue 15 item 3): national, Guangdong and Sichuan, each a real server
 * process with the built UI, connected over the signed sharing channel. A Guangdong farmer sells to a Sichuan buyer
 * (by its identity code); the buyer sees the incoming sale on Sichuan's receive page and confirms it; national opens
 * a recall across platforms from its recalls page, sees its detail, and the Sichuan buyer's acknowledgement comes
 * back up as progress on that page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerApproved,
  ADMIN_PASSWORD,
  type Server,
  desktopContext,
  freePort,
  launchBrowser,
  phoneContext,
  startServer,
  uiLogin,
} from './harness.js';

let national: Server;
let gd: Server;
let sc: Server;
let browser: Browser;
const FARMER = { username: 'gd_lizhi', password: 'Lizhi2026ok' };
const BUYER = { username: 'sc_guopin', password: 'Guopin2026ok' };
let lotCode = '';
let saleId = '';

const register = (server: Server, admin: string, n: number, body: Record<string, unknown>) =>
  registerApproved(
    server,
    admin,
    (`93${body.divisionCode as string}`.slice(0, 8).padEnd(8, '0') + `MA5TE7T${n}X`).slice(0, 17),
    { contactPhone: `1390013900${n}`, ...body },
  );

async function connect(lower: Server, platformId: string) {
  const admin = await lower.token('admin', ADMIN_PASSWORD);
  const applied = await lower.api(admin, 'POST', '/sharing/connections/apply', {
    contactName: '平台',
    contactPhone: '13800138000',
  });
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  const nat = await national.token('admin', ADMIN_PASSWORD);
  const list = await national.api<{ items: { id: string; platformId: string }[] }>(nat, 'GET', '/sharing/connections');
  const conn = list.body.items.find((i) => i.platformId === platformId);
  const ok = await national.api(nat, 'POST', `/sharing/connections/${conn?.id}/actions`, { action: 'approve' });
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  for (let i = 0; !(await lower.api<{ available: boolean }>(null, 'GET', '/sso/status')).body.available; i++) {
    if (i > 600) throw new Error(`${platformId} never learnt the approval`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Retries `f` until it returns a value (the sharing loops deliver within seconds). */
async function eventually<T>(what: string, f: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  const [pn, pg, ps] = [await freePort(), await freePort(), await freePort()];
  const nUrl = `http://127.0.0.1:${pn}`;
  const lower = (region: string, port: number) =>
    startServer(
      {
        PLATFORM_TIER: 'province',
        PLATFORM_REGION: region,
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        UPPER_PLATFORM_URL: nUrl,
      },
      { port, timeoutMs: 400_000 },
    );
  national = await startServer({ PLATFORM_TIER: 'national', PUBLIC_BASE_URL: nUrl }, { port: pn, timeoutMs: 400_000 });
  [gd, sc] = await Promise.all([lower('44', pg), lower('51', ps)]);
  await connect(gd, 'province-44');
  await connect(sc, 'province-51');
  const gdAdmin = await gd.token('admin', ADMIN_PASSWORD);
  const scAdmin = await sc.token('admin', ADMIN_PASSWORD);
  await register(gd, gdAdmin, 1, {
    subjectType: 'production',
    name: '从化区荔乡果蔬专业合作社',
    address: '温泉镇石南村',
    divisionCode: '440117103',
    ...FARMER,
  });
  await register(sc, scAdmin, 2, {
    subjectType: 'operation',
    name: '锦江区蜀鲜果品经营部',
    address: '锦江区某路 2 号',
    divisionCode: '510104',
    ...BUYER,
  });
  const buyerCode = (
    await sc.api<{ identityCode: string }>(await sc.token(BUYER.username, BUYER.password), 'GET', '/my-subject')
  ).body.identityCode;
  const farmer = await gd.token(FARMER.username, FARMER.password);
  const product = await gd.api<{ id: string }>(farmer, 'POST', '/products', { name: '荔枝', industry: 'planting' });
  const batch = await gd.api<{ id: string; code: string }>(farmer, 'POST', '/batches', {
    productId: product.body.id,
    baseId: null,
    quantity: 800,
    producedAt: new Date().toISOString(),
    selfCheck: 'pass',
  });
  expect(batch.status, JSON.stringify(batch.body)).toBe(201);
  lotCode = batch.body.code;
  // The buyer's registration reaches national's registry with Sichuan's next push: until then the code is unknown.
  saleId = await eventually('the buyer known at national', async () => {
    const s = await gd.api<{ id: string }>(farmer, 'POST', '/sales', {
      batchId: batch.body.id,
      quantity: 300,
      buyerKind: 'registered',
      buyerIdentityCode: buyerCode,
    });
    return s.status === 201 ? s.body.id : undefined;
  });
  browser = await launchBrowser();
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([sc?.stop(), gd?.stop(), national?.stop()]);
});

describe('chains across platforms in the browser', () => {
  let buyerPage: Page;

  it('shows the Sichuan buyer the sale from Guangdong, confirmed on its phone', async () => {
    const ctx = await phoneContext(browser, sc.url);
    buyerPage = await ctx.newPage();
    await uiLogin(buyerPage, BUYER.username, BUYER.password);
    await buyerPage.waitForURL((u) => u.pathname === '/');
    // The sale travels up and down the channel: reload the receive page until it is there.
    await expect
      .poll(
        async () => {
          await buyerPage.goto('/chain/receive');
          return buyerPage
            .getByTestId(`incoming-${saleId}`)
            .waitFor({ timeout: 3_000 })
            .then(() => true)
            .catch(() => false);
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toBe(true);
    const item = buyerPage.getByTestId(`pending-${saleId}`);
    await expect.poll(() => item.textContent()).toContain('从化区荔乡果蔬专业合作社');
    await expect.poll(() => item.textContent()).toContain('广东省平台');
    await item.getByTestId('receive-accept').click();
    await buyerPage.getByTestId('receive-done').waitFor();
    const receipt = (await buyerPage.getByTestId('receipt-code').textContent()) ?? '';
    expect(receipt.trim()).toMatch(/^\d{20}$|^[0-9A-Z]+$/);
    expect(await buyerPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(362);
  });

  it('opens a recall across platforms at national and follows its progress', async () => {
    const nat = await national.token('admin', ADMIN_PASSWORD);
    // National's lineage knows both lots once Sichuan's receipt has been shared up.
    await eventually('the chain at national', async () => {
      const r = await national.api<{ platforms: string[] }>(
        nat,
        'GET',
        `/network/lineage?code=${encodeURIComponent(lotCode)}`,
      );
      return r.status === 200 && r.body.platforms.length === 2 ? true : undefined;
    });
    const ctx = await desktopContext(browser, national.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    // The national lineage, from the trace page.
    await page.goto('/chain/trace');
    await page.getByTestId('trace-code').fill(lotCode);
    await page.getByTestId('trace-network').click();
    await page.waitForURL((u) => u.pathname === '/chain/network');
    await expect.poll(() => page.getByTestId('network-nodes').textContent()).toContain('四川省平台');
    await page.goto('/chain/recalls');
    await page.getByTestId('network-recall-open').click();
    await page.getByTestId('network-recall-code').fill(lotCode);
    await page.getByTestId('network-recall-reason').fill('抽检不合格：多菌灵超标');
    await page.getByTestId('network-recall-confirm').click();
    await page.waitForURL((u) => u.pathname.startsWith('/chain/network-recalls/'));
    await expect.poll(() => page.getByTestId('network-recall-reason').textContent()).toBe('抽检不合格：多菌灵超标');
    await page.getByTestId('network-recall-platform-province-44').waitFor();
    await page.getByTestId('network-recall-platform-province-51').waitFor();
    // Sichuan reports its recall back: one holder, not yet acknowledged.
    const ack51 = page.getByTestId('network-recall-ack-province-51');
    const reported = () =>
      expect.poll(
        async () => {
          await page.reload();
          return ack51.textContent({ timeout: 3_000 }).catch(() => '');
        },
        { timeout: 120_000, interval: 1_000 },
      );
    await reported().toContain('0/1');

    // The buyer acknowledges on Sichuan (from its recall notice) ...
    await buyerPage.goto('/chain/recalls');
    await buyerPage.locator('.ant-table-row').first().click();
    await buyerPage.getByTestId('recall-ack').click();
    await buyerPage.getByTestId('recall-ack-ok').click();
    await expect.poll(() => buyerPage.getByTestId('recall-ack').count()).toBe(0);
    // ... and national's detail shows it.
    await reported().toContain('1/1');
    // The same page in English names the platforms in English, on a phone.
    const en = await phoneContext(browser, national.url);
    await en.addInitScript(() => localStorage.setItem('suyuan.lang', 'en'));
    const phone = await en.newPage();
    await uiLogin(phone, 'admin', ADMIN_PASSWORD);
    await phone.waitForURL((u) => u.pathname === '/');
    await phone.goto(page.url().replace(national.url, ''));
    const card = phone.getByTestId('network-recall-platform-province-51');
    await expect.poll(() => card.textContent()).toContain('Sichuan platform');
    await expect.poll(() => card.textContent()).toContain('Acknowledged 1/1');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(362);
  });
});
