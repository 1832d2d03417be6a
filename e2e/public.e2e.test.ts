import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Server, desktopContext, launchBrowser, phoneContext, startServer, uiLogin } from './harness.js';

/**
 * The public trace page on a phone: a consumer opens a code URL and sees the origin and nothing downstream; a
 * recalled code shows the warning; a mistyped code gets the hint; a complaint is submitted and reaches the county.
 * Data: the demo (DEMO=true): grower `lvyuan`, buyer `xianda`, county supervisor `ch_sup` (src/modules/public/demo.ts).
 */
let server: Server;
let browser: Browser;
let code: string;
let downstreamCode: string;
let recalledCode: string;
const PW = 'Demo12345';

beforeAll(async () => {
  server = await startServer({ DEMO: 'true', PUBLIC_RATE_LIMIT: '100000' });
  browser = await launchBrowser();
  const grower = await server.token('lvyuan', PW);
  const mine = await server.api<{ items: { batchNo: string; code: string }[] }>(grower, 'GET', '/batches');
  expect(mine.status, JSON.stringify(mine.body)).toBe(200);
  code = mine.body.items.find((b) => b.batchNo === '20261120-001')?.code as string;
  recalledCode = mine.body.items.find((b) => b.batchNo === '20261118-001')?.code as string;
  const buyer = await server.token('xianda', PW);
  downstreamCode = (await server.api<{ items: { code: string }[] }>(buyer, 'GET', '/batches')).body.items[0].code;
  expect(code && recalledCode && downstreamCode).toBeTruthy();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('public trace page on a phone', () => {
  it('opens a code URL: origin shown, nothing downstream, readable on a 360 px screen', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await page.goto(`/t/${code}`);
    await expect.poll(() => page.locator('#status').getAttribute('data-status')).toBe('active');
    const text = await page.locator('main').innerText();
    expect(text).toContain('豇豆');
    expect(text).toContain('温泉镇绿源果蔬合作社');
    expect(text).toContain('采收日期');
    expect(text).not.toContain('鲜达');
    // No horizontal scrolling on a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // The downstream buyer's code shows the grower's origin, never the buyer.
    await page.goto(`/t/${downstreamCode}`);
    const d = await page.locator('main').innerText();
    expect(d).toContain('温泉镇绿源果蔬合作社');
    expect(d).not.toContain('鲜达');
    await ctx.close();
  });

  it('a recalled code shows the warning', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await page.goto(`/t/${recalledCode}`);
    await expect.poll(() => page.locator('#status').getAttribute('data-status')).toBe('recalled');
    expect(await page.locator('#status').innerText()).toContain('召回');
    await ctx.close();
  });

  it('a mistyped code gets the hint and a link to the right one', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    const wrong = code.slice(0, 12) + code[13] + code[12] + code.slice(14);
    const res = await page.goto(`/t/${wrong === code ? `${code.slice(0, 19)}${(Number(code[19]) + 1) % 10}` : wrong}`);
    expect(res?.status()).toBe(404);
    expect(await page.locator('#hint').innerText()).toContain('校验位不符');
    // One typing error away from exactly the real code: the page offers it.
    expect(await page.locator(`a.suggestion[href="/t/${code}"]`).count()).toBe(1);
    await page.locator(`a.suggestion[href="/t/${code}"]`).click();
    await expect.poll(() => page.locator('#status').getAttribute('data-status')).toBe('active');
    await ctx.close();
  });

  it('a complaint is submitted from the page and reaches the county, which closes it with an outcome', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await page.goto(`/t/${code}`);
    await page.locator('#complain').click();
    await page.locator('#category').selectOption('quality');
    await page.locator('#text').fill('买到的豇豆有刺鼻农药味');
    await page.locator('#contactPhone').fill('13912345678');
    await page.locator('#submit').click();
    await expect.poll(() => page.locator('#done').count()).toBe(1);
    expect(await page.locator('main').innerText()).toContain('从化区农产品质量安全监管站');
    await ctx.close();

    const desk = await desktopContext(browser, server.url);
    const p = await desk.newPage();
    await uiLogin(p, 'ch_sup', PW);
    await expect.poll(() => p.getByTestId('main-menu').isVisible()).toBe(true);
    await p.goto('/complaints');
    await p.locator('.ant-table-row', { hasText: '刺鼻农药味' }).first().click();
    await p.getByTestId('complaint-accept').click();
    await expect.poll(() => p.getByTestId('complaint-state').innerText()).toBe('处理中');
    await p.getByTestId('complaint-outcome').fill('已抽检并责令整改');
    await p.getByTestId('complaint-close').click();
    await expect.poll(() => p.getByTestId('complaint-state').innerText()).toBe('已办结');
    await desk.close();
  });
});
