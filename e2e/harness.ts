import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const ADMIN_PASSWORD = 'Admin12345';
const ROOT = path.resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export interface Server {
  url: string;
  dataDir: string;
  /** Logs in through the API and returns a bearer token (for setting up data quickly). */
  token(username: string, password: string): Promise<string>;
  api<T = unknown>(token: string | null, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** Starts `src/main.ts` on a free port with a fresh embedded database; `env` adds settings (e.g. DEMO=true). */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  if (!existsSync(path.join(ROOT, 'web/dist/index.html'))) throw new Error('web/dist is missing: run `npm run build:web` first');
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'suyuan-e2e-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD, LOAD_VILLAGES: 'false', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`server not healthy in 60 s: ${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const api: Server['api'] = async (token, method, p, body) => {
    const res = await fetch(`${url}/api/v1${p}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    url,
    dataDir,
    api,
    async token(username, password) {
      const r = await api<{ token: string }>(null, 'POST', '/auth/login', { username, password });
      if (r.status !== 200) throw new Error(`login ${username}: ${JSON.stringify(r.body)}`);
      return r.body.token;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
