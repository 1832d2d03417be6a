/**
 * The permission matrix: every role × every verb × a target inside and outside the account's jurisdiction.
 * Each cell is asserted: allowed only when the role holds the verb AND the target is inside the jurisdiction.
 * A new verb without a probe here fails the coverage test, so the matrix cannot silently fall behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, ROLE_CODES, type RoleCode, verbsOfRoles } from '../src/kernel/auth/roles.js';
import { VERB_TABLE } from '../src/modules/index.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

const HOME = '440117'; // 广东省广州市从化区
const INSIDE_DIV = '440117001'; // a township (街道) of it
const OUTSIDE_DIV = '510104'; // 四川省成都市锦江区

interface World {
  insideOrg: string;
  outsideOrg: string;
  insideUser: string;
  outsideUser: string;
}
type Probe = (t: TestApp, token: string, w: World, where: 'inside' | 'outside', n: number) => Promise<{ status: number; body: unknown }>;

/** One request per verb; it must succeed (2xx) when allowed, and answer 403 otherwise. */
const PROBES: Record<string, Probe> = {
  'org.read': (t, tok, w, where) => call(t, tok, 'GET', `/api/v1/organisations/${where === 'inside' ? w.insideOrg : w.outsideOrg}`),
  'org.create': (t, tok, _w, where, n) =>
    call(t, tok, 'POST', '/api/v1/organisations', { name: `矩阵机构${n}`, kind: 'supervision', divisionCode: where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV }),
  'org.update': (t, tok, w, where, n) => call(t, tok, 'PATCH', `/api/v1/organisations/${where === 'inside' ? w.insideOrg : w.outsideOrg}`, { contactName: `联系人${n}` }),
  'user.read': (t, tok, w, where) => call(t, tok, 'GET', `/api/v1/users/${where === 'inside' ? w.insideUser : w.outsideUser}`),
  'user.create': (t, tok, w, where, n) =>
    call(t, tok, 'POST', '/api/v1/users', { username: `matrix${n}`, displayName: '矩阵', orgId: where === 'inside' ? w.insideOrg : w.outsideOrg, roles: ['supervisor'] }),
  'user.update': (t, tok, w, where, n) => call(t, tok, 'PATCH', `/api/v1/users/${where === 'inside' ? w.insideUser : w.outsideUser}`, { displayName: `改名${n}` }),
  'user.resetPassword': (t, tok, w, where) => call(t, tok, 'POST', `/api/v1/users/${where === 'inside' ? w.insideUser : w.outsideUser}/reset-password`),
  // Listing is filtered rather than refused: outside rows must simply never appear.
  'audit.read': async (t, tok, _w, where) => {
    const res = await call(t, tok, 'GET', `/api/v1/audit?pageSize=200&within=${where === 'inside' ? HOME : OUTSIDE_DIV}`);
    if (res.status !== 200) return res;
    const items = (res.body as { items: { divisionCode: string }[] }).items;
    if (items.some((i) => !i.divisionCode.startsWith(HOME))) throw new Error('audit leaked rows outside the jurisdiction');
    if (where === 'inside' && items.length === 0) throw new Error('audit shows nothing inside the jurisdiction');
    return { status: where === 'inside' ? 200 : items.length === 0 ? 403 : 200, body: res.body };
  },
  // Tokens belong to the caller: there is no outside. Both cells expect the same.
  'token.manage': (t, tok, _w, _where, n) => call(t, tok, 'POST', '/api/v1/auth/tokens', { name: `t${n}`, verbs: ['token.manage'] }),
};

async function call(t: TestApp, token: string, method: string, url: string, payload?: unknown) {
  const res = await t.req(token, { method: method as 'GET', url, payload: payload as object });
  return { status: res.statusCode, body: res.json() };
}

const ORG_KIND_FOR: Record<RoleCode, string> = {
  platform_admin: 'operator',
  info_admin: 'supervision',
  supervisor: 'supervision',
  collector: 'supervision',
  inspector: 'testing',
  enforcer: 'enforcement',
  service_staff: 'service',
  producer_applicant: 'producer',
  producer_admin: 'producer',
  producer_staff: 'producer',
  market_staff: 'producer',
};

let t: TestApp;
const tokens = {} as Record<RoleCode, string>;
let world: World;

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  const inside = await makeUser(t, admin, { username: 'inside_target', orgName: '从化区某街道监管站', divisionCode: INSIDE_DIV, roles: ['supervisor'] });
  const outside = await makeUser(t, admin, { username: 'outside_target', orgName: '锦江区监管站', divisionCode: OUTSIDE_DIV, roles: ['supervisor'] });
  world = { insideOrg: inside.orgId, outsideOrg: outside.orgId, insideUser: inside.userId, outsideUser: outside.userId };
  for (const role of ROLE_CODES) {
    if (ORG_KIND_FOR[role] === 'producer') {
      // Producers are not created through /organisations: they register (or are imported) as subjects.
      const p = await makeProducer(t, { username: `role_${role}`, name: `从化区${role}合作社`, divisionCode: HOME, roles: [role], status: role === 'producer_applicant' ? 'pending' : 'approved' });
      tokens[role] = p.token;
      continue;
    }
    const u = await makeUser(t, admin, { username: `role_${role}`, orgName: `从化区${role}机构`, kind: ORG_KIND_FOR[role], divisionCode: HOME, roles: [role] });
    tokens[role] = u.token;
  }
});
afterAll(() => t?.close());

describe('permission matrix', () => {
  it('has a probe for every verb', () => {
    expect(Object.keys(PROBES).sort()).toEqual(Object.keys(VERB_TABLE).sort());
  });

  let n = 0;
  for (const role of ROLE_CODES) {
    for (const verb of Object.keys(PROBES)) {
      for (const where of ['inside', 'outside'] as const) {
        const holds = verbsOfRoles([role], VERB_TABLE).has(verb);
        const jurisdictional = verb !== 'token.manage';
        const allowed = holds && (where === 'inside' || !jurisdictional);
        it(`${role} (${ROLES[role].zh}) ${allowed ? 'may' : 'may not'} ${verb} ${where}`, async () => {
          const res = await PROBES[verb](t, tokens[role], world, where, ++n);
          if (allowed) expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
          else expect(res.status, JSON.stringify(res.body)).toBe(403);
        });
      }
    }
  }
});
