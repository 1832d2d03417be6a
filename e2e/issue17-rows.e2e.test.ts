import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { originRow } from '../test/origin-sheet.js';
import {
  registerApproved,
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  makeAccount,
  phoneContext,
  type Server,
  startServer,
  uiLogin,
} from './harness.js';

/**
 * Issue 17 items 3, 4 and 6 in a browser: the county publishes an agreement with its required clauses, signs a
 * producer's acceptance and reminds the one that has not signed; a buyer issuing a certificate for a bought batch is
 * offered 持上游合格证 or its purchase check, nothing ticked, and sees the farm's origin; a collector re-imports an
 * unchanged sheet (the record is confirmed) and completes on site, with the edit form and the phone's GPS, a point
 * imported without coordinates.
 */
let server: Server;
let browser: Browser;
let county: string;
let farmer: string;
let received: string;
let repacked: string;
const PW = { county: 'County2026', farmer: 'Lvyuan2026', other: 'Other2026', buyer: 'Buyer2026', col: 'Collect2026' };

/** Registers a producer through the public form's API and has the county approve it; returns its token. */
async function producer(
  username: string,
  name: string,
  body17: string,
  divisionCode: string,
  password: string,
  approver = county,
) {
  await registerApproved(server, approver, body17, {
    subjectType: 'production',
    name,
    legalPersonName: '钟伯',
    contactName: '钟伯',
    contactPhone: '13800138000',
    address: '温泉镇石南村',
    divisionCode,
    username,
    password,
  });
  return server.token(username, password);
}

beforeAll(async () => {
  server = await startServer({}, { timeoutMs: 400_000 });
  browser = await launchBrowser();
  const admin = await server.token('admin', ADMIN_PASSWORD);
  const org = async (name: string, kind: string, divisionCode: string) =>
    (await server.api<{ id: string }>(admin, 'POST', '/organisations', { name, kind, divisionCode })).body.id;
  county = await makeAccount(server, admin, {
    username: 'ch_county',
    orgId: await org('从化区农产品质量安全监管站', 'supervision', '440117'),
    roles: ['supervisor'],
    password: PW.county,
  });
  await makeAccount(server, admin, {
    username: 'wq_col',
    orgId: await org('温泉镇农业服务中心', 'supervision', '440117103'),
    roles: ['collector'],
    password: PW.col,
  });
  // The buyer in Tianhe is approved by its own district.
  const tianhe = await makeAccount(server, admin, {
    username: 'th_county',
    orgId: await org('天河区农产品质量安全监管站', 'supervision', '440106'),
    roles: ['supervisor'],
    password: PW.county,
  });
  farmer = await producer('lvyuan', '从化区绿源果蔬专业合作社', '93440117MA5TW8T01', '440117103', PW.farmer);
  await producer('weiqian', '从化区未签果场', '93440117MA5TW8T02', '440117104', PW.other);
  const buyer = await producer('xianda', '天河区鲜达农产品经营部', '92440106MA5TW8T03', '440106', PW.buyer, tianhe);
  const buyerCode = (await server.api<{ identityCode: string }>(buyer, 'GET', '/my-subject')).body.identityCode;
  // The farm's batch with its certificate, sold to the buyer, who accepts it.
  const productId = (
    await server.api<{ id: string }>(farmer, 'POST', '/products', { name: '豇豆', industry: 'planting' })
  ).body.id;
  const baseId = (
    await server.api<{ id: string }>(farmer, 'POST', '/bases', { name: '温泉一号基地', divisionCode: '440117103' })
  ).body.id;
  const lot = await server.api<{ id: string }>(farmer, 'POST', '/batches', {
    productId,
    baseId,
    quantity: 1000,
    producedAt: '2026-11-20T08:00:00+08:00',
    selfCheck: 'pass',
  });
  expect(lot.status, JSON.stringify(lot.body)).toBe(201);
  const cert = await server.api(farmer, 'POST', '/certificates', {
    batchId: lot.body.id,
    quantity: 1000,
    basis: ['self_test'],
  });
  expect(cert.status, JSON.stringify(cert.body)).toBe(201);
  const sale = await server.api<{ id: string }>(farmer, 'POST', '/sales', {
    batchId: lot.body.id,
    quantity: 300,
    buyerKind: 'registered',
    buyerIdentityCode: buyerCode,
  });
  expect(sale.status, JSON.stringify(sale.body)).toBe(201);
  const rec = await server.api<{ receiptBatchId: string }>(buyer, 'POST', '/receipts', {
    saleId: sale.body.id,
    decision: 'accept',
  });
  expect(rec.status, JSON.stringify(rec.body)).toBe(200);
  received = rec.body.receiptBatchId;
  const split = await server.api<{ outputs: { id: string }[] }>(buyer, 'POST', `/batches/${received}/split`, {
    parts: [{ quantity: 60 }],
    mode: 'repack',
  });
  expect(split.status, JSON.stringify(split.body)).toBe(201);
  repacked = split.body.outputs[0].id;
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('item 1: delegated collection in the browser', () => {
  it('an authorised agency enters a product for the farm, which sees it marked as entered by the agency', async () => {
    const admin = await server.token('admin', ADMIN_PASSWORD);
    const agencyOrg = await server.api<{ id: string }>(admin, 'POST', '/organisations', {
      name: '从化农信代录服务社',
      kind: 'service',
      divisionCode: '4401',
    });
    expect(agencyOrg.status, JSON.stringify(agencyOrg.body)).toBe(201);
    await makeAccount(server, admin, {
      username: 'nx_staff',
      orgId: agencyOrg.body.id,
      roles: ['service_staff'],
      password: 'Agency2026',
    });
    const granted = await server.api(farmer, 'POST', '/my-subject/authorisations', {
      agencyOrgId: agencyOrg.body.id,
      scopes: ['products'],
    });
    expect(granted.status, JSON.stringify(granted.body)).toBe(200);
    // The agency's staff, on a phone: picks the client, enters a product for it.
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'nx_staff', 'Agency2026');
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/agency/clients');
    await page.getByTestId('act-for').first().click();
    await expect.poll(() => page.getByTestId('acting-for').textContent()).toContain('从化区绿源果蔬专业合作社');
    await page.goto('/trace/catalog');
    await page.getByTestId('product-new').click();
    await page.getByTestId('product-name').fill('代录韭菜');
    await page.getByTestId('product-submit').click();
    const row = page.locator('tr', { hasText: '代录韭菜' });
    await expect.poll(() => row.getByTestId('entered-by').textContent()).toContain('从化农信代录服务社');
    await ctx.close();
    // The farm sees the product as its own, marked as entered by the agency.
    const farm = await desktopContext(browser, server.url);
    const p2 = await farm.newPage();
    await uiLogin(p2, 'lvyuan', PW.farmer);
    await p2.waitForURL((u) => u.pathname === '/');
    await p2.goto('/trace/catalog');
    const mine = p2.locator('tr', { hasText: '代录韭菜' });
    await expect.poll(() => mine.getByTestId('entered-by').textContent()).toBe('代录：从化农信代录服务社');
    await farm.close();
  });
});

describe('item 3: agreements in the county’s browser', () => {
  it('publishes the required clauses, signs the producer’s acceptance, reminds the producer that has not signed', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'ch_county', PW.county);
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/agreements');
    // The four required clauses are in the form, filled with a starting text the county may edit.
    for (const k of ['info_collection', 'info_transfer', 'scan_trading', 'truthfulness'])
      await expect.poll(() => page.getByTestId(`clause-${k}`).inputValue()).not.toBe('');
    await page.getByLabel(/^标题/).fill('从化区农产品追溯协议');
    await page.getByLabel(/^协议正文/).fill('甲方（县农业农村局）与乙方（生产经营主体）就追溯信息约定如下。');
    await page.getByRole('button', { name: /发布新版本/ }).click();
    // The published version shows each required clause by name.
    const published = page.locator('.ant-card', { hasText: '本县追溯协议' });
    for (const name of ['信息采集', '信息传递', '扫码交易', '信息真实性承诺'])
      await expect.poll(() => published.locator('strong', { hasText: name }).count()).toBe(1);
    expect(await page.getByTestId('agreement-incomplete').count()).toBe(0);

    // The farm accepts every clause in its own browser: nothing is ticked for it.
    const fctx = await phoneContext(browser, server.url);
    const f = await fctx.newPage();
    await uiLogin(f, 'lvyuan', PW.farmer);
    await f.waitForURL((u) => u.pathname === '/');
    await f.goto('/my-subject');
    await f.getByRole('tab', { name: '追溯协议' }).click();
    await expect.poll(() => f.getByTestId('agreement-sign').isDisabled()).toBe(true);
    for (const k of ['info_collection', 'info_transfer', 'scan_trading', 'truthfulness']) {
      expect(await f.getByTestId(`accept-${k}`).isChecked()).toBe(false);
      await f.getByTestId(`accept-${k}`).check();
    }
    await f.getByTestId('agreement-sign').click();
    await expect.poll(async () => f.locator('.ant-tag', { hasText: '待县级签署' }).count()).toBe(1);
    await fctx.close();

    // The county signs as the other party.
    await page.reload();
    const row = page
      .locator('tr', { hasText: '从化区绿源果蔬专业合作社' })
      .filter({ has: page.getByTestId('countersign') });
    await row.getByTestId('countersign').click();
    await page.getByText('双方已签').click();
    const signed = page
      .locator('tr', { hasText: '从化区绿源果蔬专业合作社' })
      .filter({ hasText: '从化区农产品质量安全监管站' });
    await expect.poll(() => signed.count()).toBe(1);
    expect(await signed.textContent()).toContain('ch_county');

    // The producer that has not signed is in the reminder list; the signed one is not; a reminder is counted.
    const unsigned = page.locator('.ant-card', { hasText: '未签订当前版本协议的主体' });
    const waiting = unsigned.locator('tr', { hasText: '从化区未签果场' });
    await expect.poll(() => waiting.count()).toBe(1);
    expect(await unsigned.locator('tr', { hasText: '从化区绿源果蔬专业合作社' }).count()).toBe(0);
    await waiting.getByRole('button', { name: /提\s?醒/ }).click();
    await expect.poll(() => waiting.textContent()).toContain('1 次');
    await ctx.close();
    const other = await server.token('weiqian', PW.other);
    const inbox = await server.api<{ items: { kind: string }[] }>(other, 'GET', '/notifications');
    expect(inbox.body.items.map((n) => n.kind)).toContain('agreement.unsigned');
  });
});

describe('item 4: a buyer’s certificate in the browser', () => {
  it('offers 持上游合格证 or the purchase check, nothing ticked, never 自行检测合格; the batch shows the farm’s origin', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'xianda', PW.buyer);
    await page.waitForURL((u) => u.pathname === '/');
    for (const id of [received, repacked]) {
      await page.goto(`/trace/batches/${id}`);
      const origin = page.locator('.ant-descriptions-item', { hasText: '产地' });
      await expect.poll(() => origin.textContent()).toContain('从化区');
      expect(await origin.textContent()).not.toContain('天河区');
    }
    await page.goto(`/trace/batches/${received}`);
    await page.getByTestId('cert-new').click();
    const basis = page.getByTestId('cert-basis');
    await expect.poll(() => basis.locator('label').count()).toBeGreaterThan(1);
    const labels = await basis.locator('label').allTextContents();
    expect(labels[0]).toContain('收取的合格证');
    expect(labels[1]).toContain('收购时查验');
    expect(labels.join('|')).not.toContain('自行检测');
    expect(await basis.locator('input:checked').count()).toBe(0);
    expect(await page.getByTestId('cert-buyer-note').textContent()).toContain('从化区');
    // Nothing ticked: the form refuses; 持上游合格证 issues it with the farm's certificate linked.
    await page.getByTestId('cert-submit').click();
    await expect.poll(() => page.getByText('请至少选一项').count()).toBe(1);
    await basis.locator('label', { hasText: '收取的合格证' }).click();
    await page.getByTestId('cert-submit').click();
    await expect.poll(() => page.getByTestId('cert-qrtext').count()).toBe(1);
    const issued = await page.getByTestId('cert-qrtext').textContent();
    expect(issued).toContain('HG');
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '收取的合格证' }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(362);
    await ctx.close();
  });
});

describe('item 6: origin records re-imported unchanged, and completed on site with the edit form', () => {
  it('an unchanged re-import confirms the record; a point imported without coordinates is completed with GPS', async () => {
    const token = await server.token('wq_col', PW.col);
    const res = await fetch(`${server.url}/api/v1/origin/import-template.xlsx`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
    const ws = wb.getWorksheet('采集表') as ExcelJS.Worksheet;
    ws.getRow(2).values = originRow('440117103', {
      2: '确认户',
      8: '温泉镇确认村1号地',
      11: '确认户',
    }) as ExcelJS.CellValue[];
    ws.getRow(3).values = originRow('440117103', {
      2: '走访户',
      8: '温泉镇走访村2号地',
      9: null,
      10: null,
      11: '走访户',
    }) as ExcelJS.CellValue[];
    const file = {
      name: '采集表.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    };
    const ctx = await phoneContext(browser, server.url);
    await ctx.grantPermissions(['geolocation'], { origin: server.url });
    await ctx.setGeolocation({ longitude: 113.581, latitude: 23.551, accuracy: 8 });
    const page = await ctx.newPage();
    await uiLogin(page, 'wq_col', PW.col);
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto('/origin/import');
    await page.getByTestId('origin-file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('origin-created').textContent(), { timeout: 30_000 }).toBe('2');
    // The same sheet again: nothing new, nothing changed, both records confirmed.
    await page.getByTestId('origin-file').setInputFiles({ ...file, name: '采集表（复核）.xlsx' });
    await expect.poll(() => page.getByTestId('origin-unchanged').textContent(), { timeout: 30_000 }).toBe('2');
    expect(await page.getByTestId('origin-created').textContent()).toBe('0');

    await page.goto('/origin/table');
    await page.locator('a', { hasText: '确认户' }).click();
    const today = new Date().toISOString().slice(0, 10);
    await expect.poll(() => page.getByTestId('origin-confirmed').textContent()).toBe(today);
    expect(await page.getByTestId('origin-collected').textContent()).toBe(today);
    await page.locator('.ant-drawer-close').click();

    // The point imported without coordinates: the edit form, the phone's position, submitted for review.
    await page.locator('a', { hasText: '走访户' }).click();
    await expect.poll(() => page.getByTestId('origin-site-pending').count()).toBe(1);
    expect(await page.getByTestId('origin-point').textContent()).toBe('—');
    await page.getByTestId('origin-drawer-edit').click();
    const form = page.getByTestId('origin-edit-form');
    await expect.poll(() => form.getByLabel('基地地址').inputValue()).toBe('温泉镇走访村2号地');
    await form.getByTestId('collect-gps').click();
    await expect.poll(() => form.getByTestId('collect-accuracy').textContent()).toContain('8 米');
    expect(await form.getByLabel('经度').inputValue()).toContain('113.581');
    await page.getByTestId('origin-edit-submit').click();
    await expect.poll(() => page.getByTestId('origin-edit-form').count()).toBe(0);
    await expect.poll(() => page.getByTestId('origin-point').textContent()).toContain('113.581, 23.551');
    expect(await page.getByTestId('origin-site-pending').count()).toBe(0);
    expect(await page.getByTestId('origin-status').textContent()).toBe('待审核');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(362);
    await ctx.close();
    const rows = await server.api<{ items: { subjectName: string; geoSource: string; gpsAccuracyM: number }[] }>(
      token,
      'GET',
      '/origin/records?q=走访户',
    );
    expect(rows.body.items[0]).toMatchObject({ geoSource: 'gps', gpsAccuracyM: 8 });
  });
});
