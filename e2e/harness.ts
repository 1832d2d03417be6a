import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ADMIN_PASSWORD, ROOT, type Server, startServer as startProcess } from '../test/server.js';

export { ADMIN_PASSWORD, type Server };

/** The real server with the built web UI on a fresh embedded database (`admin` / ADMIN_PASSWORD). */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
  return startProcess(env);
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A phone-sized context (360×740, touch), as township staff and farmers use the platform. */
export function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}

export function desktopContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1366, height: 860 }, locale: 'zh-CN' });
}

/** Logs in through the login page. */
export async function uiLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Picks an option of an antd Select (opened by clicking `trigger`). */
export async function pickOption(page: Page, trigger: ReturnType<Page['getByTestId']>, text: string): Promise<void> {
  await trigger.click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click();
  // A multiple select stays open after a pick; close it so it does not cover the buttons below.
  if (await page.locator('.ant-select-dropdown:visible').count()) await page.keyboard.press('Escape');
}

/** Walks an antd Cascader (opened by clicking `trigger`) through the given labels. */
export async function pickCascade(page: Page, trigger: ReturnType<Page['locator']>, labels: string[]): Promise<void> {
  await trigger.click();
  for (const [i, label] of labels.entries()) {
    await page.locator('.ant-cascader-dropdown:visible .ant-cascader-menu').nth(i).locator('.ant-cascader-menu-item', { hasText: label }).first().click();
  }
  await page.keyboard.press('Escape');
}

/**
 * Creates an account in an existing organisation through the API, logs it in and sets its own password (accounts
 * made by someone else must change it first). Returns the account's token.
 */
export async function makeAccount(
  server: Server,
  adminToken: string,
  a: { username: string; displayName?: string; orgId: string; roles: string[]; password: string },
): Promise<string> {
  const created = await server.api(adminToken, 'POST', '/users', { username: a.username, displayName: a.displayName ?? a.username, orgId: a.orgId, roles: a.roles, password: 'Initial123' });
  if (created.status !== 201) throw new Error(`create ${a.username}: ${JSON.stringify(created.body)}`);
  const first = await server.token(a.username, 'Initial123');
  const changed = await server.api(first, 'POST', '/auth/password', { currentPassword: 'Initial123', newPassword: a.password });
  if (changed.status !== 204) throw new Error(`password of ${a.username}: ${JSON.stringify(changed.body)}`);
  return server.token(a.username, a.password);
}
