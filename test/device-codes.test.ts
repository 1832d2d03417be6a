import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { type TestApp, makeProducer, testApp, runJob } from './helpers.js';

/**
 * Issue 16 item 2: codes reserved ahead and kept on the phone so labels print without signal. Reserve → the labels
 * printed offline are reported when the signal returns (sent with an Idempotency-Key) → a retry of the same report
 * is answered with the first answer, nothing applied twice → the same code reported by another print (another key)
 * is a readable conflict → unused codes are released (voided); the reservation belongs to its owner.
 */
let t: TestApp;
let farmer: { token: string; subjectId: string };
let staff: { token: string };
let batchId: string;

const call = (tok: string, method: 'GET' | 'POST', url: string, payload?: object, key?: string) =>
  t.req(tok, {
    method,
    url: `/api/v1${url}`,
    ...(payload ? { payload } : {}),
    headers: key ? { 'idempotency-key': key } : {},
  });

beforeAll(async () => {
  t = await testApp();
  farmer = await makeProducer(t, {
    username: 'dc_farmer',
    name: '石南村果蔬合作社',
    divisionCode: '440117103',
    certNo: makeCreditCode('93440117MA5DC0001'),
  });
  const p = await call(farmer.token, 'POST', '/products', { name: '荔枝', industry: 'planting' });
  const b = await call(farmer.token, 'POST', '/batches', {
    productId: p.json().id,
    quantity: 300,
    producedAt: '2026-11-20T08:00:00+08:00',
  });
  expect(b.statusCode, b.body).toBe(201);
  batchId = b.json().id;
  // A second account of the same producer: not the reservation's owner.
  const { hashPassword } = await import('../src/kernel/auth/crypto.js');
  const org = await t.database.db
    .selectFrom('subject')
    .select('org_id')
    .where('id', '=', farmer.subjectId)
    .executeTakeFirstOrThrow();
  await t.database.db
    .insertInto('account')
    .values({
      username: 'dc_staff',
      display_name: '合作社社员',
      phone: null,
      org_id: org.org_id as string,
      roles: ['producer_staff'],
      password_hash: await hashPassword('Changed123'),
      must_change_password: false,
      created_by: null,
    })
    .execute();
  staff = { token: await t.login('dc_staff', 'Changed123') };
});
/** Queues the hourly expiry job now and runs the queue. */
const runExpiryJob = () => runJob(t, 'codes.expireDeviceReservations');

afterAll(() => t?.close());

const codeStatus = async (code: string) =>
  (await t.req(null, { method: 'GET', url: `/api/v1/public/codes/${code}` })).json().status as string;

describe('codes kept on the phone for offline labels', () => {
  it('reserve → offline use reported → idempotent retry → conflict → release', async () => {
    const bad = await call(farmer.token, 'POST', '/codes/device-reservations', { batchId, count: 501 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('count');
    const r = await call(farmer.token, 'POST', '/codes/device-reservations', { batchId, count: 5, days: 10 });
    expect(r.statusCode, r.body).toBe(201);
    const res = r.json();
    expect(res).toMatchObject({ batchId, productName: '荔枝', producerName: '石南村果蔬合作社', count: 5, used: 0 });
    expect(res.codes).toHaveLength(5);
    expect(res.codes[0].url).toContain(`/t/${res.codes[0].code}`);
    expect(new Date(res.expiresAt).getTime()).toBeGreaterThan(Date.now() + 9 * 86_400_000);
    // Reserved, not yet on a product: a consumer scanning it is told it is not activated.
    expect(await codeStatus(res.codes[0].code)).toBe('inactive');

    // Two labels printed offline; their uses reported when the signal returns, each under its queue key.
    // The queued item keeps its body (the print time is fixed when the label is printed), so a retry is identical.
    const printedAt = new Date(Date.now() - 60_000).toISOString();
    const use = (code: string, key: string, tok = farmer.token) =>
      call(tok, 'POST', `/codes/device-reservations/${res.id}/uses`, { code, usedAt: printedAt }, key);
    const u1 = await use(res.codes[0].code, 'lbl-1.0.0');
    expect(u1.statusCode, u1.body).toBe(200);
    expect(u1.json()).toMatchObject({ code: res.codes[0].code, batchId, used: 1 });
    expect(await codeStatus(res.codes[0].code)).toBe('active');
    // The answer was lost: the queue retries under the same key — the first answer, applied once.
    const again = await use(res.codes[0].code, 'lbl-1.0.0');
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(u1.json());
    const u2 = await use(res.codes[1].code, 'lbl-2.0.0');
    expect(u2.json().used).toBe(2);

    // The same code printed on a second label (another item, another key): a readable conflict naming the code.
    const twice = await use(res.codes[0].code, 'lbl-3.0.0');
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'CODE_ALREADY_USED', field: 'code' });
    expect(twice.json().message).toContain(res.codes[0].code);
    expect(twice.json().messageEn).toContain('already used');
    // A code of another reservation or a typo: refused, naming the field.
    const typo = await use(`${res.codes[2].code.slice(0, -1)}0`, 'lbl-4.0.0');
    expect(typo.statusCode).toBeGreaterThanOrEqual(400);
    expect(typo.statusCode).toBeLessThan(500);
    expect(typo.json().field).toBe('code');

    // The reservation is its owner's: another account of the same producer cannot use or release it.
    expect((await use(res.codes[2].code, 'lbl-5.0.0', staff.token)).statusCode).toBe(404);
    expect((await call(staff.token, 'POST', `/codes/device-reservations/${res.id}/release`)).statusCode).toBe(404);

    // Released: the three unused codes are voided, the two used stay on the batch.
    const rel = await call(farmer.token, 'POST', `/codes/device-reservations/${res.id}/release`);
    expect(rel.statusCode, rel.body).toBe(200);
    expect(rel.json()).toMatchObject({ released: 3, used: 2 });
    expect(await codeStatus(res.codes[2].code)).toBe('void');
    expect(await codeStatus(res.codes[1].code)).toBe('active');
    const late = await use(res.codes[3].code, 'lbl-6.0.0');
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('CODE_NOT_IN_RESERVATION');
    const got = await call(farmer.token, 'GET', `/codes/device-reservations/${res.id}`);
    expect(got.json()).toMatchObject({ used: 2, count: 5 });
    expect(got.json().releasedAt).not.toBeNull();

    // Exactly two audit rows of uses (the replay wrote none).
    const uses = await t.database.db
      .selectFrom('audit_log')
      .select('summary')
      .where('verb', '=', 'code.issue')
      .execute();
    expect(uses.filter((u) => JSON.stringify(u.summary).includes('useReservedCode'))).toHaveLength(2);
  });

  it('a report after the reservation expired is refused with its date', async () => {
    const r = await call(farmer.token, 'POST', '/codes/device-reservations', { batchId, count: 1, days: 1 });
    const res = r.json();
    const late = await call(farmer.token, 'POST', `/codes/device-reservations/${res.id}/uses`, {
      code: res.codes[0].code,
      usedAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'RESERVATION_EXPIRED', field: 'usedAt' });
  });

  it("lists the caller's reservations (batch, codes left, expiry, device, state) and filters them", async () => {
    const r = await call(farmer.token, 'POST', '/codes/device-reservations', {
      batchId,
      count: 4,
      days: 5,
      device: 'Android 手机 · a1b2',
    });
    expect(r.statusCode, r.body).toBe(201);
    const id = r.json().id;
    const list = await call(farmer.token, 'GET', '/codes/device-reservations');
    expect(list.statusCode, list.body).toBe(200);
    const mine = list.json().items;
    expect(mine[0]).toMatchObject({
      id,
      batchId,
      productName: '荔枝',
      count: 4,
      used: 0,
      left: 4,
      device: 'Android 手机 · a1b2',
      state: 'live',
      stateName: '可用',
      stateNameEn: 'Usable',
    });
    // The first test's reservation, released: nothing left.
    expect(mine.find((i: { state: string }) => i.state === 'released')).toMatchObject({ left: 0, used: 2 });
    const live = await call(farmer.token, 'GET', `/codes/device-reservations?state=live&batchId=${batchId}`);
    expect(live.json().items.every((i: { state: string }) => i.state === 'live')).toBe(true);
    // Another account of the producer sees only its own (none).
    expect((await call(staff.token, 'GET', '/codes/device-reservations')).json().items).toEqual([]);
    // A bad filter is a 400 naming the field.
    const bad = await call(farmer.token, 'GET', '/codes/device-reservations?state=gone');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('state');
    // A release from the list: the unused codes are voided, audited once.
    const rel = await call(farmer.token, 'POST', `/codes/device-reservations/${id}/release`);
    expect(rel.json()).toMatchObject({ released: 4, used: 0 });
    const after = (await call(farmer.token, 'GET', '/codes/device-reservations')).json().items;
    expect(after.find((i: { id: string }) => i.id === id)).toMatchObject({ state: 'released', left: 0 });
  });

  it('voids the unused codes of expired reservations on its own (job), audited; an earlier print is still accepted', async () => {
    const make = async (count: number) => {
      const r = await call(farmer.token, 'POST', '/codes/device-reservations', { batchId, count, days: 2 });
      expect(r.statusCode, r.body).toBe(201);
      return r.json();
    };
    const old = await make(3);
    const fresh = await make(2);
    // Time passes: the first reservation's expiry is now behind us (moved 3 days back, as its creation).
    await sql`UPDATE code_reservation SET expires_at = now() - interval '1 day', created_at = created_at - interval '3 days'
              WHERE id = ${old.id}::uuid`.execute(t.database.db);
    const oneUsed = await call(farmer.token, 'POST', `/codes/device-reservations/${old.id}/uses`, {
      code: old.codes[0].code,
      usedAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    });
    expect(oneUsed.statusCode, oneUsed.body).toBe(200);

    await runExpiryJob();
    // (PostgreSQL runs the app's own job loop too: wait until the reservation is marked.)
    for (let i = 0; i < 200; i++) {
      const row = await t.database.db
        .selectFrom('code_reservation')
        .select('expired_at')
        .where('id', '=', old.id)
        .executeTakeFirstOrThrow();
      if (row.expired_at) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await codeStatus(old.codes[0].code)).toBe('active');
    expect(await codeStatus(old.codes[1].code)).toBe('void');
    expect(await codeStatus(old.codes[2].code)).toBe('void');
    // The reservation not yet expired is untouched.
    expect(await codeStatus(fresh.codes[0].code)).toBe('inactive');
    const items = (await call(farmer.token, 'GET', '/codes/device-reservations')).json().items;
    expect(items.find((i: { id: string }) => i.id === old.id)).toMatchObject({ state: 'expired', left: 0, used: 1 });
    expect(items.find((i: { id: string }) => i.id === old.id).expiredAt).not.toBeNull();
    expect(items.find((i: { id: string }) => i.id === fresh.id)).toMatchObject({ state: 'live', left: 2 });
    // One audit row, by the platform (no actor), naming the reservation and the codes voided.
    const rows = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'summary', 'target_id'])
      .where('verb', '=', 'code.issue')
      .execute();
    const expired = rows.filter((r) => JSON.stringify(r.summary).includes('expireReservedCodes'));
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({ actor_id: null, target_id: batchId });
    expect(JSON.stringify(expired[0].summary)).toContain(old.id);
    expect(JSON.stringify(expired[0].summary)).toContain('"voided":2');
    // A second run finds nothing more to do.
    await runExpiryJob();
    const again = await t.database.db
      .selectFrom('audit_log')
      .select('summary')
      .where('verb', '=', 'code.issue')
      .execute();
    expect(again.filter((r) => JSON.stringify(r.summary).includes('expireReservedCodes'))).toHaveLength(1);

    // A label printed before the expiry, reported after the job voided it: accepted (the code was on a product).
    const late = await call(
      farmer.token,
      'POST',
      `/codes/device-reservations/${old.id}/uses`,
      { code: old.codes[1].code, usedAt: new Date(Date.now() - 36 * 3600_000).toISOString() },
      'lbl-late.0.0',
    );
    expect(late.statusCode, late.body).toBe(200);
    expect(await codeStatus(old.codes[1].code)).toBe('active');
    // Printed after the expiry: refused with the date.
    const tooLate = await call(farmer.token, 'POST', `/codes/device-reservations/${old.id}/uses`, {
      code: old.codes[2].code,
      usedAt: new Date().toISOString(),
    });
    expect(tooLate.statusCode).toBe(409);
    expect(tooLate.json().code).toBe('RESERVATION_EXPIRED');
  });
});
