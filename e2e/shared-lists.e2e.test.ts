/**
 * A national regulator's batch list shows a batch shared from Guangdong, marked with its origin platform (zh and en),
 * and opens it read-only with "request correction" (issue 14 items 5, 7). The Guangdong side is a signed client of
 * the national server's sharing interface (the same wire a province platform uses): it applies, is approved, and
 * pushes one batch record.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../src/kernel/canonical-json.js';
import { platformIdentity, signBody, sm3Hex } from '../src/modules/sharing/identity.js';
import {
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  pickOption,
  type Server,
  startServer,
  uiLogin,
} from './harness.js';

let server: Server;
let browser: Browser;
const batchId = randomUUID();

async function post(p: string, body: unknown) {
  const r = await fetch(`${server.url}/api/v1${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(r.status, await r.clone().text()).toBe(200);
  return r.json();
}

beforeAll(async () => {
  server = await startServer({ PLATFORM_TIER: 'national' });
  browser = await launchBrowser();
  const admin = await server.token('admin', ADMIN_PASSWORD);
  const gd = platformIdentity({
    platformTier: 'province',
    platformRegion: '44',
    platformKeyFile: path.join(mkdtempSync(path.join(tmpdir(), 'gd-key-')), 'platform.key'),
  });
  const application = {
    platformId: gd.id,
    tier: 'province',
    region: '44',
    publicKey: gd.publicKeyPem,
    contactName: '广东平台管理员',
    contactPhone: '13800138000',
    entryUrl: 'http://127.0.0.1:9/',
    signedAt: new Date().toISOString(),
  };
  await post('/sharing/applications', { ...application, signature: signBody(gd, application) });
  const conns = await server.api<{ items: { id: string; platformId: string }[] }>(admin, 'GET', '/sharing/connections');
  const conn = conns.body.items.find((c) => c.platformId === 'province-44');
  const ok = await server.api(admin, 'POST', `/sharing/connections/${conn?.id}/actions`, { action: 'approve' });
  expect(ok.status).toBe(200);
  const record = {
    id: batchId,
    batchNo: 'GD-20261201-07',
    quantity: 88,
    unit: 'kg',
    producedAt: new Date().toISOString(),
    selfCheck: 'pass',
    status: 'unsold',
    divisionCode: '440117',
  };
  const batch = {
    from: gd.id,
    firstSeq: 1,
    records: [
      {
        seq: 1,
        origin: gd.id,
        resource: 'batch',
        id: batchId,
        version: 1,
        division: '440117',
        catalogVersion: 'builtin-1',
        hash: sm3Hex(canonicalJson(record)),
        createdAt: new Date().toISOString(),
        record,
      },
    ],
    backlog: 0,
    lagMs: 0,
    sentAt: new Date().toISOString(),
  };
  const got = await post('/sharing/inbound', { ...batch, signature: signBody(gd, batch) });
  expect(got).toMatchObject({ applied: 1 });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('shared records in the regular lists', () => {
  it('mark the batch with its origin and open it read-only with request correction, in zh and en', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/trace/batches');
    const mark = page.getByTestId('shared-from').first();
    await expect.poll(() => mark.textContent(), { timeout: 30_000 }).toContain('来自广东省平台');
    await page.getByText('GD-20261201-07').click();
    const drawer = page.getByTestId('shared-record');
    await drawer.waitFor();
    expect(await drawer.textContent()).toContain('88 kg');
    // The division by its name (issue 17 item 9), the code only beside it.
    await expect.poll(() => drawer.getByTestId('shared-division').textContent()).toContain('从化区');
    expect(await drawer.getByTestId('request-correction').count()).toBe(1);
    await drawer.getByTestId('request-correction').click();
    await page.getByText('请求下级平台更正此记录').waitFor();
    await ctx.close();
    // English: the mark names the platform in English.
    const en = await desktopContext(browser, server.url);
    await en.addInitScript(() => localStorage.setItem('suyuan.lang', 'en'));
    const p2 = await en.newPage();
    await uiLogin(p2, 'admin', ADMIN_PASSWORD);
    await p2.goto('/trace/batches');
    await expect
      .poll(() => p2.getByTestId('shared-from').first().textContent(), { timeout: 30_000 })
      .toContain('shared from the Guangdong platform');
    await en.close();
  });

  it('names resources and fields, never their keys: the filter, the shared records and the requests (issue 17 item 10)', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'admin', ADMIN_PASSWORD);
    await page.goto('/shared-records');
    await pickOption(page, page.getByTestId('shared-resource'), '生产批次');
    await expect.poll(() => page.getByTestId('shared-resource-name').allTextContents()).toEqual(['生产批次']);
    // The correction dialog lists the record's fields by their catalogue names.
    await page.getByTestId('request-correction').click();
    await pickOption(page, page.getByTestId('correction-fields'), '数量: 88');
    await page.locator('.ant-modal textarea').fill('数量与过磅单不符');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await page.goto('/sharing/corrections');
    await expect.poll(() => page.getByTestId('correction-resource').first().textContent()).toBe('生产批次');
    expect(await page.getByTestId('correction-fields').first().textContent()).toBe('数量');
    expect(await page.locator('main').textContent()).not.toMatch(/\bbatch\b|quantity/);
    await ctx.close();
    // English.
    const en = await desktopContext(browser, server.url);
    await en.addInitScript(() => localStorage.setItem('suyuan.lang', 'en'));
    const p2 = await en.newPage();
    await uiLogin(p2, 'admin', ADMIN_PASSWORD);
    await p2.goto('/sharing/corrections');
    await expect.poll(() => p2.getByTestId('correction-resource').first().textContent()).toBe('Production batch');
    expect(await p2.getByTestId('correction-fields').first().textContent()).toBe('Quantity');
    await p2.goto('/shared-records');
    await expect.poll(() => p2.getByTestId('shared-resource-name').first().textContent()).toBe('Production batch');
    await en.close();
  });
});
