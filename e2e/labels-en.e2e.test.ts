import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, desktopContext, launchBrowser, type Server, startServer, uiLogin } from './harness.js';
import { chineseChrome, trackRequests } from './pagechecks.js';

/**
 * Issue 17 item 10: the English UI shows no Chinese-only text except user data. On the demo data, each main role
 * signs in with the English UI and opens every page of its menu; the page's chrome — menu, headings, card titles,
 * buttons, table column titles, form labels, tags and status labels, tabs, descriptions labels, placeholders — must
 * hold no Chinese character. User data (names, addresses, division names) sits in table cells and values, which
 * the check does not read; an element marked `data-userdata` (a name shown in a heading or a tag) is skipped too.
 */
let server: Server;
let browser: Browser;
const ROLES = [
  { role: 'producer', username: 'demo_farmer', password: 'Demo12345' },
  { role: 'county supervisor', username: 'ch_sup', password: 'Demo12345' },
  { role: 'inspector (testing)', username: 'ch_lab', password: 'Demo12345' },
  { role: 'enforcer', username: 'ch_law', password: 'Demo12345' },
  { role: 'national administrator', username: 'admin', password: ADMIN_PASSWORD },
];

beforeAll(async () => {
  server = await startServer({ DEMO: 'true', DEMO_ORIGIN_RECORDS: '2000' }, { timeoutMs: 850_000 });
  browser = await launchBrowser();
  let farmer = '';
  for (let tries = 0; !farmer && tries < 120; tries++) {
    farmer = await server.token('demo_farmer', 'Demo12345').catch(() => '');
    if (!farmer) await new Promise((r) => setTimeout(r, 1_000));
  }
  expect(farmer).not.toBe('');
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the English UI shows no Chinese-only label (issue 17 item 10)', () => {
  for (const r of ROLES)
    it(`${r.role}: every page of the menu`, async () => {
      const ctx = await desktopContext(browser, server.url);
      await ctx.addInitScript(() => localStorage.setItem('suyuan.lang', 'en'));
      const page = await ctx.newPage();
      // every request counts: the page's code is loaded on demand as well as its data
      const { settled } = trackRequests(page, server.url);
      await uiLogin(page, r.username, r.password);
      await page.waitForURL((u) => u.pathname === '/');
      const items = page.getByTestId('main-menu').locator('.ant-menu-item');
      await expect.poll(() => items.count()).toBeGreaterThan(1);
      const n = await items.count();
      const found: string[] = [];
      for (let i = 0; i < n; i++) {
        const item = items.nth(i);
        const name = (await item.innerText()).trim();
        await item.click();
        await settled();
        await expect.poll(() => page.locator('main .ant-spin-spinning, main .ant-skeleton').count()).toBe(0);
        for (const t of await chineseChrome(page)) found.push(`${name} (${new URL(page.url()).pathname}) → ${t}`);
      }
      expect(found).toEqual([]);
      await ctx.close();
    }, 600_000);
});
