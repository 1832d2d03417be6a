/**
 * Single sign-on across tiers (issue 15 item 4, docs/sso.md): national (OpenID provider) and Guangdong (relying
 * party), each its own app and database on 127.0.0.1, the connection applied for and approved, then the whole
 * authorization-code flow over real HTTP with a cookie jar per "browser" (fetch, redirects followed by hand).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drainOutbox, pushOnce } from '../src/modules/sharing/worker.js';
import { ADMIN_PASSWORD, type TestApp, makeUser, testApp } from './helpers.js';
import { freePort } from './server.js';

let national: TestApp;
let gd: TestApp;
const url = {} as Record<'national' | 'gd', string>;

/** A browser's cookies: per origin, name and path (enough for these two origins on loopback). */
class Browser {
  private jar = new Map<string, { value: string; path: string }>();
  visited: string[] = [];
  private cookiesFor(u: URL) {
    const out: string[] = [];
    for (const [key, c] of this.jar) {
      const [origin, name] = key.split('|');
      if (origin === u.origin && u.pathname.startsWith(c.path)) out.push(`${name}=${c.value}`);
    }
    return out.join('; ');
  }
  private keep(u: URL, res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) || '/';
      const expired =
        value === '' ||
        attrs.some((a) => /^max-age=0$/i.test(a)) ||
        attrs.some((a) => a.toLowerCase().startsWith('expires=') && Date.parse(a.slice(8)) < Date.now());
      const key = `${u.origin}|${name}|${path}`;
      if (expired) this.jar.delete(key);
      else this.jar.set(key, { value, path });
    }
  }
  /** One request, no redirect followed. */
  async send(href: string, init: RequestInit = {}) {
    const u = new URL(href);
    const headers = new Headers(init.headers);
    const cookie = this.cookiesFor(u);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(u, { ...init, headers, redirect: 'manual' });
    this.keep(u, res);
    return res;
  }
  /** Navigates like a browser: follows redirects (a 303 turns into a GET), returns the last answer and its URL. */
  async open(href: string, init: RequestInit = {}) {
    let current = href;
    let res = await this.send(current, init);
    for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 15; hops++) {
      current = new URL(res.headers.get('location') ?? '', current).href;
      this.visited.push(current);
      res = await this.send(current);
    }
    return { res, url: current, body: await res.text() };
  }
  login(base: string, username: string, password: string) {
    return this.send(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
  }
  async me(base: string) {
    const res = await this.send(`${base}/api/v1/auth/me`);
    return { status: res.status, body: res.status === 200 ? await res.json() : null };
  }
}

async function start(env: Record<string, string>) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await testApp({ ...env, PUBLIC_BASE_URL: base });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { t, base };
}

beforeAll(async () => {
  ({ t: national, base: url.national } = await start({ PLATFORM_TIER: 'national' }));
  ({ t: gd, base: url.gd } = await start({
    PLATFORM_TIER: 'province',
    PLATFORM_REGION: '44',
    UPPER_PLATFORM_URL: url.national,
  }));
  // Apply (entry URL = Guangdong's PUBLIC_BASE_URL) and approve; Guangdong's heartbeat learns the approval.
  const gdAdmin = await gd.login('admin');
  const applied = await gd.req(gdAdmin, {
    method: 'POST',
    url: '/api/v1/sharing/connections/apply',
    payload: { contactName: '粤平台', contactPhone: '13800138000' },
  });
  expect(applied.statusCode, applied.body).toBe(200);
  const natAdmin = await national.login('admin');
  const list = await national.req(natAdmin, { method: 'GET', url: '/api/v1/sharing/connections' });
  const lower = list.json().items.find((i: { platformId: string }) => i.platformId === 'province-44');
  const ok = await national.req(natAdmin, {
    method: 'POST',
    url: `/api/v1/sharing/connections/${lower.id}/actions`,
    payload: { action: 'approve' },
  });
  expect(ok.statusCode, ok.body).toBe(200);
  await pushOnce(gd.database.db, gd.app.config, true);
}, 600_000);
afterAll(async () => {
  await gd?.close();
  await national?.close();
});

describe('single sign-on across tiers', () => {
  it('publishes discovery and the persisted signing key at national; offers the button at Guangdong', async () => {
    const disc = await (await fetch(`${url.national}/oidc/.well-known/openid-configuration`)).json();
    expect(disc.issuer).toBe(`${url.national}/oidc`);
    expect(disc.end_session_endpoint).toBe(`${url.national}/oidc/session/end`);
    const jwks = await (await fetch(disc.jwks_uri)).json();
    const stored = JSON.parse(readFileSync(national.app.config.oidcKeyFile, 'utf8'));
    expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual([stored.jwks.keys[0].kid]);
    expect(jwks.keys[0].d).toBeUndefined();
    // The other routes are untouched by the mount: JSON API, 404 problem, security headers.
    const health = await fetch(`${url.national}/api/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await fetch(`${url.national}/api/v1/nope`)).status).toBe(404);
    const status = await (await fetch(`${url.gd}/api/v1/sso/status`)).json();
    expect(status).toMatchObject({ available: true, upperPlatformUrl: url.national, linked: null });
    // National has no upper platform: no button there.
    expect(await (await fetch(`${url.national}/api/v1/sso/status`)).json()).toMatchObject({ available: false });
  });

  it('refuses a client that is not an approved lower platform', async () => {
    const res = await fetch(
      `${url.national}/oidc/auth?client_id=province-51&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(`${url.gd}/api/v1/sso/callback`)}&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs&code_challenge_method=S256`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid_client');
  });

  const alice = new Browser();

  it('links a Guangdong account to the national one (signed in on both), then signs in without a password', async () => {
    expect((await alice.login(url.national, 'admin', ADMIN_PASSWORD)).status).toBe(200);
    // Not linked yet: refused with a clear message in both languages.
    const refused = await alice.open(`${url.gd}/api/v1/sso/login`);
    expect(refused.res.status).toBe(403);
    expect(refused.body).toContain('尚未关联');
    expect(refused.body).toContain('is not linked');
    expect((await alice.me(url.gd)).status).toBe(401);
    // Linking: signed in at Guangdong with its password, the user proves the national account through SSO.
    expect((await alice.login(url.gd, 'admin', ADMIN_PASSWORD)).status).toBe(200);
    const linked = await alice.open(`${url.gd}/api/v1/sso/login?link=1&next=/account`);
    expect(linked.url).toBe(`${url.gd}/account`);
    const natAdmin = await national.database.db
      .selectFrom('account')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    const gdAdmin = await gd.database.db
      .selectFrom('account')
      .select(['upper_subject'])
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(gdAdmin.upper_subject).toBe(natAdmin.id);
    expect((await (await alice.send(`${url.gd}/api/v1/sso/status`)).json()).linked).toBe(true);
    // Local logout at Guangdong (a password session: the national one stays).
    const out = await alice.send(`${url.gd}/api/v1/sso/logout`, { method: 'POST' });
    expect(await out.json()).toEqual({ redirectTo: null });
    expect((await alice.me(url.gd)).status).toBe(401);
    expect((await alice.me(url.national)).status).toBe(200);
    // Now the SSO button: no password asked, a Guangdong session for the linked account.
    const before = alice.visited.length;
    const signed = await alice.open(`${url.gd}/api/v1/sso/login?next=/trace`);
    expect(signed.url).toBe(`${url.gd}/trace`);
    const hops = alice.visited.slice(before);
    expect(hops.some((h) => h.startsWith(`${url.national}/oidc/interaction/`))).toBe(true);
    expect(hops.some((h) => h.includes('/login?'))).toBe(false);
    const me = await alice.me(url.gd);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'admin', scope: '44' });
    const audit = await gd.database.db
      .selectFrom('audit_log')
      .select(['summary'])
      .where('verb', '=', 'auth.login')
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit.summary).toMatchObject({ via: 'sso', upperSubject: natAdmin.id });
  });

  it('sends a user not signed in at national to the national login page first', async () => {
    const bob = new Browser();
    const r = await bob.open(`${url.gd}/api/v1/sso/login`);
    // The national login page (the web UI's route; a 404 problem here, as the tests run without the built UI).
    expect(r.url).toMatch(new RegExp(`^${url.national}/login\\?next=%2Foidc%2Finteraction%2F`));
    expect((await bob.me(url.gd)).status).toBe(401);
  });

  it('refuses an unlinked national user', async () => {
    const natAdmin = await national.login('admin');
    const clerk = await makeUser(national, natAdmin, {
      username: 'nat-clerk',
      orgName: '北京市农业农村局',
      divisionCode: '11',
      roles: ['supervisor'],
    });
    const carol = new Browser();
    expect((await carol.login(url.national, 'nat-clerk', clerk.password)).status).toBe(200);
    const r = await carol.open(`${url.gd}/api/v1/sso/login`);
    expect(r.res.status).toBe(403);
    expect(r.body).toContain('nat-clerk');
    expect(r.body).toContain('尚未关联本平台账号');
    expect((await carol.me(url.gd)).status).toBe(401);
    expect((await carol.me(url.national)).status).toBe(200);
  });

  it('logout at Guangdong ends the national session too (RP-initiated logout)', async () => {
    const out = await alice.send(`${url.gd}/api/v1/sso/logout`, { method: 'POST' });
    const { redirectTo } = await out.json();
    expect(redirectTo).toContain(`${url.national}/oidc/session/end`);
    expect((await alice.me(url.gd)).status).toBe(401);
    // The end-session page: a form that submits itself (its script allowed by hash in the page's CSP).
    const page = await alice.open(redirectTo);
    expect(page.res.status).toBe(200);
    const csp = page.res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'sha256-/);
    expect(csp).toContain(`form-action 'self' ${url.gd}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const fields = new URLSearchParams();
    for (const m of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields.set(m[1], m[2]);
    expect(fields.get('logout')).toBe('yes');
    const done = await alice.open(new URL(action, url.national).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    expect(done.url).toBe(`${url.gd}/login`);
    expect((await alice.me(url.national)).status).toBe(401);
    const natLogout = await national.database.db
      .selectFrom('audit_log')
      .select(['actor_name'])
      .where('verb', '=', 'auth.logout')
      .executeTakeFirstOrThrow();
    expect(natLogout.actor_name).toBe('admin');
    // Signed out at national: the SSO button now leads to the national login page, not into Guangdong.
    const again = await alice.open(`${url.gd}/api/v1/sso/login`);
    expect(again.url).toContain(`${url.national}/login?next=`);
    expect((await alice.me(url.gd)).status).toBe(401);
  });

  it('lists the connected lower platforms with entry URLs and health on the portal', async () => {
    const gdTok = await gd.login('admin');
    const org = await gd.req(gdTok, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: '门户测试机构', kind: 'supervision', divisionCode: '440117' },
    });
    expect(org.statusCode, org.body).toBe(201);
    await drainOutbox(gd.database.db, gd.app.config);
    const tok = await national.login('admin');
    const r = await national.req(tok, { method: 'GET', url: '/api/v1/sso/portal' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items).toEqual([
      expect.objectContaining({
        platformId: 'province-44',
        entryUrl: url.gd,
        ssoUrl: `${url.gd}/api/v1/sso/login`,
        status: 'approved',
        health: expect.stringMatching(/healthy|degraded|stale/),
      }),
    ]);
    expect(r.json().items[0].lastSuccessAt).toBeTruthy();
    // Suspended by national: shown as such, and no longer a client of the provider.
    const conn = (await national.req(tok, { method: 'GET', url: '/api/v1/sharing/connections' })).json().items[0];
    const suspend = await national.req(tok, {
      method: 'POST',
      url: `/api/v1/sharing/connections/${conn.id}/actions`,
      payload: { action: 'suspend' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    const after = await national.req(tok, { method: 'GET', url: '/api/v1/sso/portal' });
    expect(after.json().items[0]).toMatchObject({ status: 'suspended', health: 'suspended' });
    const dave = new Browser();
    expect((await dave.login(url.national, 'admin', ADMIN_PASSWORD)).status).toBe(200);
    const refused = await dave.open(`${url.gd}/api/v1/sso/login`);
    expect(refused.res.status).toBe(400);
    expect(refused.body).toContain('invalid_client');
    expect((await dave.me(url.gd)).status).toBe(401);
  });
});
