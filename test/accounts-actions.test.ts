import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, makeUser, testApp } from './helpers.js';

/** The web shows the account actions and grantable roles the server computes; it never recomputes them. */
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

const actionsOf = async (token: string, id: string) => {
  const list = await t.req(token, { method: 'GET', url: '/api/v1/users?pageSize=200' });
  expect(list.statusCode).toBe(200);
  const one = await t.req(token, { method: 'GET', url: `/api/v1/users/${id}` });
  expect(one.statusCode).toBe(200);
  const row = list.json().items.find((u: { id: string }) => u.id === id);
  expect(row.allowedActions).toEqual(one.json().allowedActions);
  return one.json().allowedActions as string[];
};

describe('allowed actions on accounts', () => {
  it('offers reset and disable/enable to an information administrator, nothing on its own account', async () => {
    const county = await makeUser(t, admin, {
      username: 'county_info',
      orgName: '从化区农业农村局',
      divisionCode: '440117',
      roles: ['info_admin'],
    });
    const target = await makeUser(t, admin, {
      username: 'county_clerk',
      orgName: '从化区监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    });
    expect(await actionsOf(county.token, county.userId)).toEqual([]);
    expect(await actionsOf(county.token, target.userId)).toEqual(['resetPassword', 'disable']);

    const off = await t.req(county.token, {
      method: 'PATCH',
      url: `/api/v1/users/${target.userId}`,
      payload: { status: 'disabled' },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().allowedActions).toEqual(['resetPassword', 'enable']);

    // An API token that may only read accounts is offered nothing.
    const tok = await t.req(county.token, {
      method: 'POST',
      url: '/api/v1/auth/tokens',
      payload: { name: 'reader', verbs: ['user.read'] },
    });
    expect(tok.statusCode).toBe(201);
    expect(await actionsOf(tok.json().token, target.userId)).toEqual([]);
  });

  it('marks the roles the caller may grant', async () => {
    const county = await makeUser(t, admin, {
      username: 'county_info3',
      orgName: '增城区农业农村局',
      divisionCode: '440118',
      roles: ['info_admin'],
    });
    const grantable = async (token: string) => {
      const res = await t.req(token, { method: 'GET', url: '/api/v1/roles' });
      expect(res.statusCode).toBe(200);
      return Object.fromEntries(
        res.json().items.map((r: { code: string; grantable: boolean }) => [r.code, r.grantable]),
      ) as Record<string, boolean>;
    };
    const mine = await grantable(county.token);
    expect(mine.info_admin).toBe(true);
    expect(mine.platform_admin).toBe(false);
    const all = await grantable(admin);
    expect([all.platform_admin, all.info_admin, all.supervisor]).toEqual([true, true, true]);
  });

  it('names the caller’s own verbs in both languages, and only those', async () => {
    const county = await makeUser(t, admin, {
      username: 'county_sup9',
      orgName: '花都区农产品质量安全监管站',
      divisionCode: '440114',
      roles: ['supervisor'],
    });
    const me = (await t.req(county.token, { method: 'GET', url: '/api/v1/auth/me' })).json();
    const res = await t.req(county.token, { method: 'GET', url: '/api/v1/verbs' });
    expect(res.statusCode).toBe(200);
    const verbs = res.json() as { code: string; zh: string; en: string }[];
    expect(verbs.map((v) => v.code).sort()).toEqual([...me.verbs].sort());
    for (const v of verbs) {
      expect(v.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(v.en).not.toMatch(/[\u4e00-\u9fff]/);
      expect(v.en).not.toBe(v.code);
    }
    expect(verbs.length).toBeLessThan((await t.req(admin, { method: 'GET', url: '/api/v1/verbs' })).json().length);
    expect((await t.req(null, { method: 'GET', url: '/api/v1/verbs' })).statusCode).toBe(401);
  });
});
