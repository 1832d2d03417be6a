import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../src/kernel/idcodes.js';
import {
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  makeAccount,
  MP4,
  phoneContext,
  proofFiles,
  pickOption,
  type Server,
  startServer,
  uiLogin,
} from './harness.js';

/**
 * Issue 17 journeys: an enforcer scans a producer's identity code on a phone, records an inspection with a short
 * video, registers a case from it, orders a correction within a deadline and records the follow-up; the
 * administrator reads the audit log in words (who, what, which case, before → after).
 */
let server: Server;
let browser: Browser;
let identityCode: string;
const inDays = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await server.token('admin', ADMIN_PASSWORD);
  const org = async (name: string, kind: string, divisionCode: string) =>
    (await server.api<{ id: string }>(admin, 'POST', '/organisations', { name, kind, divisionCode })).body.id;
  const county = await makeAccount(server, admin, {
    username: 'ch_sup',
    orgId: await org('从化区农产品质量安全监管站', 'supervision', '440117'),
    roles: ['supervisor'],
    password: 'County2026',
  });
  await makeAccount(server, admin, {
    username: 'ch_law',
    displayName: '执法员老李',
    orgId: await org('从化区农业综合执法大队', 'enforcement', '440117'),
    roles: ['enforcer'],
    password: 'Law2026abc',
  });
  const body17 = '93440117MA5TW8T01';
  const reg = await server.api<{ applicationId: string }>(null, 'POST', '/subjects/registrations', {
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
    username: 'lvyuan',
    password: 'Lvyuan2026',
    files: await proofFiles(server),
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  expect((await server.api(county, 'POST', `/subject-applications/${reg.body.applicationId}/approve`, {})).status).toBe(
    200,
  );
  const farmer = await server.token('lvyuan', 'Lvyuan2026');
  identityCode = (await server.api<{ identityCode: string }>(farmer, 'GET', '/my-subject')).body.identityCode;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('enforcement: inspection by scan → case → order to correct → follow-up (item 5)', () => {
  it('an enforcer does it all on a phone, with a short video', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'ch_law', 'Law2026abc');
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/enforcement/inspect');
    await page.getByTestId('inspection-code').fill(identityCode);
    await page.getByTestId('inspection-code').press('Enter');
    await expect.poll(() => page.getByTestId('inspection-subject').textContent()).toContain('广东省广州市从化区温泉镇');
    await page.getByTestId('inspection-findings').fill('现场销售的豇豆无合格证');
    // antd puts the test id on the hidden radio input; the user taps its label.
    await page.locator('label', { has: page.getByTestId('inspection-violation') }).click();
    await page.getByTestId('inspection-video').setInputFiles({ name: 'scene.mp4', mimeType: 'video/mp4', buffer: MP4 });
    await expect.poll(() => page.getByTestId('video').count()).toBe(1);
    await page.getByTestId('inspection-submit').click();
    await expect.poll(() => page.getByTestId('inspection-done').textContent()).toContain('发现违法线索');
    await page.getByTestId('inspection-to-case').click();
    await pickOption(page, page.getByTestId('case-violation'), '不传递追溯信息');
    await page.getByTestId('case-facts').fill('销售豇豆未附合格证和追溯码');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.waitForURL((u) => /^\/enforcement\/cases\/[0-9a-f-]{36}$/.test(u.pathname));
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('已立案');
    // 责令限期改正 with a deadline, then the follow-up.
    await page.getByTestId('case-orderCorrection').click();
    await page.getByTestId('correction-order').fill('7 日内为在售豇豆开具合格证并赋追溯码');
    await page.getByTestId('correction-deadline').click();
    await page.getByTestId('correction-deadline').fill(inDays(7));
    // Enter commits the date and submits the modal's form (its only input).
    await page.getByTestId('correction-deadline').press('Enter');
    await expect.poll(() => page.getByTestId('correction-status').textContent()).toBe('限期改正中');
    await expect.poll(() => page.getByTestId('correction').textContent()).toContain(inDays(7));
    await page.getByTestId('case-confirmCorrected').click();
    await page.getByTestId('correction-note').fill('复查：已全部开具合格证');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('correction-status').textContent()).toBe('已按期改正');
    // Fits a 360 px phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(362);
    await ctx.close();
  });

  it('the administrator reads the audit log in words: who, what, which case, before → after (item 9)', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/audit');
    // The newest rows are the administrator's own sign-in; the enforcer's follow-up comes after them.
    await expect
      .poll(async () => (await page.getByTestId('audit-action').allTextContents()).join('|'))
      .toContain('复查：已改正');
    const row = page.locator('tr', { has: page.getByText('复查：已改正') }).first();
    expect(await row.textContent()).toContain('执法员老李');
    expect(await row.textContent()).toContain('从化区农业综合执法大队');
    expect(await row.textContent()).toContain('农罚');
    expect(await row.textContent()).toContain('广东省广州市从化区温泉镇');
    await row.locator('.ant-table-row-expand-icon').click();
    await expect.poll(() => page.getByTestId('audit-changes').first().textContent()).toContain('限期改正中');
    expect(await page.getByTestId('audit-changes').first().textContent()).toContain('已按期改正');
    // No raw verb like enforcement.manage is shown.
    expect(await page.locator('main').textContent()).not.toContain('enforcement.manage');
    await ctx.close();
  });
});
