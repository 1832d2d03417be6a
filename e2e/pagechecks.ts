import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Checks a browser test runs on any page of the web UI: Chinese-only labels in the English UI, horizontal overflow
 * on a phone, and the route table read from web/src/app/routes.tsx (the one list of pages).
 */

export const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;

/** The chrome of a page: where a label, never user data, is shown. */
const CHROME = [
  '.ant-menu-item',
  '.ant-menu-item-group-title',
  '.ant-card-head-title',
  '.ant-modal-title',
  '.ant-drawer-title',
  'main h1, main h2, main h3, main h4, main h5',
  '.ant-btn',
  '.ant-table-thead th',
  '.ant-form-item-label label',
  '.ant-tag',
  '.ant-badge-status-text',
  '.ant-tabs-tab',
  '.ant-descriptions-item-label',
  '.ant-statistic-title',
  '.ant-select-selection-placeholder',
  'input[placeholder]',
  '.ant-radio-button-wrapper',
  '.ant-segmented-item-label',
  '.ant-steps-item-title',
  '.ant-empty-description',
  '.ant-pagination-total-text',
].join(', ');

/**
 * The chrome texts holding Chinese on the page now, with the element kind. User data (names, addresses, division
 * names) sits in table cells and values, which the check does not read; an element marked `data-userdata` is skipped.
 */
export const chineseChrome = (page: Page) =>
  page.evaluate(
    ({ sel, cjk }) => {
      const re = new RegExp(cjk);
      const out: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>(sel)) {
        if (el.closest('[data-userdata], [data-testid="user-menu"], [data-testid="lang-switch"]')) continue;
        if (el.offsetParent === null && !el.closest('.ant-menu')) continue; // hidden
        // a search box may show a place name as the example of what to type (division names exist in Chinese only)
        const text = (
          el instanceof HTMLInputElement ? el.placeholder.replace(/, e\.g\. \S+$/, '') : el.innerText || ''
        ).trim();
        if (!re.test(text)) continue;
        // a button or tag wrapping a user-data element: check only its own text
        const own = [...el.childNodes]
          .filter((n) => !(n instanceof HTMLElement && n.closest('[data-userdata]')))
          .map((n) => n.textContent ?? '')
          .join('');
        if (el instanceof HTMLInputElement || re.test(own))
          out.push(`${el.className.split(' ')[0] || el.tagName}: ${text.slice(0, 60)}`);
      }
      return [...new Set(out)];
    },
    { sel: CHROME, cjk: CJK.source },
  );

/**
 * What sticks out to the right of a `width` px viewport: the document's scroll width, and each outermost visible
 * element whose right edge passes the viewport and that no scrolling or clipping container (a table's
 * `overflow-x:auto` wrapper, antd's tab strip) holds. The page's own frame (html, body, layouts) clips nothing: a
 * page that hides its overflow there is still too wide.
 */
export const overflow = (page: Page, width = 360) =>
  page.evaluate((w) => {
    const frame = (el: Element) =>
      el === document.documentElement ||
      el === document.body ||
      el.id === 'root' ||
      el.tagName === 'MAIN' ||
      /(^|\s)ant-layout(\s|$|-content)/.test(el.className.toString());
    const held = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (frame(p)) continue;
        const cs = getComputedStyle(p);
        if (/auto|scroll|hidden|clip/.test(cs.overflowX)) return true;
        if (cs.position === 'fixed') return true; // a drawer or popup slid out of view
      }
      return false;
    };
    const name = (el: Element) => {
      const id = el.getAttribute('data-testid');
      const cls = el.className.toString().split(/\s+/).filter(Boolean).slice(0, 2).join('.');
      const text = ((el as HTMLElement).innerText ?? '').replace(/\s+/g, ' ').slice(0, 40);
      return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${cls ? `.${cls}` : ''} "${text}"`;
    };
    const out: string[] = [];
    const reported = new Set<Element>();
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || r.right <= w + 1) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility === 'hidden' || cs.display === 'none' || cs.position === 'fixed') continue;
      if (held(el)) continue;
      let parentOut = false;
      for (let p = el.parentElement; p; p = p.parentElement) if (reported.has(p)) parentOut = true;
      reported.add(el);
      if (!parentOut) out.push(`${name(el)} right=${Math.round(r.right)}`);
    }
    return { scrollWidth: document.scrollingElement?.scrollWidth ?? 0, sticking: out.slice(0, 6) };
  }, width);

export interface RouteEntry {
  path: string;
  verb?: string;
  public: boolean;
  menu: boolean;
}

/** The page registry (web/src/app/routes.tsx) as data: each entry's path, verb, public flag and menu presence. */
export function routeTable(): RouteEntry[] {
  const src = readFileSync(path.resolve(import.meta.dirname, '../web/src/app/routes.tsx'), 'utf8');
  const body = src.slice(src.indexOf('export const ROUTES'));
  const parts = body.split(/(?=\bpath: ')/).slice(1);
  return parts.map((p) => ({
    path: /^path: '([^']+)'/.exec(p)?.[1] as string,
    verb: /\bverb: '([^']+)'/.exec(p)?.[1],
    public: /\bpublic: true/.test(p),
    menu: /\bmenu: \{/.test(p),
  }));
}

/**
 * Counts the page's requests to `origin` (code as well as data): `settled()` resolves once none has been in flight
 * for `quiet` ms.
 */
export function trackRequests(page: Page, origin: string) {
  const inflight = { n: 0, last: Date.now() };
  page.on('request', (q) => {
    if (q.url().startsWith(origin)) {
      inflight.n++;
      inflight.last = Date.now();
    }
  });
  const done = (q: { url(): string }) => {
    if (q.url().startsWith(origin)) {
      inflight.n = Math.max(0, inflight.n - 1);
      inflight.last = Date.now();
    }
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    settled: (quiet = 600) =>
      expect
        .poll(() => inflight.n === 0 && Date.now() - inflight.last > quiet, { timeout: 30_000, interval: 100 })
        .toBe(true),
  };
}

/**
 * Table cells of a division column (区划, 地区, 县…) that show a bare division code instead of its name (issue 17
 * item 9).
 */
export const rawDivisionCodes = (page: Page) =>
  page.evaluate(() => {
    const header =
      /^(区划|地区|县|乡镇|所在地|所在区划|抽查区划|乡镇（街道）|Division|Area|Region|County|Township|Location)$/;
    const out: string[] = [];
    for (const table of document.querySelectorAll('.ant-table')) {
      const heads = [...table.querySelectorAll('.ant-table-thead th')].map((th) => (th.textContent ?? '').trim());
      for (const row of table.querySelectorAll('.ant-table-tbody tr.ant-table-row')) {
        [...row.querySelectorAll(':scope > td')].forEach((td, i) => {
          const text = (td.textContent ?? '').trim();
          if (header.test(heads[i] ?? '') && /^\d{6}(\d{3})?$/.test(text)) out.push(`${heads[i]}: ${text}`);
        });
      }
    }
    return [...new Set(out)];
  });
