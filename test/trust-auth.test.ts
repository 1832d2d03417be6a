import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type TestApp, makeUser, testApp } from './helpers.js';

// Issue 12, items 2 (login throttling), 3 (client address) and 10 (sessions).
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

const login = (username: string, password: string, remoteAddress: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress, headers });

describe('login throttling', () => {
  it('anonymous wrong passwords cannot lock admin out, repeatably', async () => {
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 6; i++) await login('admin', 'nope', '192.0.2.66');
      const owner = await login('admin', ADMIN_PASSWORD, '192.0.2.10');
      expect(owner.statusCode, owner.body).toBe(200);
    }
  });
  it('answers unknown and known usernames alike, counting down the attempts left', async () => {
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 6; i++) {
      const a = await login('admin', 'wrong', '192.0.2.77');
      const b = await login('no-such-user', 'wrong', '192.0.2.77');
      known.push(`${a.statusCode} ${a.json().code} ${a.json().messageEn}`);
      unknown.push(`${b.statusCode} ${b.json().code} ${b.json().messageEn}`);
    }
    expect(unknown).toEqual(known);
    expect(known[0]).toBe('401 INVALID_CREDENTIALS Wrong username or password; 4 attempts left');
    expect(known[4]).toMatch(/^429 LOGIN_THROTTLED .*15 minutes/);
    expect(known[5]).toMatch(/^429 LOGIN_THROTTLED/);
  });
});

describe('client address', () => {
  const lastLoginIp = async (username: string) =>
    (
      await t.database.db
        .selectFrom('audit_log')
        .select('ip')
        .where('summary', '@>', JSON.stringify({ username }) as never)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
    ).ip;
  it('by default X-Forwarded-For is ignored: it neither escapes the throttle nor forges the audit address', async () => {
    for (let i = 0; i < 5; i++) await login('spoof-target', 'x', '192.0.2.99', { 'x-forwarded-for': `203.0.113.${i}` });
    const sixth = await login('spoof-target', 'x', '192.0.2.99', { 'x-forwarded-for': '203.0.113.200' });
    expect(sixth.json().code).toBe('LOGIN_THROTTLED');
    expect(await lastLoginIp('spoof-target')).toBe('192.0.2.99');
  });
  it('TRUST_PROXY lists the proxies whose X-Forwarded-For is believed', async () => {
    const t2 = await testApp({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.1' });
    try {
      const via = (remoteAddress: string, username: string) =>
        t2.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username, password: 'x' },
          remoteAddress,
          headers: { 'x-forwarded-for': '203.0.113.5' },
        });
      await via('10.1.2.3', 'through-proxy');
      await via('198.51.100.1', 'direct-client');
      const ip = async (username: string) =>
        (
          await t2.database.db
            .selectFrom('audit_log')
            .select('ip')
            .where('summary', '@>', JSON.stringify({ username }) as never)
            .executeTakeFirstOrThrow()
        ).ip;
      expect(await ip('through-proxy')).toBe('203.0.113.5');
      expect(await ip('direct-client')).toBe('198.51.100.1');
    } finally {
      await t2.close();
    }
  }, 180_000);
});

describe('sessions', () => {
  it("changing one's password ends one's other sessions; an administrator's reset revokes API tokens", async () => {
    const admin = await t.login('admin');
    const u = await makeUser(t, admin, {
      username: 'two-devices',
      orgName: '双设备站',
      divisionCode: '440117',
      roles: ['supervisor'],
    });
    const phone = await t.login('two-devices', u.password);
    const desk = await t.login('two-devices', u.password);
    const ch = await t.req(desk, {
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: u.password, newPassword: 'Another123' },
    });
    expect(ch.statusCode, ch.body).toBe(204);
    expect((await t.req(phone, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    expect((await t.req(desk, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    const tok = await t.req(desk, {
      method: 'POST',
      url: '/api/v1/auth/tokens',
      payload: { name: 'script', verbs: ['patrol.read'] },
    });
    expect(tok.statusCode, tok.body).toBe(201);
    const secret = tok.json().token as string;
    expect((await t.req(secret, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(200);
    const reset = await t.req(admin, { method: 'POST', url: `/api/v1/users/${u.userId}/reset-password` });
    expect(reset.statusCode, reset.body).toBe(200);
    expect((await t.req(secret, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
  });
});
