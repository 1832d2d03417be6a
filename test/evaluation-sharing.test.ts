/**
 * The evaluation's connection and sharing figures (issue 13 item 5, from issue 14's connections): national evaluates
 * the provinces; Guangdong's platform is connected and has shared records, Sichuan's applied but is not approved,
 * the others have none. Shown in getEvaluation and in its Excel export.
 */
import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareRecord } from '../src/kernel/sharing.js';
import { drainOutbox, pushOnce } from '../src/modules/sharing/worker.js';
import { type TestApp, testApp } from './helpers.js';

let national: TestApp;
let gd: TestApp;
let sc: TestApp;
const tok = {} as Record<'national' | 'gd' | 'sc', string>;

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  return `http://127.0.0.1:${addr.port}`;
}
const apply = (lower: TestApp, token: string) =>
  lower.req(token, {
    method: 'POST',
    url: '/api/v1/sharing/connections/apply',
    payload: { contactName: '平台管理员', contactPhone: '13800138000' },
  });

beforeAll(async () => {
  national = await testApp({ PLATFORM_TIER: 'national' });
  const nationalUrl = await listen(national);
  gd = await testApp({ PLATFORM_TIER: 'province', PLATFORM_REGION: '44', UPPER_PLATFORM_URL: nationalUrl });
  sc = await testApp({ PLATFORM_TIER: 'province', PLATFORM_REGION: '51', UPPER_PLATFORM_URL: nationalUrl });
  tok.national = await national.login('admin');
  tok.gd = await gd.login('admin');
  tok.sc = await sc.login('admin');
  expect((await apply(gd, tok.gd)).statusCode).toBe(200);
  expect((await apply(sc, tok.sc)).statusCode).toBe(200);
  const conns = await national.req(tok.national, { method: 'GET', url: '/api/v1/sharing/connections' });
  const gdConn = conns.json().items.find((i: { platformId: string }) => i.platformId === 'province-44');
  const ok = await national.req(tok.national, {
    method: 'POST',
    url: `/api/v1/sharing/connections/${gdConn.id}/actions`,
    payload: { action: 'approve' },
  });
  expect(ok.statusCode, ok.body).toBe(200);
  for (let i = 0; i < 3; i++)
    await gd.database.db
      .transaction()
      .execute((trx) =>
        shareRecord(
          { db: trx, config: gd.app.config },
          'organisation',
          `org-${i}`,
          { id: `org-${i}`, name: `机构${i}` },
          '440117',
        ),
      );
  await pushOnce(gd.database.db, gd.app.config, true);
  await drainOutbox(gd.database.db, gd.app.config);
}, 600_000);
afterAll(async () => {
  await sc?.close();
  await gd?.close();
  await national?.close();
});

describe('evaluation: connection and sharing', () => {
  it("shows each province's connection, its last success, lag, backlog, errors and the records it shared", async () => {
    const r = await national.req(tok.national, { method: 'GET', url: '/api/v1/evaluation' });
    expect(r.statusCode, r.body).toBe(200);
    const unit = (code: string) => r.json().units.find((u: { code: string }) => u.code === code);
    const g = unit('44');
    expect(g.sharing).toBe(1);
    expect(g.connection).toMatchObject({
      platforms: ['province-44'],
      connected: true,
      backlog: 0,
      errors: 0,
      parked: 0,
    });
    // The three records, and the organisations Guangdong shares of itself at start (at least the three).
    expect(g.connection.sharedInPeriod).toBeGreaterThanOrEqual(3);
    expect(Date.parse(g.connection.lastSuccessAt)).toBeGreaterThan(Date.now() - 600_000);
    expect(g.connection.lagMs).toBeGreaterThanOrEqual(0);
    expect(unit('51')).toMatchObject({
      sharing: 0,
      connection: { platforms: ['province-51'], connected: false, lastSuccessAt: null, sharedInPeriod: 0 },
    });
    expect(unit('11')).toMatchObject({ sharing: null, connection: null });
  });

  it('exports the connection columns to Excel', async () => {
    const r = await national.req(tok.national, { method: 'GET', url: '/api/v1/evaluation/export' });
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(1).values as unknown[]).slice(1) as string[];
    const at = (name: string) => header.findIndex((h) => h.startsWith(name));
    for (const h of ['已对接', '最近成功', '延迟', '积压', '错误', '搁置', '期内共享记录'])
      expect(at(h)).toBeGreaterThan(-1);
    let gdRow: unknown[] = [];
    let bjRow: unknown[] = [];
    ws.eachRow((row, n) => {
      const v = (row.values as unknown[]).slice(1);
      if (n > 1 && v[at('代码')] === '44') gdRow = v;
      if (n > 1 && v[at('代码')] === '11') bjRow = v;
    });
    expect(gdRow[at('已对接')]).toBe('是 Yes');
    expect(gdRow[at('对接平台')]).toBe('province-44');
    expect(Number(gdRow[at('期内共享记录')])).toBeGreaterThanOrEqual(3);
    expect(bjRow[at('已对接')] ?? '').toBe('');
  });
});
