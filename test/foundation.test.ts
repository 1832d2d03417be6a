import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm3 } from '../src/kernel/auth/crypto.js';
import { compileAllSchemas } from '../src/kernel/lazy-compilers.js';
import { type TestApp, makeUser, testApp } from './helpers.js';

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t.close());

describe('platform', () => {
  it('reports health with the database kind and version', async () => {
    const res = await t.req(null, { method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ok',
      database: process.env.TEST_DATABASE_URL ? 'postgresql' : 'pglite',
      version: expect.any(String),
    });
  });
  it('publishes an OpenAPI document where every route has a camelCase operationId and tags', async () => {
    const doc = (await t.req(null, { method: 'GET', url: '/docs/json' })).json();
    const ops = Object.values(
      doc.paths as Record<string, Record<string, { operationId?: string; tags?: string[] }>>,
    ).flatMap((p) => Object.values(p));
    expect(ops.length).toBeGreaterThan(15);
    for (const op of ops) {
      expect(op.operationId).toMatch(/^[a-z][a-zA-Z]+$/);
      expect(op.tags?.length).toBeGreaterThan(0);
    }
    const ids = ops.map((o) => o.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('login');
  });
  it('compiles every route schema: validators and serialisers wait for their first request, none is broken', async () => {
    // Lazily compiled (src/kernel/lazy-compilers.ts): forcing them all here makes a schema that does not compile fail
    // this test rather than a user's request. Some 500 routes, each with parameters, body or responses.
    expect(compileAllSchemas()).toBeGreaterThan(300);
    expect(compileAllSchemas()).toBe(0);
  });
  it('answers unknown API routes with a catalogued 404', async () => {
    const res = await t.req(admin, { method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('authentication before validation', () => {
  it('answers an anonymous call to an authenticated route 401, whatever its body or query says', async () => {
    const calls: InjectOptions[] = [
      { method: 'POST', url: '/api/v1/organisations', payload: { kind: 'farm' } },
      { method: 'POST', url: '/api/v1/users', payload: { username: 1, roles: 'x' } },
      { method: 'PATCH', url: '/api/v1/users/not-a-uuid', payload: {} },
      { method: 'POST', url: '/api/v1/auth/tokens', payload: { verbs: [] } },
      { method: 'GET', url: '/api/v1/audit?from=yesterday&pageSize=0' },
      { method: 'GET', url: '/api/v1/jobs/not-a-uuid' },
      {
        method: 'POST',
        url: '/api/v1/organisations',
        headers: { 'content-type': 'application/json' },
        payload: '{"name": ',
      },
    ];
    for (const call of calls) {
      const res = await t.req(null, call);
      expect(res.statusCode, `${call.method} ${call.url}`).toBe(401);
      expect(res.json().code).toBe('UNAUTHENTICATED');
    }
  });
  it('answers a caller without the verb 403 before validating its body', async () => {
    const u = await makeUser(t, admin, {
      username: 'noverb',
      orgName: '无权限测试站',
      divisionCode: '440117',
      roles: ['supervisor'],
    });
    const res = await t.req(u.token, { method: 'POST', url: '/api/v1/users', payload: { username: 1 } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN_VERB' });
  });
});

describe('OpenAPI', () => {
  it('lists what each role grants, on the document and on every operation', async () => {
    const doc = (await t.req(null, { method: 'GET', url: '/docs/json' })).json();
    expect(doc.info.description).toContain('| `info_admin` |');
    expect(doc.info.description).toContain('| `user.read` |');
    const listUsers = doc.paths['/api/v1/users'].get;
    expect(listUsers['x-verb']).toBe('user.read');
    expect(listUsers['x-roles']).toEqual(expect.arrayContaining(['platform_admin', 'info_admin']));
    expect(listUsers['x-roles']).not.toContain('supervisor');
    expect(listUsers.description).toContain('info_admin');
    expect(doc.paths['/api/v1/auth/login'].post['x-roles']).toEqual([]);
    expect(doc.paths['/api/v1/files'].post.requestBody.content['multipart/form-data'].schema.properties.file).toEqual(
      expect.objectContaining({ format: 'binary' }),
    );
    const download = doc.paths['/api/v1/files/{id}'].get.responses['200'].content;
    expect(download['application/pdf'].schema).toMatchObject({ type: 'string', format: 'binary' });
    expect(download['application/json']).toBeUndefined();
  });
});

describe('account lifecycle', () => {
  it('sends the actions the caller may take on an account and an organisation', async () => {
    const u = await makeUser(t, admin, {
      username: 'lifecycle',
      orgName: '生命周期测试站',
      divisionCode: '440117',
      roles: ['info_admin'],
    });
    const other = (await t.req(admin, { method: 'GET', url: `/api/v1/users/${u.userId}` })).json();
    expect(other).toMatchObject({ status: 'active', statusZh: '正常', statusEn: 'Active' });
    expect(other.allowedActions).toEqual(['resetPassword', 'disable']);
    const self = (await t.req(u.token, { method: 'GET', url: `/api/v1/users/${u.userId}` })).json();
    expect(self.allowedActions).toEqual([]);
    await t.req(admin, { method: 'PATCH', url: `/api/v1/users/${u.userId}`, payload: { status: 'disabled' } });
    const off = (await t.req(admin, { method: 'GET', url: `/api/v1/users/${u.userId}` })).json();
    expect(off.allowedActions).toEqual(['resetPassword', 'enable']);
    const org = (await t.req(admin, { method: 'GET', url: `/api/v1/organisations/${u.orgId}` })).json();
    expect(org).toMatchObject({ kind: 'supervision', kindEn: expect.any(String), allowedActions: ['disable'] });
  });
});

describe('bad input', () => {
  it('malformed JSON is a 400 in both languages', async () => {
    const res = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'MALFORMED_JSON',
      message: expect.stringMatching(/JSON/),
      messageEn: expect.any(String),
    });
  });
  it('a missing or malformed field is a 400 naming the field', async () => {
    let res = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { kind: 'supervision', divisionCode: '440117' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'name' });
    res = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: '某机构', kind: 'supervision', divisionCode: '4401171' },
    });
    expect(res.json()).toMatchObject({ statusCode: 400, field: 'divisionCode' });
    res = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: '某机构', kind: 'farm', divisionCode: '440117' },
    });
    expect(res.json()).toMatchObject({ statusCode: 400, field: 'kind' });
    res = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: '某机构', kind: 'supervision', divisionCode: '449999' },
    });
    expect(res.json()).toMatchObject({ statusCode: 400, code: 'UNKNOWN_DIVISION', field: 'divisionCode' });
  });
  it('an oversized body is a 413', async () => {
    const res = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: 'x'.repeat(2 * 1024 * 1024), kind: 'supervision', divisionCode: '44' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('BODY_TOO_LARGE');
  });
  it('a failed write leaves neither a record nor an audit row', async () => {
    const before = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const ok = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: '重复测试站', kind: 'supervision', divisionCode: '440117' },
    });
    expect(ok.statusCode).toBe(201);
    const dup = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: '重复测试站', kind: 'supervision', divisionCode: '440117' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'DUPLICATE', field: 'name' });
    const orgs = await t.database.db.selectFrom('organisation').select('id').where('name', '=', '重复测试站').execute();
    expect(orgs).toHaveLength(1);
    const after = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n - before.n).toBe(1);
  });
});

describe('authentication', () => {
  it('sets a session cookie that works like the bearer token', async () => {
    const res = await t.req(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ADMIN', password: 'Admin12345' },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'suyuan_session');
    expect(cookie?.httpOnly).toBe(true);
    const me = await t.req(null, {
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { suyuan_session: cookie?.value as string },
    });
    expect(me.json()).toMatchObject({ username: 'admin', scope: '', scopeName: '全国' });
    const out = await t.req(null, {
      method: 'POST',
      url: '/api/v1/auth/logout',
      cookies: { suyuan_session: cookie?.value as string },
    });
    expect(out.statusCode).toBe(204);
    const gone = await t.req(null, {
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { suyuan_session: cookie?.value as string },
    });
    expect(gone.statusCode).toBe(401);
  });
  it('throttles repeated failures per client, with the attempts left; the owner elsewhere still logs in', async () => {
    const u = await makeUser(t, admin, {
      username: 'locky',
      orgName: '锁定测试站',
      divisionCode: '440117',
      roles: ['supervisor'],
    });
    const attempt = (password: string, remoteAddress = '203.0.113.9') =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'locky', password },
        remoteAddress,
      });
    for (let i = 0; i < 4; i++) {
      const r = await attempt('wrong');
      expect(r.json().code).toBe('INVALID_CREDENTIALS');
      expect(r.json().messageEn).toContain(`${4 - i} attempts left`);
    }
    const fifth = await attempt('wrong');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().code).toBe('LOGIN_THROTTLED');
    expect((await attempt(u.password)).statusCode).toBe(429);
    // The owner, from another address, is not locked out.
    expect((await attempt(u.password, '198.51.100.7')).statusCode).toBe(200);
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('verb')
      .where('actor_name', '=', 'locky')
      .execute();
    expect(audit.map((a) => a.verb)).toContain('auth.throttled');
  });
  it('forces a password change on first login of an account made by someone else', async () => {
    const org = (
      await t.req(admin, {
        method: 'POST',
        url: '/api/v1/organisations',
        payload: { name: '改密测试站', kind: 'supervision', divisionCode: '440117' },
      })
    ).json();
    const created = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'newbie', displayName: '新人', orgId: org.id, roles: ['supervisor'] },
    });
    expect(created.statusCode).toBe(201);
    const initial = created.json().initialPassword as string;
    expect(created.json().user.mustChangePassword).toBe(true);
    const tok = await t.login('newbie', initial);
    const blocked = await t.req(tok, { method: 'GET', url: '/api/v1/organisations' });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(
      (
        await t.req(tok, {
          method: 'POST',
          url: '/api/v1/auth/password',
          payload: { currentPassword: initial, newPassword: 'weakweak' },
        })
      ).json().code,
    ).toBe('WEAK_PASSWORD');
    expect(
      (
        await t.req(tok, {
          method: 'POST',
          url: '/api/v1/auth/password',
          payload: { currentPassword: 'nope', newPassword: 'Better123' },
        })
      ).json().code,
    ).toBe('WRONG_PASSWORD');
    expect(
      (
        await t.req(tok, {
          method: 'POST',
          url: '/api/v1/auth/password',
          payload: { currentPassword: initial, newPassword: 'Better123' },
        })
      ).statusCode,
    ).toBe(204);
    expect((await t.req(tok, { method: 'GET', url: '/api/v1/organisations' })).statusCode).toBe(200);
  });
  it('expires sessions', async () => {
    const tok = await t.login('admin');
    // Only this session expires: the other tests' sessions stay valid.
    await t.database.db
      .updateTable('session')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('token_hash', '=', sm3(tok))
      .execute();
    const res = await t.req(tok, { method: 'GET', url: '/api/v1/auth/me' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('SESSION_EXPIRED');
  });
  it('disabling an account ends its sessions and refuses login', async () => {
    const u = await makeUser(t, admin, {
      username: 'leaver',
      orgName: '停用测试站',
      divisionCode: '440117',
      roles: ['supervisor'],
    });
    await t.req(admin, { method: 'PATCH', url: `/api/v1/users/${u.userId}`, payload: { status: 'disabled' } });
    expect((await t.req(u.token, { method: 'GET', url: '/api/v1/auth/me' })).statusCode).toBe(401);
    const res = await t.req(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'leaver', password: u.password },
    });
    expect(res.json().code).toBe('ACCOUNT_DISABLED');
  });
});

describe('API tokens', () => {
  it('act with the verbs they were given only, and stop when revoked', async () => {
    const u = await makeUser(t, admin, {
      username: 'machine',
      orgName: '令牌测试站',
      divisionCode: '440117',
      roles: ['info_admin'],
    });
    const created = await t.req(u.token, {
      method: 'POST',
      url: '/api/v1/auth/tokens',
      payload: { name: '省平台对接', verbs: ['org.read'] },
    });
    expect(created.statusCode).toBe(201);
    const secret = created.json().token as string;
    expect(secret.startsWith('syt_')).toBe(true);
    expect((await t.req(secret, { method: 'GET', url: '/api/v1/organisations' })).statusCode).toBe(200);
    const denied = await t.req(secret, { method: 'GET', url: '/api/v1/users' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'FORBIDDEN_VERB' });
    const escalate = await t.req(u.token, {
      method: 'POST',
      url: '/api/v1/auth/tokens',
      payload: { name: 'x', verbs: ['org.createOperator'] },
    });
    expect(escalate.json()).toMatchObject({ statusCode: 400, code: 'VERB_NOT_HELD' });
    const list = await t.req(u.token, { method: 'GET', url: '/api/v1/auth/tokens' });
    expect(list.json().items).toHaveLength(1);
    expect(JSON.stringify(list.json())).not.toContain(secret);
    await t.req(u.token, { method: 'DELETE', url: `/api/v1/auth/tokens/${created.json().id}` });
    expect((await t.req(secret, { method: 'GET', url: '/api/v1/organisations' })).statusCode).toBe(401);
  });
});

describe('divisions', () => {
  it('browses children, paths and names', async () => {
    const prov = (await t.req(null, { method: 'GET', url: '/api/v1/divisions' })).json().items;
    expect(prov).toHaveLength(31);
    const gz = (await t.req(null, { method: 'GET', url: '/api/v1/divisions?parent=4401' })).json().items;
    expect(gz.map((d: { name: string }) => d.name)).toContain('从化区');
    const path = (await t.req(null, { method: 'GET', url: '/api/v1/divisions/440117' })).json();
    expect(path.fullName).toBe('广东省广州市从化区');
    expect(path.path.map((p: { code: string }) => p.code)).toEqual(['', '44', '4401', '440117']);
    const found = (
      await t.req(null, { method: 'GET', url: `/api/v1/divisions/search?q=${encodeURIComponent('从化')}` })
    ).json().items;
    expect(found[0]).toMatchObject({ code: '440117', name: '从化区', level: 3 });
    const counts = await t.database.db
      .selectFrom('division')
      .select(['level', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('level')
      .orderBy('level')
      .execute();
    expect(counts.map((c) => c.n)).toEqual([1, 31, 342, 2978, 41352]);
    expect((await t.req(null, { method: 'GET', url: '/api/v1/divisions/449999' })).statusCode).toBe(404);
  });
});

describe('audit', () => {
  it('records actor, verb, target, address and summary, and is scoped', async () => {
    const u = await makeUser(t, admin, {
      username: 'auditor',
      orgName: '从化区农产品质量安全监管站',
      divisionCode: '440117',
      roles: ['info_admin'],
    });
    await t.req(admin, {
      method: 'POST',
      url: '/api/v1/organisations',
      payload: { name: '锦江区监管站', kind: 'supervision', divisionCode: '510104' },
    });
    const all = (await t.req(admin, { method: 'GET', url: '/api/v1/audit?verb=org.create&pageSize=200' })).json();
    const jj = all.items.find((i: { summary: { name?: string } }) => i.summary.name === '锦江区监管站');
    expect(jj).toMatchObject({
      actorName: 'admin',
      verb: 'org.create',
      targetType: 'organisation',
      divisionCode: '510104',
      ip: expect.any(String),
    });
    const mine = (await t.req(u.token, { method: 'GET', url: '/api/v1/audit?pageSize=200' })).json();
    expect(mine.total).toBeGreaterThan(0);
    for (const i of mine.items) expect(i.divisionCode.startsWith('440117')).toBe(true);
  });
});
