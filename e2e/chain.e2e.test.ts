import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  registerApproved,
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  makeAccount,
  phoneContext,
  pickOption,
  type Server,
  startServer,
  uiLogin,
} from './harness.js';

/**
 * The chain journey (issue 5): a farmer sells to a buyer → the buyer confirms by scanning → the buyer repacks and
 * sells into a market → the market gate verifies → the county regulator sees the whole chain and opens a recall →
 * the buyer acknowledges. Farmer, buyer and gate work on phones; the regulator on a desktop.
 */
let server: Server;
let browser: Browser;
const FARMER = { username: 'lvyuan_coop', password: 'Lvyuan2026' };
const BUYER = { username: 'xianda_trade', password: 'Xianda2026' };
const MARKET = { username: 'jiangnan_mkt', password: 'Jiangnan2026' };
const GATE = { username: 'jiangnan_gate', password: 'Gate2026ok' };
const OFFICER = { username: 'ch_officer', password: 'Officer2026' };
let buyerCode = '';
let marketCode = '';
let batchId = '';

const register = (admin: string, n: number, body: Record<string, unknown>) =>
  registerApproved(server, admin, `93440${String(100 + n)}MA5TE7T0${n}`.slice(0, 17), {
    legalPersonName: '钟伯',
    contactName: '钟伯',
    contactPhone: `1380013800${n}`,
    ...body,
  });

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await server.token('admin', ADMIN_PASSWORD);
  await register(admin, 1, {
    subjectType: 'production',
    name: '从化区绿源果蔬专业合作社',
    address: '温泉镇石南村',
    divisionCode: '440117103',
    ...FARMER,
  });
  await register(admin, 2, {
    subjectType: 'operation',
    name: '荔湾区鲜达农产品经营部',
    address: '荔湾区某路 1 号',
    divisionCode: '440103',
    ...BUYER,
  });
  await register(admin, 3, {
    subjectType: 'operation',
    name: '广州江南果菜批发市场',
    address: '白云区江南市场',
    divisionCode: '440111',
    ...MARKET,
  });
  const farmer = await server.token(FARMER.username, FARMER.password);
  buyerCode = (
    await server.api<{ identityCode: string }>(await server.token(BUYER.username, BUYER.password), 'GET', '/my-subject')
  ).body.identityCode;
  const market = await server.api<{ identityCode: string; orgId: string }>(
    await server.token(MARKET.username, MARKET.password),
    'GET',
    '/my-subject',
  );
  marketCode = market.body.identityCode;
  expect(buyerCode).toBeTruthy();
  // The market's gate checker (市场入市查验员), an account of the market's organisation.
  await makeAccount(server, admin, {
    username: GATE.username,
    displayName: '门岗小李',
    orgId: market.body.orgId,
    roles: ['market_staff'],
    password: GATE.password,
  });
  // The county regulator.
  const org = await server.api<{ id: string }>(admin, 'POST', '/organisations', {
    name: '从化区农产品质量安全监管站',
    kind: 'supervision',
    divisionCode: '440117',
  });
  await makeAccount(server, admin, {
    username: OFFICER.username,
    displayName: '何强',
    orgId: org.body.id,
    roles: ['supervisor'],
    password: OFFICER.password,
  });
  // The farmer's batch with a certificate (the batch pages are issue 4's journey).
  const product = await server.api<{ id: string }>(farmer, 'POST', '/products', { name: '豇豆', industry: 'planting' });
  const base = await server.api<{ id: string }>(farmer, 'POST', '/bases', {
    name: '石南村一号基地',
    divisionCode: '440117103',
  });
  const batch = await server.api<{ id: string }>(farmer, 'POST', '/batches', {
    productId: product.body.id,
    baseId: base.body.id,
    quantity: 500,
    producedAt: new Date().toISOString(),
    selfCheck: 'pass',
  });
  expect(batch.status, JSON.stringify(batch.body)).toBe(201);
  batchId = batch.body.id;
  expect(
    (await server.api(farmer, 'POST', '/certificates', { batchId, quantity: 500, basis: ['self_test'] })).status,
  ).toBe(201);
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phone(user: { username: string; password: string }): Promise<Page> {
  const ctx = await phoneContext(browser, server.url);
  const page = await ctx.newPage();
  await uiLogin(page, user.username, user.password);
  await page.waitForURL((u) => u.pathname === '/');
  return page;
}

describe('chain journey', () => {
  let farmCode = '';
  let receiptCode = '';
  it('farm → buyer → repack → market → gate → regulator → recall → acknowledgement', async () => {
    // 1. The farmer sells 200 kg to the buyer by its identity code.
    const farmer = await phone(FARMER);
    await farmer.goto('/chain/sell');
    await pickOption(farmer, farmer.getByTestId('sell-batch'), '豇豆');
    await farmer.getByTestId('sell-quantity').fill('200');
    await farmer.getByTestId('sell-buyer-code').fill(buyerCode);
    await farmer.getByTestId('sell-submit').click();
    await expect.poll(async () => (await farmer.getByTestId('sell-done').textContent()) ?? '').toContain('等待');
    farmCode = (
      await server.api<{ code: string }>(
        await server.token(FARMER.username, FARMER.password),
        'GET',
        `/batches/${batchId}`,
      )
    ).body.code;

    // 2. The buyer scans the code on the goods and confirms in one click; a notification announced it.
    const buyer = await phone(BUYER);
    await buyer.goto('/chain/receive');
    await expect.poll(() => buyer.locator('[data-testid^="pending-"]').count()).toBe(1);
    await buyer.getByTestId('receive-code').fill(farmCode);
    await buyer.getByTestId('receive-scan-accept').click();
    receiptCode = ((await buyer.getByTestId('receipt-code').textContent()) ?? '').trim();
    expect(receiptCode).toMatch(/^2\d{19}$/);

    // 3. The buyer repacks 150 kg (new batch, new code, certificate re-issued) and sells 100 kg into the market.
    await buyer.getByRole('button', { name: /分装/ }).click();
    await buyer.waitForURL(/\/chain\/repack/);
    await buyer.getByTestId('repack-quantity').fill('150');
    await buyer.getByTestId('repack-submit').click();
    await expect
      .poll(async () => (await buyer.getByTestId('repack-done').textContent()) ?? '')
      .toContain('已重新开具合格证');
    await buyer.getByTestId('repack-done').getByRole('button', { name: '销售' }).click();
    await buyer.waitForURL(/\/chain\/sell\?batch=/);
    await buyer.getByTestId('sell-quantity').fill('100');
    await buyer.getByTestId('sell-kind').getByText('进入市场').click();
    await buyer.getByTestId('sell-buyer-code').fill(marketCode);
    await buyer.getByTestId('sell-submit').click();
    const voucher = ((await buyer.getByTestId('voucher-code').textContent()) ?? '').trim();
    expect(voucher).toMatch(/^3\d{19}$/);
    const [dl] = await Promise.all([buyer.waitForEvent('download'), buyer.getByTestId('voucher-print').click()]);
    const pdf = readFileSync((await dl.path()) as string);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // 4. The market gate scans the voucher on a phone: verified, and a forged one is refused with the reason.
    const gate = await phone(GATE);
    await gate.goto('/chain/gate');
    await gate.getByTestId('gate-code').fill(voucher);
    await gate.getByTestId('gate-check').click();
    await expect.poll(() => gate.getByTestId('gate-result').getAttribute('data-verified')).toBe('true');
    await gate.getByTestId('gate-code').fill(`${voucher.slice(0, 10)}9${voucher.slice(11)}`);
    await gate.getByTestId('gate-check').click();
    await expect.poll(() => gate.getByTestId('gate-result').getAttribute('data-verified')).toBe('false');

    // 5. The county regulator sees the whole chain (farm → buyer → repack → market) and opens a recall.
    const ctx = await desktopContext(browser, server.url);
    const officer = await ctx.newPage();
    await uiLogin(officer, OFFICER.username, OFFICER.password);
    await officer.waitForURL((u) => u.pathname === '/');
    await officer.goto('/chain/trace');
    await officer.getByTestId('trace-code').fill(farmCode);
    await officer.getByTestId('trace-find').click();
    await officer.waitForURL(/\/chain\/trace\/[0-9a-f-]{36}$/);
    await expect.poll(() => officer.getByTestId('trace-table').locator('.ant-table-row').count()).toBe(3);
    // The buyer and the market are in other counties: masked lots, named by their division (seed 003 本辖区).
    const table = (await officer.getByTestId('trace-table').textContent()) ?? '';
    expect(table).not.toContain('荔湾区鲜达农产品经营部');
    expect(table).toContain('辖区外主体');
    expect(table).toContain('荔湾区');
    expect(table).toContain('从化区绿源果蔬专业合作社');
    await expect.poll(() => officer.locator('[data-testid="chain-graph"] canvas').count()).toBeGreaterThan(0);
    await officer.getByTestId('recall-open').click();
    await officer.getByTestId('recall-reason').fill('抽检发现腐霉利残留超标');
    await officer.getByTestId('recall-confirm').click();
    await officer.waitForURL(/\/chain\/recalls\/[0-9a-f-]{36}$/);
    expect(await officer.getByTestId('recall-notices').textContent()).toContain('广州江南果菜批发市场');

    // 6. The buyer sees the recall in the bell and acknowledges it; the regulator's progress follows.
    await buyer.goto('/');
    await buyer.getByTestId('notification-bell').click();
    await buyer.getByTestId('notification-item').filter({ hasText: '召回通知' }).first().click();
    await buyer.waitForURL(/\/chain\/recalls\//);
    await buyer.getByTestId('recall-ack').click();
    // The acknowledgement is a write on a loaded machine: wait for its answer (test timeout), not a 15 s poll.
    const acknowledged = buyer.waitForResponse(
      (res) => res.request().method() === 'POST' && /\/recalls\/[^/]+\/acknowledge$/.test(new URL(res.url()).pathname),
      { timeout: 150_000 },
    );
    await buyer.getByTestId('recall-ack-ok').click();
    expect((await acknowledged).status()).toBe(200);
    await expect.poll(async () => (await buyer.getByTestId('recall-notices').textContent()) ?? '').toContain('已确认');
    await officer.reload();
    await expect
      .poll(async () => (await officer.getByTestId('recall-notices').textContent()) ?? '')
      .toContain('已确认');
    await ctx.close();
  }, 180_000);
});
