/**
 * Single sign-on in a real browser (issue 15 items 4–5, docs/sso.md): national (the OpenID provider) on
 * http://127.0.0.1:P1 and Guangdong (the relying party) on http://localhost:P2 — two loopback origins with separate
 * cookies, each a real server process with the built UI. A user signed in at national opens Guangdong's UI without
 * a password; logging out at Guangdong ends both sessions.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Server,
  desktopContext,
  freePort,
  launchBrowser,
  startServer,
  uiLogin,
} from './harness.js';

let national: Server;
let gd: Server;
let browser: Browser;
const url = {} as Record<'national' | 'gd', string>;

beforeAll(async () => {
  const [pn, pg] = [await freePort(), await freePort()];
  url.national = `http://127.0.0.1:${pn}`;
  url.gd = `http://localhost:${pg}`;
  [national, gd] = await Promise.all([
    startServer({ PLATFORM_TIER: 'national', PUBLIC_BASE_URL: url.national }, { port: pn, timeoutMs: 400_000 }),
    startServer(
      {
        PLATFORM_TIER: 'province',
        PLATFORM_REGION: '44',
        PUBLIC_BASE_URL: url.gd,
        UPPER_PLATFORM_URL: url.national,
      },
      { port: pg, timeoutMs: 400_000 },
    ),
  ]);
  // Guangdong applies (entry URL = its PUBLIC_BASE_URL), national approves, Guangdong's heartbeat learns it.
  const gdAdmin = await gd.token('admin', ADMIN_PASSWORD);
  const applied = await gd.api(gdAdmin, 'POST', '/sharing/connections/apply', {
    contactName: '粤平台',
    contactPhone: '13800138000',
  });
  expect(applied.status, JSON.stringify(applied.body)).toBe(200);
  const natAdmin = await national.token('admin', ADMIN_PASSWORD);
  const list = await national.api<{ items: { id: string; platformId: string }[] }>(
    natAdmin,
    'GET',
    '/sharing/connections',
  );
  const lower = list.body.items.find((i) => i.platformId === 'province-44');
  const ok = await national.api(natAdmin, 'POST', `/sharing/connections/${lower?.id}/actions`, { action: 'approve' });
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  for (let i = 0; !(await gd.api<{ available: boolean }>(null, 'GET', '/sso/status')).body.available; i++) {
    if (i > 600) throw new Error('Guangdong never learnt the approval');
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launchBrowser();
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await Promise.all([gd?.stop(), national?.stop()]);
});

/** Whether the page's session (its origin's cookies) is signed in. */
async function signedIn(page: Page, base: string): Promise<boolean> {
  const res = await page.request.get(`${base}/api/v1/auth/me`);
  return res.status() === 200;
}

async function logoutFromMenu(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: /退出登录/ }).click();
}

describe('single sign-on in the browser', () => {
  let ctx: BrowserContext;
  let page: Page;
  const visited: string[] = [];

  it('links the Guangdong account to the national one (signed in on both with their passwords)', async () => {
    ctx = await desktopContext(browser, url.national);
    page = await ctx.newPage();
    // Every document the tab asks for, redirects included (framenavigated sees only where a chain of them ends).
    page.on('request', (r) => {
      if (r.isNavigationRequest() && r.frame() === page.mainFrame()) visited.push(r.url());
    });
    // Signed in at national.
    await uiLogin(page, 'admin', ADMIN_PASSWORD);
    await expect.poll(() => page.getByTestId('main-menu').isVisible()).toBe(true);
    // At Guangdong (another origin: its own cookies) with Guangdong's password, then 关联上级平台账号 in the menu.
    await page.goto(`${url.gd}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('main-menu').isVisible()).toBe(true);
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: /关联上级平台账号/ }).click();
    await expect.poll(() => page.url()).toBe(`${url.gd}/profile`);
    const status = await page.request.get(`${url.gd}/api/v1/sso/status`);
    expect(await status.json()).toMatchObject({ available: true, linked: true });
    // A password session's logout stays local: national is still signed in.
    await logoutFromMenu(page);
    await expect.poll(() => page.getByTestId('login-username').isVisible()).toBe(true);
    expect(await signedIn(page, url.gd)).toBe(false);
    expect(await signedIn(page, url.national)).toBe(true);
  });

  it('opens the Guangdong UI without a password for the user signed in at national', async () => {
    const before = visited.length;
    await page.goto(`${url.gd}/login`);
    await page.getByTestId('login-sso').click();
    await expect.poll(() => page.getByTestId('main-menu').isVisible()).toBe(true);
    expect(new URL(page.url()).origin).toBe(url.gd);
    const hops = visited.slice(before);
    // Through national's provider, answered from its session: no login page on either platform.
    expect(hops.some((h) => h.startsWith(`${url.national}/oidc/`))).toBe(true);
    expect(hops.some((h) => h.startsWith(`${url.national}/login`))).toBe(false);
    const me = await page.request.get(`${url.gd}/api/v1/auth/me`);
    expect(await me.json()).toMatchObject({ username: 'admin', scope: '44' });
  });

  it('logs out of both platforms from Guangdong', async () => {
    await logoutFromMenu(page);
    // The provider's end-session page submits itself and returns to Guangdong's login page.
    await expect.poll(() => page.url(), { timeout: 30_000 }).toBe(`${url.gd}/login`);
    await expect.poll(() => page.getByTestId('login-username').isVisible()).toBe(true);
    expect(await signedIn(page, url.gd)).toBe(false);
    expect(await signedIn(page, url.national)).toBe(false);
    // The national UI asks for a password again.
    await page.goto(`${url.national}/`);
    await expect.poll(() => page.getByTestId('login-username').isVisible()).toBe(true);
    // And the SSO button at Guangdong now leads to the national login page, not into Guangdong.
    await page.goto(`${url.gd}/login`);
    await page.getByTestId('login-sso').click();
    await expect.poll(() => page.url()).toContain(`${url.national}/login?next=`);
    expect(await signedIn(page, url.gd)).toBe(false);
    await ctx.close();
  });
});
