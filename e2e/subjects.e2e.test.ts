import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import {
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  makeAccount,
  phoneContext,
  pickCascade,
  type Server,
  startServer,
  uiLogin,
  proofFiles,
} from './harness.js';

// A 1×1 PNG: a photographed licence, as far as the server's type check is concerned.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a2d3b5f10000000049454e44ae426082',
  'hex',
);

let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await server.token('admin', ADMIN_PASSWORD);
  const org = await server.api<{ id: string }>(admin, 'POST', '/organisations', {
    name: '从化区农产品质量安全监管站',
    kind: 'supervision',
    divisionCode: '440117',
  });
  expect(org.status).toBe(201);
  await makeAccount(server, admin, {
    username: 'ch_reviewer',
    displayName: '从化区监管员 何强',
    orgId: org.body.id,
    roles: ['supervisor'],
    password: 'Reviewer123',
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function fillRegistration(p: Page, o: { name: string; certNo: string; username: string }) {
  await p.goto('/register');
  await p.getByTestId('reg-orgform').getByText('合作社').click();
  await p.getByTestId('reg-name').fill(o.name);
  await p.getByTestId('reg-certno').fill(o.certNo);
  await p.getByTestId('reg-legal').fill('李大山');
  await p.getByTestId('reg-contact').fill('李大山');
  await p.getByTestId('reg-phone').fill('13800138000');
  await pickCascade(p, p.locator('.ant-cascader').first(), ['广东省', '广州市', '从化区', '温泉镇']);
  await p.getByTestId('reg-address').fill('从化区温泉镇石海村');
  await p
    .locator('input[type=file]')
    .first()
    .setInputFiles({ name: '营业执照.png', mimeType: 'image/png', buffer: PNG });
  await expect.poll(() => p.getByTestId('uploaded-licence').isVisible()).toBe(true);
  await p.getByTestId('reg-username').fill(o.username);
  await p.getByTestId('reg-password').fill('Farmer2026');
  await p.getByTestId('reg-submit').click();
}

async function reviewerPage() {
  const ctx = await desktopContext(browser, server.url);
  const page = await ctx.newPage();
  await uiLogin(page, 'ch_reviewer', 'Reviewer123');
  await page.waitForURL((u) => u.pathname === '/');
  await page.goto('/subject-reviews');
  return { ctx, page };
}

describe('producer registration journey', () => {
  it('a farmer registers on a phone with a licence photo, the county approves, the farmer sees the identity QR', async () => {
    const phone = await phoneContext(browser, server.url);
    const p = await phone.newPage();
    await fillRegistration(p, {
      name: '从化石海荔枝专业合作社',
      certNo: makeCreditCode('93440117MA5E2E001'),
      username: '13800138000',
    });
    await expect.poll(() => p.getByTestId('reg-done').isVisible(), { timeout: 15_000 }).toBe(true);

    const { ctx, page } = await reviewerPage();
    const row = page.locator('.ant-table-row', { hasText: '从化石海荔枝专业合作社' });
    await expect.poll(() => row.count()).toBe(1);
    await row.getByTestId('review-open').click();
    await expect.poll(() => page.getByTestId('proof-image').count()).toBe(1);
    await page.keyboard.press('Escape');
    await row.getByTestId('review-approve').click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '从化石海荔枝专业合作社' }).count()).toBe(0);
    await ctx.close();

    await uiLogin(p, '13800138000', 'Farmer2026');
    await p.waitForURL((u) => u.pathname === '/');
    await p.goto('/my-subject');
    await expect.poll(() => p.getByTestId('identity-code').textContent()).toMatch(/^HC93440117MA5E2E001/);
    await expect
      .poll(() => p.getByTestId('identity-qr').evaluate((img) => (img as HTMLImageElement).naturalWidth))
      .toBeGreaterThan(0);
    await phone.close();
  });

  it('a rejected application is corrected and then approved', async () => {
    const certNo = makeCreditCode('93440117MA5E2E002');
    const reg = await server.api<{ applicationId: string }>(null, 'POST', '/subjects/registrations', {
      files: await proofFiles(server),
      orgForm: 'cooperative',
      subjectType: 'production',
      industries: ['planting'],
      name: '良口菜心合作社',
      certType: 'credit_code',
      certNo,
      legalPersonName: '王',
      contactName: '王',
      contactPhone: '13900139000',
      address: '良口镇',
      divisionCode: '440117104',
      username: 'liangkou',
      password: 'Farmer2026',
    });
    expect(reg.status).toBe(201);

    const { ctx, page } = await reviewerPage();
    await page.locator('.ant-table-row', { hasText: '良口菜心合作社' }).getByTestId('review-reject').click();
    await page.getByTestId('reject-reason').fill('地址不详细，请写到村组门牌');
    await page.getByTestId('reject-submit').click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '良口菜心合作社' }).count()).toBe(0);

    const phone = await phoneContext(browser, server.url);
    const p = await phone.newPage();
    await uiLogin(p, 'liangkou', 'Farmer2026');
    await p.waitForURL((u) => u.pathname === '/');
    await p.goto('/my-subject');
    await expect.poll(() => p.getByTestId('rejected-note').textContent()).toContain('村组门牌');
    await p.getByTestId('resubmit-open').click();
    await p.getByTestId('reg-address').fill('良口镇塘料村三社 8 号');
    await p.getByTestId('resubmit-submit').click();
    await expect.poll(() => p.getByTestId('pending-note').isVisible()).toBe(true);

    await page.reload();
    const row = page.locator('.ant-table-row', { hasText: '良口菜心合作社' });
    await expect.poll(() => row.count()).toBe(1);
    await row.getByTestId('review-approve').click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '良口菜心合作社' }).count()).toBe(0);
    await ctx.close();

    await p.reload();
    await expect.poll(() => p.getByTestId('identity-code').textContent()).toMatch(/^HC/);
    await phone.close();
  });

  it('a duplicate credit code is refused with a clear message', async () => {
    const phone = await phoneContext(browser, server.url);
    const p = await phone.newPage();
    await fillRegistration(p, { name: '冒名合作社', certNo: makeCreditCode('93440117MA5E2E001'), username: 'copycat' });
    await expect
      .poll(() => p.getByTestId('error').first().textContent(), { timeout: 15_000 })
      .toContain('该统一社会信用代码已经注册过生产经营主体');
    expect(await p.getByTestId('reg-done').count()).toBe(0);
    await phone.close();
  });
});
