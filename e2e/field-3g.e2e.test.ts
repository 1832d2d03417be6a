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
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
      transferred += e.encodedDataLength;
    });
    const start = Date.now();
    await page.goto('/login', { waitUntil: 'commit', timeout: 60_000 });
    const input = page.getByTestId('login-username');
    await input.waitFor({ timeout: 60_000 });
    await input.fill('admin', { timeout: 60_000 });
    const ms = Date.now() - start;
    console.log(`[login 3G] interactive after ${ms} ms; ${Math.round(transferred / 1024)} KiB transferred`);
    await ctx.close();
    // What the page needs must fit into 3 s of 750 kbps (the wall time also depends on this machine's CPU: printed).
    expect(transferred).toBeLessThanOrEqual(3 * bytesPerSecond);
  });
});
