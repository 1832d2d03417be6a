import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckChar } from '../src/kernel/idcodes.js';
import {
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  makeAccount,
  phoneContext,
  type Server,
  startServer,
  uiLogin,
  proofFiles,
} from './harness.js';

/**
 * The supervision journey (issue 8): a township officer scans a producer's identity code on a phone (typed into the
 * scan field: a real camera cannot run headless) and records a failing patrol with a photo and a drawn signature;
 * a lab enters a failing residue result; the county is notified, sees the automatic trace (as far as the chain
 * module: lineage both ways) and opens the recall with one click (issue 5's recall with holder notices); the
 * producer's credit archive shows both records.
 */
let server: Server;
let browser: Browser;
let identityCode: string;
let sampleCode: string;
const JPG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');

async function account(admin: string, username: string, orgId: string, roles: string[], password: string) {
  return makeAccount(server, admin, { username, orgId, roles, password });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await server.token('admin', ADMIN_PASSWORD);
  const org = async (name: string, kind: string, divisionCode: string) =>
    (await server.api<{ id: string }>(admin, 'POST', '/organisations', { name, kind, divisionCode })).body.id;
  const county = await account(
    admin,
    'ch_sup',
    await org('从化区农产品质量安全监管站', 'supervision', '440117'),
    ['supervisor'],
    'County2026',
  );
  await account(
    admin,
    'wq_sup',
    await org('温泉镇农业服务中心', 'supervision', '440117103'),
    ['supervisor', 'collector'],
    'Town2026a',
  );
  const labOrg = await org('从化区农产品质量安全检测站', 'testing', '440117');
  const lab = await account(admin, 'ch_lab', labOrg, ['inspector'], 'Lab2026ab');
  // A registered, approved producer (issue 3's flow) with its identity code.
  const body17 = '93440117MA5TW8T01';
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
    username: 'lvyuan',
    password: 'Lvyuan2026',
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  expect((await server.api(county, 'POST', `/subject-applications/${reg.body.applicationId}/approve`, {})).status).toBe(
    200,
  );
  const farmer = await server.token('lvyuan', 'Lvyuan2026');
  identityCode = (await server.api<{ identityCode: string }>(farmer, 'GET', '/my-subject')).body.identityCode;
  expect(identityCode).toMatch(/^HC/);
  // A cowpea residue task for the lab, and the sample the lab took at the producer's base.
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const task = await server.api<{ assignments: { id: string }[] }>(county, 'POST', '/monitoring-tasks', {
    title: '豇豆农药残留专项监测',
    kind: 'special',
    products: ['豇豆'],
    startDate: today,
    endDate: today,
    items: [{ item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }],
    assignments: [{ testingOrgId: labOrg, divisionCode: '440117', quantity: 10, deadline: today }],
  });
  expect(task.status, JSON.stringify(task.body)).toBe(201);
  // The producer's batch with its trace code (issue 4), sampled at market: the trace code links sample, batch and producer.
  const product = await server.api<{ id: string }>(farmer, 'POST', '/products', { name: '豇豆', industry: 'planting' });
  const base = await server.api<{ id: string }>(farmer, 'POST', '/bases', {
    name: '石南村一号基地',
    divisionCode: '440117103',
  });
  const batch = await server.api<{ code: string }>(farmer, 'POST', '/batches', {
    productId: product.body.id,
    baseId: base.body.id,
    quantity: 300,
    producedAt: new Date().toISOString(),
  });
  expect(batch.status, JSON.stringify(batch.body)).toBe(201);
  const sheet = await server.api<{ sampleCode: string }>(
    lab,
    'POST',
    `/monitoring-assignments/${task.body.assignments[0].id}/sheets`,
    {
      productName: '豇豆',
      traceCode: batch.body.code,
      place: '温泉镇农贸市场',
      divisionCode: '440117103',
      sampledAt: new Date().toISOString(),
    },
  );
  expect(sheet.status, JSON.stringify(sheet.body)).toBe(201);
  sampleCode = sheet.body.sampleCode;
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('supervision journey', () => {
  it('a township officer scans the identity code on a phone and records a failing patrol with a photo and a signature', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'wq_sup', 'Town2026a');
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/supervision/patrol');
    await page.getByTestId('scan-input').fill(identityCode);
    await page.getByTestId('scan-submit').click();
    await expect.poll(() => page.getByTestId('subject-card').textContent()).toContain('从化区绿源果蔬专业合作社');
    await page.getByTestId('patrol-start').click();
    await page.getByTestId('check-banned-fail').click();
    await page.getByTestId('result-fail').click();
    await page.getByTestId('patrol-findings').fill('农资仓库发现禁用农药甲拌磷');
    await page.getByTestId('patrol-photo').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: JPG });
    await expect.poll(() => page.locator('img[src^="blob:"]').count()).toBe(1);
    // The responsible person signs with a finger.
    const pad = page.getByTestId('signature-pad');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error('no signature pad');
    await page.mouse.move(box.x + 20, box.y + 40);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + 20 + i * 25, box.y + 40 + (i % 2) * 50);
    await page.mouse.up();
    await page.getByTestId('patrol-signer').fill('钟伯');
    await page.getByTestId('patrol-submit').click();
    await expect
      .poll(() =>
        page
          .getByTestId('patrol-status')
          .textContent()
          .catch(() => ''),
      )
      .toBe('不合格');
    await ctx.close();
  });

  it('a lab enters a failing residue result', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'ch_lab', 'Lab2026ab');
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/monitoring/lab');
    await page.getByTestId(`results-${sampleCode}`).click();
    await page.getByTestId('value-毒死蜱').fill('0.12');
    await page.getByTestId('results-submit').click();
    await expect
      .poll(() =>
        page
          .locator('.ant-modal-confirm-title')
          .textContent()
          .catch(() => ''),
      )
      .toContain('检测不合格');
    await ctx.close();
  });

  it('the county is notified, sees the trace, opens the recall; the credit archive shows both records', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'ch_sup', 'County2026');
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/notifications');
    await page.getByTestId('notification').filter({ hasText: '抽检不合格' }).first().click();
    await page.waitForURL((u) => u.pathname.startsWith('/risk-cases/'));
    await expect.poll(() => page.getByTestId('risk-item').first().textContent()).toContain('毒死蜱');
    // The automatic trace (issue 5's lineage): the sampled batch is the root of both directions.
    await expect.poll(() => page.getByTestId('risk-trace').textContent()).toContain('从化区绿源果蔬专业合作社');
    await expect.poll(() => page.getByTestId('risk-trace').textContent()).toContain('来源');
    await page.getByTestId('open-recall').click();
    await expect.poll(() => page.getByTestId('risk-status').textContent()).toBe('已启动召回');
    await expect.poll(() => page.getByTestId('recall-opened').count()).toBe(1);
    await expect.poll(() => page.getByTestId('recall-opened').textContent()).not.toContain('人工');
    await page.getByTestId('risk-subject').click();
    await page.waitForURL((u) => u.pathname.startsWith('/credit/'));
    await expect.poll(() => page.getByTestId('credit-record-patrol').count()).toBe(1);
    await expect.poll(() => page.getByTestId('credit-record-test').count()).toBe(1);
    await ctx.close();
  });

  it('the public offenders page opens without login (the producer has 2 records, below the threshold of 3)', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await page.goto('/public/offenders');
    await expect
      .poll(() =>
        page
          .locator('.ant-card-head-title')
          .textContent()
          .catch(() => ''),
      )
      .toContain('失信主体公示');
    await expect.poll(() => page.locator('.ant-card').textContent()).toContain('3 次');
    expect(await page.getByTestId('offender').count()).toBe(0);
    await ctx.close();
  });
});
