import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { ADMIN_PASSWORD, type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';

/**
 * Issue 16 item 5: a co-supervisor (协管员) or township official acts for a farmer (代农户办理) — batches,
 * certificates, sales — only with the farmer's consent on record, in scope, unexpired and unrevoked, and inside its
 * jurisdiction; records and the audit log say who entered what for whom.
 */
let t: TestApp;
let admin: string;
let collector: { token: string; orgId: string; userId: string };
let township: { token: string; orgId: string };
let county: { token: string };
let farmer: { token: string; subjectId: string };
let faraway: { token: string; subjectId: string };
const TOWN = '440117103';

const call = (tok: string, method: 'GET' | 'POST', url: string, payload?: object, actingFor?: string) =>
  t.req(tok, {
    method,
    url: `/api/v1${url}`,
    ...(payload ? { payload } : {}),
    headers: actingFor ? { 'x-acting-for': actingFor } : {},
  });

const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  collector = await makeUser(t, admin, {
    username: 'fc_collector',
    orgName: '温泉镇农业服务中心',
    divisionCode: TOWN,
    roles: ['collector'],
  });
  township = await makeUser(t, admin, {
    username: 'fc_town',
    orgName: '温泉镇农业服务中心',
    orgId: collector.orgId,
    divisionCode: TOWN,
    roles: ['supervisor'],
  });
  county = await makeUser(t, admin, {
    username: 'fc_county',
    orgName: '从化区农业农村局',
    divisionCode: '440117',
    roles: ['supervisor'],
  });
  farmer = await makeProducer(t, {
    username: 'fc_farmer',
    name: '温泉镇农户陈伯',
    divisionCode: TOWN,
    certNo: makeCreditCode('92440117MA5FC0001'),
  });
  faraway = await makeProducer(t, {
    username: 'fc_far',
    name: '越秀区农户',
    divisionCode: '440104001',
    certNo: makeCreditCode('92440104MA5FC0002'),
  });
});
afterAll(() => t?.close());

describe('acting for a farmer with recorded consent', () => {
  it("tells each account which producer verbs it may use for a farmer: one list, the server's", async () => {
    const declared = Object.entries(t.app.verbTable)
      .filter(([, d]) => d.assisted)
      .map(([v]) => v)
      .sort();
    expect(declared).toContain('batch.create');
    const official = await call(collector.token, 'GET', '/auth/me');
    expect(official.json().assistedVerbs).toEqual(declared);
    // A producer holds its verbs itself; it acts for nobody.
    expect((await call(farmer.token, 'GET', '/auth/me')).json().assistedVerbs).toEqual([]);
    // The login answer carries the same profile.
    const login = await t.req(null, {
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(login.json().user.assistedVerbs).toEqual(login.json().user.verbs.includes('farmer.assist') ? declared : []);
  });

  it('refuses without consent, acts with it (stamped and audited), refuses after revocation and outside scope', async () => {
    const product = { name: '菜心', industry: 'planting' };
    // Without the header a supervision account simply lacks the producer verb; with it, the consent is checked.
    expect((await call(collector.token, 'POST', '/products', product)).json().code).toBe('FORBIDDEN_VERB');
    const none = await call(collector.token, 'POST', '/products', product, farmer.subjectId);
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('CONSENT_REQUIRED');
    expect(none.json().message).toContain('农户同意');
    expect(none.json().messageEn).toContain('consent');

    // The picker finds the farmer by name in the jurisdiction, not the one elsewhere.
    const found = await call(collector.token, 'GET', `/farmer-consents/farmers?q=${encodeURIComponent('陈伯')}`);
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().items.map((f: { subjectId: string }) => f.subjectId)).toEqual([farmer.subjectId]);
    expect(found.json().items[0].consentId).toBeNull();
    const all = await call(collector.token, 'GET', '/farmer-consents/farmers');
    expect(all.json().items.map((f: { subjectId: string }) => f.subjectId)).not.toContain(faraway.subjectId);

    // Recording consent: a verbal one needs a witness, a signed one a signature, the validity a future date.
    const verbal = {
      subjectId: farmer.subjectId,
      scopes: ['products', 'bases', 'batches', 'certificates', 'sales'],
      method: 'verbal_witnessed',
      validUntil: inAMonth(),
    };
    const noWitness = await call(collector.token, 'POST', '/farmer-consents', verbal);
    expect(noWitness.statusCode).toBe(400);
    expect(noWitness.json().field).toBe('witnessName');
    const signed = await call(collector.token, 'POST', '/farmer-consents', { ...verbal, method: 'signed_on_screen' });
    expect(signed.json().field).toBe('signatureFileId');
    const past = await call(collector.token, 'POST', '/farmer-consents', {
      ...verbal,
      witnessName: '村主任 李明',
      validUntil: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().field).toBe('validUntil');
    // A county supervisor is neither a co-supervisor nor a township official.
    const countyTry = await call(county.token, 'POST', '/farmer-consents', { ...verbal, witnessName: '李明' });
    expect(countyTry.statusCode).toBe(403);
    expect(countyTry.json().code).toBe('CONSENT_NOT_ALLOWED');
    // Outside the official's jurisdiction.
    const far = await call(collector.token, 'POST', '/farmer-consents', {
      ...verbal,
      subjectId: faraway.subjectId,
      witnessName: '李明',
    });
    expect(far.statusCode).toBe(403);
    expect(far.json().code).toBe('OUT_OF_JURISDICTION');

    const c = await call(collector.token, 'POST', '/farmer-consents', { ...verbal, witnessName: '村主任 李明' });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json()).toMatchObject({
      subjectId: farmer.subjectId,
      subjectName: '温泉镇农户陈伯',
      actorName: 'fc_collector',
      method: 'verbal_witnessed',
      witnessName: '村主任 李明',
      state: 'active',
      allowedActions: ['revoke'],
    });

    // With consent: product, base, batch, certificate and sale, each for the farmer and stamped with the official.
    const p = await call(collector.token, 'POST', '/products', product, farmer.subjectId);
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().subjectId).toBe(farmer.subjectId);
    const by = { orgId: collector.orgId, name: 'fc_collector（温泉镇农业服务中心）' };
    expect(p.json().enteredBy).toEqual(by);
    const b = await call(collector.token, 'POST', '/bases', { name: '陈伯菜地', divisionCode: TOWN }, farmer.subjectId);
    expect(b.statusCode, b.body).toBe(201);
    const batch = await call(
      collector.token,
      'POST',
      '/batches',
      { productId: p.json().id, baseId: b.json().id, quantity: 200, producedAt: '2026-11-20T08:00:00+08:00' },
      farmer.subjectId,
    );
    expect(batch.statusCode, batch.body).toBe(201);
    expect(batch.json().enteredBy).toEqual(by);
    const cert = await call(
      collector.token,
      'POST',
      '/certificates',
      { batchId: batch.json().id, quantity: 100, basis: ['control'] },
      farmer.subjectId,
    );
    expect(cert.statusCode, cert.body).toBe(201);
    expect(cert.json().enteredBy).toEqual(by);
    const sale = await call(
      collector.token,
      'POST',
      '/sales',
      { batchId: batch.json().id, quantity: 50, buyerKind: 'unregistered', buyerName: '张三' },
      farmer.subjectId,
    );
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json().enteredBy).toEqual(by);
    // The farmer sees who entered its batch.
    expect((await call(farmer.token, 'GET', `/batches/${batch.json().id}`)).json().enteredBy).toEqual(by);
    // Acting, the official's lists show this farmer's records only.
    const listed = await call(collector.token, 'GET', '/products', undefined, farmer.subjectId);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().map((x: { id: string }) => x.id)).toEqual([p.json().id]);

    // A scope the farmer did not consent to (input uses) is refused, naming it.
    const input = await call(
      collector.token,
      'POST',
      '/input-uses',
      { baseId: b.json().id, kind: 'fertiliser', name: '有机肥', dose: 100, doseUnit: 'kg/亩', usedOn: '2026-11-10' },
      farmer.subjectId,
    );
    expect(input.statusCode).toBe(403);
    expect(input.json().code).toBe('CONSENT_REQUIRED');
    expect(input.json().message).toContain('投入品');
    // The consent is personal: a colleague of the same office has none.
    const colleague = await call(
      township.token,
      'POST',
      '/products',
      { name: '生菜', industry: 'planting' },
      farmer.subjectId,
    );
    expect(colleague.json().code).toBe('CONSENT_REQUIRED');
    // Outside the jurisdiction nothing is done, even by header.
    const outside = await call(collector.token, 'POST', '/products', product, faraway.subjectId);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('OUT_OF_JURISDICTION');

    // The audit log names the official as actor and the farmer it acted for, by name.
    const audit = await call(admin, 'GET', `/audit?targetId=${batch.json().id}`);
    const row = audit.json().items.find((e: { verb: string }) => e.verb === 'batch.create');
    expect(row).toMatchObject({
      actorName: 'fc_collector',
      orgName: '温泉镇农业服务中心',
      onBehalfOf: farmer.subjectId,
      onBehalfOfName: '温泉镇农户陈伯',
    });
    const stamped = await t.database.db
      .selectFrom('audit_log')
      .select(['verb', 'on_behalf_of'])
      .where('actor_id', '=', collector.userId)
      .where('verb', 'in', ['product.manage', 'batch.create', 'certificate.issue', 'trade.sell'])
      .execute();
    expect(stamped.length).toBeGreaterThanOrEqual(5);
    for (const r of stamped) expect(r.on_behalf_of).toBe(farmer.subjectId);

    // Revoked (the farmer asked): refused again; revoking twice is a readable conflict.
    const rv = await call(collector.token, 'POST', `/farmer-consents/${c.json().id}/revoke`, {
      reason: '农户要求撤回',
    });
    expect(rv.statusCode, rv.body).toBe(200);
    expect(rv.json()).toMatchObject({ state: 'revoked', revokeReason: '农户要求撤回', allowedActions: [] });
    const again = await call(collector.token, 'POST', `/farmer-consents/${c.json().id}/revoke`, { reason: '再次撤回' });
    expect(again.statusCode).toBe(409);
    const after = await call(
      collector.token,
      'POST',
      '/products',
      { name: '芥蓝', industry: 'planting' },
      farmer.subjectId,
    );
    expect(after.statusCode).toBe(403);
    expect(after.json().code).toBe('CONSENT_REQUIRED');
    const listedConsents = await call(township.token, 'GET', `/farmer-consents?subjectId=${farmer.subjectId}`);
    expect(listedConsents.json().items.map((x: { state: string }) => x.state)).toEqual(['revoked']);
  });

  it('a consent signed on screen keeps the signature; an expired consent no longer counts', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    const up = await t.req(township.token, {
      method: 'POST',
      url: '/api/v1/files',
      ...multipartFile('signature.png', png, 'image/png'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const c = await call(township.token, 'POST', '/farmer-consents', {
      subjectId: farmer.subjectId,
      scopes: ['products'],
      method: 'signed_on_screen',
      signatureFileId: up.json().id,
      validUntil: inAMonth(),
    });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().signatureFileId).toBe(up.json().id);
    expect((await call(township.token, 'GET', `/files/${up.json().id}`)).statusCode).toBe(200);
    const ok = await call(
      township.token,
      'POST',
      '/products',
      { name: '番薯', industry: 'planting' },
      farmer.subjectId,
    );
    expect(ok.statusCode, ok.body).toBe(201);
    // Expired (moved into the past directly: time is not waited for in tests).
    await t.database.db
      .updateTable('farmer_consent')
      .set({ valid_until: new Date(Date.now() - 1000) })
      .where('id', '=', c.json().id)
      .execute();
    const late = await call(
      township.token,
      'POST',
      '/products',
      { name: '芋头', industry: 'planting' },
      farmer.subjectId,
    );
    expect(late.json().code).toBe('CONSENT_REQUIRED');
    const listed = await call(township.token, 'GET', `/farmer-consents?subjectId=${farmer.subjectId}&activeOnly=true`);
    // The first test's consent (the collector's) was revoked, this one expired: none is active.
    expect(listed.json().items).toEqual([]);
    const everything = await call(township.token, 'GET', `/farmer-consents?subjectId=${farmer.subjectId}`);
    expect(
      everything
        .json()
        .items.map((x: { state: string }) => x.state)
        .sort(),
    ).toEqual(['expired', 'revoked']);
  });
});
