import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Server,
  desktopContext,
  launchBrowser,
  phoneContext,
  pickCascade,
  pickOption,
  startServer,
  uiLogin,
} from './harness.js';

let server: Server;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Another province's organisation, which the county administrator must never see or touch.
  const admin = await server.token('admin', ADMIN_PASSWORD);
  const res = await server.api(admin, 'POST', '/organisations', {
    name: '蒲江县农产品质量安全监管站',
    kind: 'supervision',
    divisionCode: '510131',
  });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('foundation journey', () => {
  it('admin creates a county organisation and its information administrator, who logs in, changes the password and stays in its jurisdiction', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'admin', ADMIN_PASSWORD);
    await expect.poll(() => page.getByTestId('main-menu').isVisible()).toBe(true);

    // Create the county supervision organisation.
    await page.goto('/organisations');
    await page.getByTestId('org-new').click();
    await page.getByTestId('org-name').fill('从化区农产品质量安全监管站');
    await pickOption(page, page.getByTestId('org-kind'), '监管机构');
    await pickCascade(page, page.locator('.ant-modal .ant-cascader'), ['广东省', '广州市', '从化区']);
    await page.getByTestId('org-submit').click();
    await expect.poll(() => page.locator('.ant-table-row', { hasText: '从化区农产品质量安全监管站' }).count()).toBe(1);

    // Create its information administrator; the initial password is shown once.
    await page.goto('/users');
    await page.getByTestId('user-new').click();
    await pickOption(page, page.getByTestId('user-org'), '从化区农产品质量安全监管站');
    await page.getByTestId('user-username').fill('conghua_admin');
    await page.getByTestId('user-name').fill('李伟');
    await pickOption(page, page.getByTestId('user-roles'), '信息管理员');
    await page.getByTestId('user-submit').click();
    const initial = (await page.getByTestId('initial-password').textContent())?.trim() as string;
    expect(initial.length).toBeGreaterThanOrEqual(8);
    await ctx.close();

    // The new administrator logs in on a phone, is sent to change the password, and does.
    const phone = await phoneContext(browser, server.url);
    const p = await phone.newPage();
    await uiLogin(p, 'conghua_admin', initial);
    await p.waitForURL('**/password');
    await p.getByTestId('pw-current').fill(initial);
    await p.getByTestId('pw-new').fill('Conghua2026');
    await p.getByTestId('pw-confirm').fill('Conghua2026');
    await p.getByTestId('pw-submit').click();
    await p.waitForURL((u) => u.pathname === '/');

    // Only its own jurisdiction is listed.
    await p.goto('/organisations');
    await expect.poll(() => p.locator('.ant-table-row', { hasText: '从化区农产品质量安全监管站' }).count()).toBe(1);
    expect(await p.locator('.ant-table-row', { hasText: '蒲江县' }).count()).toBe(0);
    expect(await p.locator('body').textContent()).not.toContain('蒲江县');

    // And another province's organisation cannot be touched, even by calling the API directly with this session.
    const other = await server.api<{ items: { id: string; name: string }[] }>(
      await server.token('admin', ADMIN_PASSWORD),
      'GET',
      '/organisations?q=%E8%92%B2%E6%B1%9F',
    );
    const pujiang = other.body.items[0].id;
    const touched = await p.evaluate(async (id) => {
      const r = await fetch(`/api/v1/organisations/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'disabled' }),
      });
      return { status: r.status, body: await r.json() };
    }, pujiang);
    expect(touched.status).toBe(403);
    expect(touched.body.code).toBe('OUT_OF_JURISDICTION');

    // The phone layout opens its menu from the header.
    await p.getByRole('button', { name: '菜单' }).click();
    await expect.poll(() => p.locator('.ant-drawer-open').getByText('机构管理').isVisible()).toBe(true);
    await phone.close();
  });
});

describe('foundation pages on the typed data layer', () => {
  it('puts a server field error under its field, offers the actions the server allows, pages the table, and speaks English', async () => {
    const ctx = await desktopContext(browser, server.url);
    const page = await ctx.newPage();
    await uiLogin(page, 'admin', ADMIN_PASSWORD);
    await expect.poll(() => page.getByTestId('main-menu').isVisible()).toBe(true);

    // A username that is taken: the server's 409 names the field, and the message shows under that field.
    await page.goto('/users');
    await page.getByTestId('user-new').click();
    await pickOption(page, page.getByTestId('user-org'), '蒲江县农产品质量安全监管站');
    await page.getByTestId('user-username').fill('admin');
    await page.getByTestId('user-name').fill('重名');
    await pickOption(page, page.getByTestId('user-roles'), '信息管理员');
    await page.getByTestId('user-submit').click();
    const usernameItem = page.locator('.ant-form-item', { has: page.getByTestId('user-username') });
    await expect.poll(() => usernameItem.locator('.ant-form-item-explain-error').textContent()).toContain('用户名');

    // A fresh name goes through; the new account is listed with the actions the server offers (none on myself).
    await page.getByTestId('user-username').fill('pujiang_admin');
    await page.getByTestId('user-submit').click();
    await expect.poll(() => page.getByTestId('initial-password').isVisible()).toBe(true);
    await page.locator('.ant-modal-confirm .ant-btn-primary').click();
    const row = page.locator('.ant-table-row', { hasText: 'pujiang_admin' });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.getByRole('button', { name: '停用' }).isVisible()).toBe(true);
    expect(await page.locator('.ant-table-row', { hasText: '平台管理员' }).getByRole('button').count()).toBe(0);

    // Disable: the list refreshes and now offers Enable.
    await row.getByRole('button', { name: '停用' }).click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await expect.poll(() => row.getByRole('button', { name: '启用' }).isVisible()).toBe(true);

    // The audit log filters on the server, one request per change (older answers are cancelled, never shown).
    await page.goto('/audit');
    await expect.poll(() => page.locator('.ant-table-row').count()).toBeGreaterThan(2);
    await page.locator('.ant-form-item', { hasText: '操作' }).locator('input').first().fill('user.update');
    await expect.poll(() => page.locator('.ant-table-row').count()).toBe(1);

    // English: labels of the page and of the server's roles follow the switch.
    await page.goto('/users');
    await page.getByTestId('lang-switch').click();
    await expect
      .poll(() => page.locator('.ant-table-row', { hasText: 'pujiang_admin' }).textContent())
      .toContain('Information administrator');
    await expect.poll(() => page.getByRole('button', { name: 'Enable' }).isVisible()).toBe(true);
    await ctx.close();
  });
});
