/**
 * The field app's server side (issue 16): every write honours `Idempotency-Key` — a retry with the same key and the
 * same request returns the first answer and applies nothing twice; the same key with another request is a 422.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { identityCode } from '../src/modules/subjects/identity.js';
import { type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';
import { PNG } from './media.js';

let t: TestApp;
let admin: string;
let town: Awaited<ReturnType<typeof makeUser>>;
let town2: Awaited<ReturnType<typeof makeUser>>;
let code: string;

const send = (tok: string, method: string, url: string, payload?: unknown, key?: string) =>
  t.req(tok, {
    method: method as 'POST',
    url: `/api/v1${url}`,
    payload: payload as object,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
const patrols = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('patrol')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  town = await makeUser(t, admin, {
    username: 'f_sup',
    orgName: '温泉镇农业服务中心',
    divisionCode: '440117103',
    roles: ['supervisor', 'collector'],
  });
  town2 = await makeUser(t, admin, {
    username: 'f_xg',
    orgName: '温泉镇',
    divisionCode: '440117103',
    roles: ['collector'],
    orgId: town.orgId,
  });
  const certNo = makeCreditCode('93440117MA5TUP901');
  const p = await makeProducer(t, { username: 'f_coop', name: '田间合作社', divisionCode: '440117103', certNo });
  code = identityCode({
    orgForm: 'cooperative',
    certType: 'credit_code',
    certNo,
    personalIdNo: null,
    countyCode: '440117',
    secret: 'x',
  });
  await t.database.db.updateTable('subject').set({ identity_code: code }).where('id', '=', p.subjectId).execute();
});
afterAll(() => t?.close());

describe('Idempotency-Key', () => {
  it('replays the first answer to a retry and applies the write once', async () => {
    const before = await patrols();
    const body = { identityCode: code, target: 'base', longitude: 113.6, latitude: 23.6, accuracyM: 8 };
    const first = await send(town.token, 'POST', '/patrols', body, 'patrol-start-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await send(town.token, 'POST', '/patrols', body, 'patrol-start-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json().id).toBe(first.json().id);
    expect(again.body).toBe(first.body);
    expect(await patrols()).toBe(before + 1);

    // The same key with a different request is refused, naming the header; nothing is written.
    const changed = await send(town.token, 'POST', '/patrols', { ...body, accuracyM: 9 }, 'patrol-start-1');
    expect(changed.statusCode).toBe(422);
    expect(changed.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    // Keys belong to their account: another account's same key is a new request.
    const other = await send(town2.token, 'POST', '/patrols', body, 'patrol-start-1');
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(first.json().id);
    // Without a key, every request is applied.
    expect((await send(town.token, 'POST', '/patrols', body)).statusCode).toBe(201);
    expect(await patrols()).toBe(before + 3);
  });

  it('replays a refusal too, and keeps uploads single', async () => {
    const start = await send(town.token, 'POST', '/patrols', { identityCode: code, target: 'base' });
    const id = start.json().id;
    const bad = { result: 'pass', checklist: [], signerName: '张三' };
    const r1 = await send(town.token, 'POST', `/patrols/${id}/submit`, bad, 'submit-bad');
    expect(r1.statusCode).toBe(400);
    const r2 = await send(town.token, 'POST', `/patrols/${id}/submit`, bad, 'submit-bad');
    expect(r2.statusCode).toBe(400);
    expect(r2.headers['idempotent-replayed']).toBe('true');
    expect(r2.json()).toEqual(r1.json());

    const file = multipartFile('sig.png', PNG, 'image/png');
    const up = () =>
      t.req(town.token, {
        method: 'POST',
        url: '/api/v1/files?purpose=image',
        payload: file.payload,
        headers: { ...file.headers, 'idempotency-key': 'upload-sig-1' },
      });
    const u1 = await up();
    const u2 = await up();
    expect(u1.statusCode, u1.body).toBe(201);
    expect(u2.json().id).toBe(u1.json().id);
  });

  it('refuses malformed keys, ignores the header on reads, and takes over a claim that died before committing', async () => {
    for (const key of ['', 'a b', 'x'.repeat(201), '密钥']) {
      const r = await t.req(town.token, {
        method: 'POST',
        url: '/api/v1/patrols',
        payload: { identityCode: code },
        headers: { 'idempotency-key': encodeURIComponent(key) === key ? key : Buffer.from(key).toString('latin1') },
      });
      expect(r.statusCode, key).toBe(400);
      expect(r.json().code).toBe('IDEMPOTENCY_KEY_INVALID');
    }
    const read = await send(town.token, 'GET', '/patrols', undefined, 'read-1');
    expect(read.statusCode).toBe(200);
    expect(read.headers['idempotent-replayed']).toBeUndefined();

    // A claim in progress answers 409 (retry later); once stale, the retry runs.
    const body = { identityCode: code, target: 'base' };
    const userId = town.userId;
    const { fingerprint } = await import('../src/kernel/idempotency.js');
    await t.database.db
      .insertInto('idempotency_key')
      .values({
        principal: `account:${userId}`,
        key: 'dead-1',
        fingerprint: fingerprint('POST', '/api/v1/patrols', body),
      })
      .execute();
    const busy = await send(town.token, 'POST', '/patrols', body, 'dead-1');
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('IDEMPOTENCY_IN_PROGRESS');
    await t.database.db
      .updateTable('idempotency_key')
      .set({ created_at: new Date(Date.now() - 10 * 60_000) })
      .where('key', '=', 'dead-1')
      .execute();
    const taken = await send(town.token, 'POST', '/patrols', body, 'dead-1');
    expect(taken.statusCode, taken.body).toBe(201);
  });

  it('never stores answers that carry a secret', async () => {
    const r = await send(admin, 'POST', '/auth/tokens', { name: 'k1', verbs: ['token.manage'] }, 'token-1');
    expect(r.statusCode, r.body).toBe(201);
    const rows = await t.database.db.selectFrom('idempotency_key').select('key').where('key', '=', 'token-1').execute();
    expect(rows).toHaveLength(0);
  });
});
