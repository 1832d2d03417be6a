import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { creditCodeCheckChar } from '../src/kernel/idcodes.js';
import { ADMIN_PASSWORD, ROOT, type Server, startServer as startProcess } from '../test/server.js';

export { ADMIN_PASSWORD, type Server };
export { freePort } from '../test/server.js';

/**
 * The real server as `npm start` runs it (compiled to dist/, built web UI) on its own embedded database: a copy of
 * the migrated template that e2e/global-setup.ts prepared (`admin` / ADMIN_PASSWORD is created at start), or with
 * `fresh` an empty directory that the server migrates itself.
 */
export async function startServer(
  env: Record<string, string> = {},
  opts: { timeoutMs?: number; port?: number; fresh?: boolean } = {},
): Promise<Server> {
  if (!existsSync(path.join(ROOT, 'web/dist/index.html')))
    throw new Error('web/dist is missing: run `npm run build:web` first');
  opts = { timeoutMs: 540_000, ...opts };
  const template = inject('e2eDataTemplate');
  if (opts.fresh || !template) return startProcess(env, { ...opts, entry: 'start' });
  const dataDir = mkdtempSync(path.join(tmpdir(), 'suyuan-e2e-'));
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  try {
    cpSync(template, dataDir, { recursive: true });
    const server = await startProcess(env, { ...opts, entry: 'start', dataDir });
    return {
      ...server,
      stop: () => server.stop().finally(remove),
    };
  } catch (e) {
    remove();
    throw e;
  }
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Every page of a test's contexts is watched: console errors, failed requests and API answers ≥ 400 are kept, and
 * when a test fails (e2e/setup.ts) each page still open is photographed and its URL, text and log are printed, so a
 * failure on a CI machine can be read from its log.
 */
export const watched = new Set<{ page: Page; log: string[] }>();
function watch(ctx: BrowserContext): BrowserContext {
  ctx.on('page', (page) => {
    const entry = { page, log: [] as string[] };
    const add = (line: string) => entry.log.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    watched.add(entry);
    page.on('close', () => watched.delete(entry));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') add(`console.${m.type()}: ${m.text().slice(0, 300)}`);
    });
    page.on('pageerror', (e) => add(`pageerror: ${e.message.slice(0, 300)}`));
    page.on('requestfailed', (r) => add(`requestfailed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    page.on('request', (r) => {
      if (r.url().includes('/api/') && r.method() !== 'GET')
        add(`→ ${r.method()} ${r.url().replace(/^https?:\/\/[^/]+/, '')}`);
    });
    page.on('response', (r) => {
      if (r.url().includes('/api/'))
        add(`${r.status()} ${r.request().method()} ${r.url().replace(/^https?:\/\/[^/]+/, '')}`);
    });
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) add(`navigated: ${f.url()}`);
    });
  });
  return ctx;
}

interface ContextOptions {
  /**
   * Let the service worker install (the field app's offline tests). Off by default: its install downloads every
   * page's code, which on a loaded 2-core machine competes with the journey under test.
   */
  serviceWorkers?: boolean;
}

/** A phone-sized context (360×740, touch), as township staff and farmers use the platform. */
export async function phoneContext(browser: Browser, baseURL: string, o: ContextOptions = {}): Promise<BrowserContext> {
  return watch(
    await browser.newContext({
      baseURL,
      viewport: { width: 360, height: 740 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      serviceWorkers: o.serviceWorkers ? 'allow' : 'block',
    }),
  );
}

export async function desktopContext(
  browser: Browser,
  baseURL: string,
  o: ContextOptions = {},
): Promise<BrowserContext> {
  return watch(
    await browser.newContext({
      baseURL,
      viewport: { width: 1366, height: 860 },
      locale: 'zh-CN',
      serviceWorkers: o.serviceWorkers ? 'allow' : 'block',
    }),
  );
}

/** Logs in through the login page. */
export async function uiLogin(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Whether an antd Select or Cascader (its root element) has its dropdown open. */
const isOpen = (root: Locator) => root.evaluate((el) => el.classList.contains('ant-select-open'));

/**
 * Closes a dropdown that stays open after a pick (a multiple select, a cascader on a non-leaf) without touching
 * anything else: inside a modal a stray Escape or a click on the mask would close the modal instead, so the click
 * goes to the modal's title; elsewhere Escape is safe.
 */
async function closeDropdown(page: Page, root: Locator): Promise<void> {
  if (!(await isOpen(root))) return;
  const title = page.locator('.ant-modal-wrap:visible .ant-modal-title, .ant-drawer-open .ant-drawer-title');
  if (await title.count()) await title.last().click();
  else await page.keyboard.press('Escape');
  await expect.poll(() => isOpen(root)).toBe(false);
}

/**
 * Clicks until `done()` holds: on a loaded machine a click on a dropdown item made while the dropdown is still
 * opening can be lost (the item is there but the click does not register), so a pick is retried, at most 3 times.
 */
async function clickUntil(target: Locator, done: () => Promise<boolean>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await target.click();
    const ok = await expect
      .poll(done, { timeout: attempt < 3 ? 3_000 : 15_000 })
      .toBe(true)
      .then(
        () => true,
        (e: Error) => {
          if (attempt >= 3) throw e;
          console.log(`click on ${target} did not take (attempt ${attempt}); clicking again`);
          return false;
        },
      );
    if (ok) return;
  }
}

/** Picks an option of an antd Select (`trigger` is the Select's root, e.g. by its test id). */
export async function pickOption(page: Page, trigger: Locator, text: string): Promise<void> {
  // The pick must show in the field.
  const shown = async () => ((await trigger.textContent()) ?? '').includes(text);
  for (let attempt = 1; ; attempt++) {
    if (!(await isOpen(trigger))) await trigger.click();
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first();
    try {
      await clickUntil(option, shown);
      break;
    } catch (e) {
      // The dropdown closed without the pick (the click landed as it opened): open it again.
      if (attempt >= 2) throw e;
    }
  }
  await closeDropdown(page, trigger);
}

/** Walks an antd Cascader (`trigger` is its root) through the given labels. */
export async function pickCascade(page: Page, trigger: Locator, labels: string[]): Promise<void> {
  await trigger.click();
  const menus = page.locator('.ant-cascader-dropdown:visible .ant-cascader-menu');
  for (const [i, label] of labels.entries()) {
    const item = menus.nth(i).locator('.ant-cascader-menu-item', { hasText: label }).first();
    // Picked: the item is active (its children, if any, load into the next column).
    await clickUntil(item, async () => /ant-cascader-menu-item-active/.test((await item.getAttribute('class')) ?? ''));
  }
  await closeDropdown(page, trigger);
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
  const created = await server.api(adminToken, 'POST', '/users', {
    username: a.username,
    displayName: a.displayName ?? a.username,
    orgId: a.orgId,
    roles: a.roles,
    password: 'Initial123',
  });
  if (created.status !== 201) throw new Error(`create ${a.username}: ${JSON.stringify(created.body)}`);
  const first = await server.token(a.username, 'Initial123');
  const changed = await server.api(first, 'POST', '/auth/password', {
    currentPassword: 'Initial123',
    newPassword: a.password,
  });
  if (changed.status !== 204) throw new Error(`password of ${a.username}: ${JSON.stringify(changed.body)}`);
  return server.token(a.username, a.password);
}

/** A 1×1 PNG uploaded as a proof file (证明材料): the licence a credit-code registration must carry (第八条). */
export async function proofFiles(server: Server): Promise<{ fileId: string; kind: 'licence' }[]> {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'licence.png');
  const res = await fetch(`${server.url}/api/v1/files?purpose=proof`, { method: 'POST', body: form });
  if (res.status !== 201) throw new Error(`proof upload: ${res.status} ${await res.text()}`);
  return [{ fileId: ((await res.json()) as { id: string }).id, kind: 'licence' }];
}

/**
 * A cooperative registered anonymously with a valid credit code (the 17 characters `body17` plus its check
 * character) and a proof file, then approved by `adminToken`. `body` gives the name, division, account and contact.
 */
export async function registerApproved(
  server: Server,
  adminToken: string,
  body17: string,
  body: Record<string, unknown>,
): Promise<void> {
  const reg = await server.api<{ applicationId: string }>(null, 'POST', '/subjects/registrations', {
    files: await proofFiles(server),
    orgForm: 'cooperative',
    industries: ['planting'],
    certType: 'credit_code',
    certNo: body17 + creditCodeCheckChar(body17),
    legalPersonName: '李四',
    contactName: '李四',
    ...body,
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const ok = await server.api(adminToken, 'POST', `/subject-applications/${reg.body.applicationId}/approve`, {});
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
}

export { MP4 } from '../test/media.js';
