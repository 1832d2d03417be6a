import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  phoneContext,
  pickOption,
  type Server,
  startServer,
  uiLogin,
} from './harness.js';

/**
 * Issue 18 in a browser, on the demo data (`DEMO=true`: Conghua county with producers, a chain, samples and results):
 * the county supervisor reads the dashboard and its monthly report, acknowledges and handles a warning, and runs an
 * incident from a trace code — the affected batches on the offline map, a task dispatched, accepted and completed,
 * the report downloaded.
 */
let server: Server;
let browser: Browser;
let code: string;
const SUP = { username: 'ch_sup', password: 'Demo12345' };

beforeAll(async () => {
  // The demo is filled before the server listens; 2,000 origin records instead of 50,000 keep the start short.
  server = await startServer({ DEMO: 'true', DEMO_ORIGIN_RECORDS: '2000' }, { timeoutMs: 400_000 });
  browser = await launchBrowser();
  // The demo is filled after start: wait until the supervisor can sign in and a producer has a batch with a code.
  let farmer = '';
  for (let tries = 0; !farmer && tries < 120; tries++) {
    farmer = await server.token('demo_farmer', 'Demo12345').catch(() => '');
    if (!farmer) await new Promise((r) => setTimeout(r, 1_000));
  }
  expect(farmer).not.toBe('');
  const batches = await server.api<{ items: { code: string | null }[] }>(farmer, 'GET', '/batches?pageSize=50');
  code = batches.body.items.find((b) => b.code)?.code as string;
  expect(code).toBeTruthy();
  // Warnings are evaluated hourly; evaluate now so the county has some to handle.
  const admin = await server.token('admin', ADMIN_PASSWORD);
  expect((await server.api(admin, 'POST', '/warnings/evaluate', {})).status).toBeLessThan(300);
}, 500_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('decision support and emergency command', () => {
  it('the county supervisor reads the dashboard, exports it, and downloads the monthly report', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, SUP.username, SUP.password);
    await expect.poll(() => page.getByTestId('main-menu').isVisible()).toBe(true);
    await page.goto('/dashboard');
    // Live figures from the demo data: producers registered and samples taken are counted.
    const kpis = page.locator('[data-testid^="kpi-"] .ant-statistic-content-value');
    await expect.poll(() => kpis.count()).toBeGreaterThan(4);
    const values = (await kpis.allTextContents()).map((v) => Number(v.replace(/,/g, '')));
    expect(values.some((v) => v > 0)).toBe(true);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dash-report').click()]);
    const bytes = await pdf.createReadStream().then(
      (s) =>
        new Promise<Buffer>((resolve) => {
          const parts: Buffer[] = [];
          s.on('data', (b: Buffer) => parts.push(b));
          s.on('end', () => resolve(Buffer.concat(parts)));
        }),
    );
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // A figure drills down to its records.
    await page.locator('[data-testid^="kpi-"]').first().click();
    await expect.poll(() => page.locator('.ant-modal .ant-table, .ant-drawer .ant-table').count()).toBeGreaterThan(0);
    await ctx.close();
  });

  it('acknowledges and handles a warning with a trail', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, SUP.username, SUP.password);
    await expect.poll(() => page.getByTestId('main-menu').isVisible()).toBe(true);
    await page.goto('/warnings');
    const ack = page.locator('[data-testid^="ack-"]').first();
    await expect.poll(() => ack.count()).toBe(1);
    const id = (await ack.getAttribute('data-testid'))?.slice(4) as string;
    await ack.click();
    await expect.poll(() => page.getByTestId(`ack-${id}`).count()).toBe(0);
    // Acknowledged, it leaves the open list and waits in 处理中 to be handled.
    await pickOption(page, page.getByTestId('warning-status'), '处理中');
    const row = page.locator(`.ant-table-row[data-row-key="${id}"]`);
    await row.getByRole('button', { name: /处\s?置/ }).click();
    await page.locator('.ant-modal-wrap:visible textarea').fill('已约谈主体并加密抽检');
    await page.locator('.ant-modal-wrap:visible .ant-btn-primary').click();
    await expect.poll(() => row.count()).toBe(0);
    // Handled, with its trail: detected → acknowledged → handled with the outcome.
    await pickOption(page, page.getByTestId('warning-status'), '已处置');
    await row.locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => page.getByText('已约谈主体并加密抽检').count()).toBeGreaterThan(0);
    await ctx.close();
  });

  it('runs an incident from a trace code on a phone: affected batches on the map, a task dispatched and completed, the report', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, SUP.username, SUP.password);
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/incidents');
    await page.getByTestId('inc-title').fill('豇豆农残超标应急处置');
    await page.getByTestId('inc-code').fill(code);
    await page.getByTestId('inc-desc').fill('例行抽检发现克百威超标');
    await page.getByTestId('inc-open').click();
    const drawer = page.locator('.ant-drawer-open');
    await expect.poll(() => drawer.locator('.ant-table-row').count()).toBeGreaterThan(0);
    // The affected batches are drawn on the bundled boundaries (a canvas), not a blank chart.
    await expect.poll(() => drawer.getByTestId('incident-map').locator('canvas').count()).toBeGreaterThan(0);

    await pickOption(page, drawer.getByTestId('task-org'), '从化区农产品质量安全监管站');
    const deadline = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await drawer.getByTestId('task-deadline').fill(deadline);
    await drawer.getByTestId('task-instructions').fill('对同批次产品加密抽样');
    await drawer.getByTestId('task-dispatch').click();
    await expect.poll(() => drawer.getByTestId('task-accept').count()).toBe(1);
    await drawer.getByTestId('task-accept').click();
    await expect.poll(() => drawer.getByTestId('task-complete').count()).toBe(1);
    await drawer.getByTestId('task-complete').click();
    await page.getByTestId('incident-task-result').fill('抽样 3 批，均已送检');
    await page.locator('.ant-modal-wrap:visible .ant-btn-primary').click();
    await expect.poll(() => drawer.getByText('抽样 3 批，均已送检').count()).toBeGreaterThan(0);

    const [pdf] = await Promise.all([
      page.waitForEvent('download'),
      drawer.getByRole('button', { name: '事件报告 PDF' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    // The workspace fits the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await ctx.close();
  });
});
