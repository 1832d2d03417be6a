import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeEach } from 'vitest';
import { watched } from './harness.js';

/**
 * When a browser test fails, every page still open is photographed into .tmp/e2e-failures/ and its URL, visible text
 * and log (console errors, failed requests, API statuses, navigations) are printed: the CI log alone explains it.
 */
beforeEach(({ task, onTestFailed }) => {
  onTestFailed(async () => {
    const dir = path.resolve('.tmp/e2e-failures');
    mkdirSync(dir, { recursive: true });
    let n = 0;
    for (const { page, log } of watched) {
      n += 1;
      const file = path.join(dir, `${task.name.slice(0, 40).replace(/[^\w一-龥]+/g, '_')}-${n}.png`);
      const shot = await page.screenshot({ path: file, fullPage: true }).then(
        () => file,
        (e: Error) => `no screenshot (${e.message})`,
      );
      const text = await page
        .locator('body')
        .innerText({ timeout: 2_000 })
        .catch(() => '');
      console.log(
        [
          `--- page ${n} of failed test "${task.name}": ${page.url()}`,
          `screenshot: ${shot}`,
          `text: ${text.replace(/\s+/g, ' ').slice(0, 1_500)}`,
          ...log.slice(-60),
        ].join('\n'),
      );
    }
  });
});
