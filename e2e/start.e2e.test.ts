import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../test/server.js';
import { ADMIN_PASSWORD, launchBrowser, phoneContext, type Server, startServer, uiLogin } from './harness.js';

/**
 * Issue 19 item 3: `npm start` runs the server compiled to dist/ (scripts/start.mjs), with its heavy libraries
 * (exceljs, pdfkit, oidc-provider) and its route schemas loaded on first use. This drives that build, not the
 * TypeScript sources the other tests run: the files it reads beside its code were copied (migrations, geo index,
 * EPCIS schema), and each lazily loaded piece works on its first request — a PDF, a workbook, the OpenID provider,
 * a validation error, and a sign-in in the browser.
 */
let server: Server;
let browser: Browser;
const today = new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  // From an empty data directory: the server migrates it (the other files start from a migrated copy).
  server = await startServer({}, { fresh: true, timeoutMs: 400_000 });
  browser = await launchBrowser();
}, 420_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('npm start: the compiled server', () => {
  it('was compiled to dist/ with the files the server reads beside its code', () => {
    for (const f of ['dist/main.js', 'dist/.built', 'dist/modules/originmap/geo-index.json'])
      expect(existsSync(path.join(ROOT, f)), f).toBe(true);
  });

  it('loads each heavy piece on its first request: a PDF, a workbook, the OpenID provider, a validation error', async () => {
    const admin = await server.token('admin', ADMIN_PASSWORD);
    const get = (p: string, token = admin) =>
      fetch(`${server.url}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    const pdf = await get(`/api/v1/dashboard/monthly-report.pdf?month=${today}`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const xlsx = await get('/api/v1/dashboard.xlsx');
    expect(xlsx.status).toBe(200);
    expect(Buffer.from(await xlsx.arrayBuffer()).readUInt32LE(0)).toBe(0x04034b50); // a zip: the workbook

    const oidc = await get('/oidc/.well-known/openid-configuration', '');
    expect(oidc.status).toBe(200);
    expect((await oidc.json()).issuer).toMatch(/\/oidc$/);

    const bad = await get('/api/v1/dashboard/monthly-report.pdf?month=2026-13');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('month');
  });

  it('serves the web UI: an administrator signs in on a phone', async () => {
    const ctx = await phoneContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/' || u.pathname === '/account/password');
    await ctx.close();
  });
});
