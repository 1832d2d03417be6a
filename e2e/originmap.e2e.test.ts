import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  makeAccount,
  phoneContext,
  type Server,
  uiLogin,
} from './harness.js';
import { startServer } from './harness.js';

let server: Server;
let browser: Browser;
const PASSWORD = 'Origin2026';

async function account(admin: string, username: string, orgName: string, divisionCode: string, roles: string[]) {
  const org = await server.api<{ id: string }>(admin, 'POST', '/organisations', {
    name: orgName,
    kind: 'supervision',
    divisionCode,
  });
  expect(org.status).toBe(201);
  await makeAccount(server, admin, { username, orgId: org.body.id, roles, password: PASSWORD });
}

/** Fills the downloaded template: 3 rows, two of them wrong (scale below 0.5 mu; a phone number too short). */
async function filledTemplate(token: string): Promise<Buffer> {
  const res = await fetch(`${server.url}/api/v1/origin/import-template.xlsx`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as never);
  const ws = wb.getWorksheet('采集表') as ExcelJS.Worksheet;
  const row = (name: string, address: string, lng: number, lat: number, scale: number, phone: string) => [
    null,
    '440117103',
    name,
    '农户',
    null,
    '豇豆',
    null,
    '无',
    address,
    lng,
    lat,
    name,
    phone,
    scale,
    '亩',
    '2026-06-01',
    '2026-10-31',
    '露地',
    '承诺达标合格证、追溯码',
    '未评级',
    '罗芳',
    '13900139000',
    '钟叔',
    '13600136000',
  ];
  ws.getRow(2).values = row('张三', '温泉镇石坑村3号地', 113.58, 23.55, 3, '13712345678') as ExcelJS.CellValue[];
  ws.getRow(3).values = row('王五', '温泉镇南平村5号地', 113.61, 23.6, 0.2, '13712345679') as ExcelJS.CellValue[];
  ws.getRow(4).values = row('赵六', '温泉镇宣星村', 113.64, 23.66, 6, '1381234') as ExcelJS.CellValue[];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await server.token('admin', ADMIN_PASSWORD);
  await account(admin, 'wq_collector', '温泉镇农业服务中心', '440117103', ['collector']);
  await account(admin, 'ch_reviewer', '从化区农产品质量安全监管站', '440117', ['supervisor']);
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('origin map journey', () => {
  it('imports a template with bad rows, fixes them, the county approves, records appear on the map and in the table', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'wq_collector', PASSWORD);
    await expect.poll(() => page.getByTestId('main-menu').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.goto('/origin/import');
    const file = await filledTemplate(await server.token('wq_collector', PASSWORD));
    await page.getByTestId('origin-file').setInputFiles({
      name: '采集表.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: file,
    });
    await expect.poll(() => page.getByTestId('origin-outcome').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('origin-created').textContent()).toBe('1');
    expect(await page.getByTestId('origin-error-count').textContent()).toBe('2');
    const errors = await page.getByTestId('origin-errors').textContent();
    expect(errors).toContain('种养规模');
    expect(errors).toContain('主体联系方式');

    // Download the error workbook, fix the two rows as it says, import it again.
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('origin-error-file').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await dl.path()) as string);
    const ws = wb.getWorksheet('采集表') as ExcelJS.Worksheet;
    expect(String(ws.getCell('Y2').value)).toContain('种养规模');
    ws.getCell('N2').value = 1.5;
    ws.getCell('M3').value = '13812345678';
    await page.getByTestId('origin-file').setInputFiles({
      name: '错误表.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    await expect.poll(async () => page.getByTestId('origin-created').textContent(), { timeout: 30_000 }).toBe('2');
    expect(await page.getByTestId('origin-error-count').textContent()).toBe('0');
    await ctx.close();

    // The county reviewer approves all three.
    const rctx = await desktopContext(browser, server.url);
    const r = await rctx.newPage();
    await uiLogin(r, 'ch_reviewer', PASSWORD);
    await expect.poll(() => r.getByTestId('main-menu').isVisible(), { timeout: 15_000 }).toBe(true);
    await r.goto('/origin/table');
    await expect.poll(() => r.locator('.ant-table-row').count(), { timeout: 15_000 }).toBe(3);
    await r.locator('.ant-table-thead .ant-checkbox-input').check();
    await r.getByTestId('origin-approve-selected').click();
    await expect.poll(() => r.locator('.ant-table-row', { hasText: '已通过' }).count(), { timeout: 15_000 }).toBe(3);

    // On the map: three bases at their coordinates.
    await r.goto('/origin/map');
    await expect.poll(() => r.getByTestId('map-total').textContent(), { timeout: 20_000 }).toBe('3');
    const points = await r.getByTestId('map-points').textContent();
    expect(points).toContain('张三');
    expect(points).toContain('113.5800, 23.5500');
    expect(points).toContain('王五');
    expect(points).toContain('113.6100, 23.6000');
    await r.getByTestId('map-points').getByText('赵六').click();
    await expect
      .poll(() => r.getByTestId('origin-drawer').textContent(), { timeout: 15_000 })
      .toContain('113.64, 23.66');
    // The map's scale filter offers the rollup's band edges (answered from the rollups): from 5 only 赵六 (6 亩).
    await r.goto('/origin/map');
    await expect.poll(() => r.getByTestId('map-total').textContent(), { timeout: 20_000 }).toBe('3');
    await r.getByTestId('map-filter-min-scale').click();
    await r.locator('.ant-select-item-option[title="5"]').click();
    await expect.poll(() => r.getByTestId('map-total').textContent(), { timeout: 20_000 }).toBe('1');

    // In the filtered table: search by name and by scale.
    await r.goto('/origin/table');
    await r.getByTestId('origin-filter-q').locator('input').fill('王五');
    await r.getByTestId('origin-filter-q').locator('input').press('Enter');
    await expect.poll(() => r.locator('.ant-table-row').count(), { timeout: 15_000 }).toBe(1);
    expect(await r.locator('.ant-table-row').first().textContent()).toContain('1.5 亩');
    await rctx.close();
  }, 180_000);

  it('the phone collection page shows the GPS accuracy in metres', async () => {
    const phone = await phoneContext(browser, server.url);
    await phone.grantPermissions(['geolocation']);
    await phone.setGeolocation({ latitude: 23.5487, longitude: 113.5867, accuracy: 12 });
    const p = await phone.newPage();
    await uiLogin(p, 'wq_collector', PASSWORD);
    await p.waitForURL((u) => u.pathname === '/');
    await p.goto('/origin/collect');
    await p.getByTestId('collect-gps').click();
    await expect.poll(() => p.getByTestId('collect-accuracy').textContent(), { timeout: 15_000 }).toContain('12 米');
    await phone.close();
  }, 60_000);
});
