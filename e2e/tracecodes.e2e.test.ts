import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../src/kernel/idcodes.js';
import {
  ADMIN_PASSWORD,
  launchBrowser,
  makeAccount,
  MP4,
  phoneContext,
  pickCascade,
  pickOption,
  type Server,
  startServer,
  uiLogin,
  proofFiles,
} from './harness.js';

let server: Server;
let browser: Browser;
const FARMER = { username: 'lvyuan_coop', password: 'Lvyuan2026' };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // The county supervision station and an officer who approves the producer's registration (issue 3's flow).
  const admin = await server.token('admin', ADMIN_PASSWORD);
  const org = await server.api<{ id: string }>(admin, 'POST', '/organisations', {
    name: '从化区农产品质量安全监管站',
    kind: 'supervision',
    divisionCode: '440117',
  });
  expect(org.status).toBe(201);
  const officer = await makeAccount(server, admin, {
    username: 'ch_officer',
    displayName: '何强',
    orgId: org.body.id,
    roles: ['supervisor'],
    password: 'Officer2026',
  });
  const body17 = '93440117MA5TE7T01';
  const reg = await server.api<{ applicationId: string }>(null, 'POST', '/subjects/registrations', {
    files: await proofFiles(server),
    orgForm: 'cooperative',
    subjectType: 'production',
    industries: ['planting'],
    name: '从化区绿源果蔬专业合作社',
    certType: 'credit_code',
    certNo: body17 + creditCodeCheckChar(body17),
    legalPersonName: '钟伯',
    contactName: '钟伯',
    contactPhone: '13800138000',
    address: '温泉镇石南村',
    divisionCode: '440117103',
    ...FARMER,
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const ok = await server.api(officer, 'POST', `/subject-applications/${reg.body.applicationId}/approve`, {});
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('trace-code journey', () => {
  it('a producer on a phone creates a product, a base and a batch, downloads a label PDF with the code, and issues a certificate', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, FARMER.username, FARMER.password);
    await page.waitForURL((u) => u.pathname === '/');

    // Product and base.
    await page.goto('/trace/catalog');
    await page.getByTestId('product-new').click();
    await page.getByTestId('product-name').fill('豇豆');
    await page.getByTestId('product-submit').click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '豇豆' }).count()).toBe(1);
    await page.getByTestId('base-new').click();
    await page.getByTestId('base-name').fill('石南村一号基地');
    await pickCascade(page, page.locator('.ant-modal .ant-cascader'), ['温泉镇']);
    // A short video of the base (issue 17 item 8): uploaded in the form, played back in the list.
    await page.getByTestId('base-media-video').setInputFiles({ name: 'base.mp4', mimeType: 'video/mp4', buffer: MP4 });
    await expect.poll(() => page.locator('.ant-modal').getByTestId('video').count()).toBe(1);
    await page.getByTestId('base-submit').click();
    const baseRow = page.locator('.ant-table-row', { hasText: '石南村一号基地' });
    await expect.poll(() => baseRow.count()).toBe(1);
    await expect.poll(() => baseRow.getByTestId('base-media-list').getByTestId('video').count()).toBe(1);
    expect(await baseRow.getByTestId('video').getAttribute('src')).toMatch(/^\/api\/v1\/files\/[0-9a-f-]{36}$/);

    // Batch: product, base, quantity; the date defaults to today and the self-check to "pass".
    await page.goto('/trace/batches');
    await page.getByTestId('batch-new').click();
    await pickOption(page, page.getByTestId('batch-product'), '豇豆');
    await pickOption(page, page.getByTestId('batch-base'), '石南村一号基地');
    await page.getByTestId('batch-quantity').fill('500');
    await page.getByTestId('batch-submit').click();
    await page.waitForURL(/\/trace\/batches\/[0-9a-f-]{36}$/);
    const code = ((await page.getByTestId('batch-code').textContent()) ?? '').trim();
    expect(code).toMatch(/^\d{20}$/);

    // Label PDF.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('label-download').click()]);
    const pdf = readFileSync((await dl.path()) as string);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.includes(Buffer.from(code))).toBe(true);
    expect(pdf.toString('latin1')).toContain('%%EOF');

    // Certificate.
    await page.getByTestId('cert-new').click();
    await page.getByTestId('cert-quantity').fill('100');
    await page.getByTestId('cert-submit').click();
    await expect
      .poll(async () => (await page.getByTestId('cert-qrtext').textContent()) ?? '')
      .toContain('承诺达标合格证');
    expect(await page.getByTestId('cert-qrtext').textContent()).toContain('豇豆');
    // The second certificate of the day: "repeat last" needs only the quantity.
    await page.getByTestId('cert-new').click();
    await page.getByTestId('cert-quantity').fill('50');
    await page.getByTestId('cert-repeat').click();
    await expect.poll(async () => (await page.getByTestId('cert-qrtext').textContent()) ?? '').toContain('数量:50kg');
    await expect.poll(() => page.locator('.ant-table-row', { hasText: 'HG' }).count()).toBe(2);

    // Anyone can verify the code and the certificate.
    const resolved = await server.api<{ status: string }>(null, 'GET', `/public/codes/${code}`);
    expect(resolved.body.status).toBe('active');
    await ctx.close();
  });
});
