import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Server, startServer } from './harness.js';

/**
 * Fast on weak signal (issue 16): the login page, first visit with an empty cache, on emulated 3G (750 kbps down
 * and up, 300 ms latency, Chrome DevTools' network emulation): the time until its form takes input and the bytes
 * transferred are printed, and the bytes must fit into 3 s of 750 kbps (the wall time on a loaded 2-core CI machine
 * is dominated by CPU, so the goal itself is reported, not asserted).
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
  it('needs no more than 3 s of 750 kbps, and reports its time to interactive (300 ms latency)', async () => {
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
    console.log(`[login 3G] interactive after ${ms} ms; ${Math.round(transferred / 1024)} KiB transferred`);
    // What the bytes were, largest first: where to look when the page outgrows its budget.
    sizes.sort((x, y) => y[0] - x[0]);
    console.log(
      `[login 3G] ${sizes.length} responses; largest: ${sizes
        .slice(0, 12)
        .map(([n, u]) => `${u} ${n}`)
        .join(', ')}`,
    );
    await ctx.close();
    // What the page needs must fit into 3 s of 750 kbps (the wall time also depends on this machine's CPU: printed).
    expect(transferred).toBeLessThanOrEqual(3 * bytesPerSecond);
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
