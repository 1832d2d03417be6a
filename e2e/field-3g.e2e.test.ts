import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, launchBrowser, type Server, startServer } from './harness.js';

/**
 * Fast on weak signal (issue 16): the login page, first visit with an empty cache, on emulated 3G (750 kbps down
 * and up, 300 ms latency, Chrome DevTools' network emulation) is interactive within 3 s: its form takes input. The
 * login path loads React and the login form only (main.tsx, features/auth/LoginShell.tsx: no Ant Design, router
 * or query client). The time until then is printed (1.45 – 2.1 s at load averages 9 – 20 on 2 cores; 3.8 s once at
 * load 23, so it is not asserted: the project keeps timed assertions out of tests); what the time is made of is
 * asserted: at most 1 s of 750 kbps downloaded (57 KiB) and two scripts (the entry and its preloaded runtime, in one
 * round: no chain of imports).
 */
let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({}, { timeoutMs: 600_000 });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('login on emulated 3G', () => {
  it('needs one round of files within 1 s of 750 kbps, and reports its time to interactive (300 ms latency)', async () => {
    const ctx = await browser.newContext({
      // not watched: timing only
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      serviceWorkers: 'block', // the first visit: nothing on the device yet
    });
    const page = await ctx.newPage();
    const cdp = await ctx.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const bytesPerSecond = (750 * 1000) / 8;
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 300,
      downloadThroughput: bytesPerSecond,
      uploadThroughput: bytesPerSecond,
    });
    let transferred = 0;
    const urls = new Map<string, string>();
    const sizes: [number, string][] = [];
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
      urls.set(e.requestId, e.request.url.replace(server.url, ''));
    });
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
      transferred += e.encodedDataLength;
      sizes.push([e.encodedDataLength, urls.get(e.requestId) ?? e.requestId]);
    });
    const start = Date.now();
    await page.goto('/login', { waitUntil: 'commit', timeout: 60_000 });
    const input = page.getByTestId('login-username');
    await input.waitFor({ timeout: 60_000 });
    await input.fill('admin', { timeout: 60_000 });
    const ms = Date.now() - start;
    // What was needed until then (the form starts loading the application once a field has the focus).
    const needed = transferred;
    const scripts = sizes.filter(([, u]) => u.endsWith('.js')).map(([, u]) => u);
    console.log(`[login 3G] interactive after ${ms} ms; ${Math.round(needed / 1024)} KiB transferred`);
    // What the bytes were, largest first: where to look when the page outgrows its budget.
    sizes.sort((x, y) => y[0] - x[0]);
    console.log(
      `[login 3G] ${sizes.length} responses; largest: ${sizes
        .slice(0, 12)
        .map(([n, u]) => `${u} ${n}`)
        .join(', ')}`,
    );
    // Signing in from this page hands over to the application (loaded meanwhile), at `?next=` or home.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await ctx.close();
    // No Ant Design, no application chunk on the login path: within 1 s of 750 kbps, one round of files.
    expect(needed).toBeLessThanOrEqual(bytesPerSecond);
    expect(scripts.length, scripts.join(', ')).toBeLessThanOrEqual(2); // the entry and Vite's runtime
  });

  it('the light login page shows the reason of a refusal, then signs in into the application at ?next=', async () => {
    const ctx = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      serviceWorkers: 'block',
    });
    const page = await ctx.newPage();
    await page.goto('/login?next=%2Fprofile');
    // Nothing of Ant Design on the login page itself.
    expect(await page.locator('[class*="ant-"]').count()).toBe(0);
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByText('请输入用户名').isVisible()).toBe(true);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('error').textContent()).toMatch(/用户名或密码/);
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => u.pathname === '/profile');
    await expect.poll(() => page.getByTestId('user-menu').isVisible()).toBe(true);
    // The application's own /login (after a logout) is the same form, in English when chosen.
    await page.evaluate(() => localStorage.setItem('suyuan.lang', 'en'));
    await page.context().clearCookies();
    await page.goto('/');
    await page.waitForURL((u) => u.pathname === '/login');
    await expect.poll(() => page.getByTestId('login-submit').textContent()).toBe('Log in');
    await ctx.close();
  });

  it('sends the hashed scripts without the document-only headers, keeping nosniff; the page keeps its CSP', async () => {
    const html = await fetch(`${server.url}/login`);
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = (await html.text()).match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeTruthy();
    const js = await fetch(`${server.url}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('content-encoding')).toBe('br');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(js.headers.get('content-security-policy')).toBeNull();
    expect(js.headers.get('x-frame-options')).toBeNull();
  });
});
