import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

/** Issue 13: evaluation of lower levels (考核评价) and online patrol (网上巡检). */
let t: TestApp;
let admin: string;
let city: Awaited<ReturnType<typeof makeUser>>;
let county: Awaited<ReturnType<typeof makeUser>>;
let farmer: Awaited<ReturnType<typeof makeProducer>>;
const post = (tok: string | null, url: string, payload?: unknown) =>
  t.req(tok, { method: 'POST', url: `/api/v1${url}`, payload: (payload ?? {}) as object });
const get = (tok: string | null, url: string) => t.req(tok, { method: 'GET', url: `/api/v1${url}` });
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  city = await makeUser(t, admin, {
    username: 'ev_city',
    orgName: '广州市农业农村局',
    divisionCode: '4401',
    roles: ['supervisor'],
  });
  county = await makeUser(t, admin, {
    username: 'ev_county',
    orgName: '从化区农业农村局',
    divisionCode: '440117',
    roles: ['supervisor'],
  });
  farmer = await makeProducer(t, { username: 'ev_farmer', name: '从化区评价合作社', divisionCode: '440117103' });
  const productId = (await post(farmer.token, '/products', { name: '芹菜', industry: 'planting' })).json().id;
  for (const d of [0, 1, 4, 5])
    expect((await post(farmer.token, '/batches', { productId, quantity: 2, producedAt: daysAgo(d) })).statusCode).toBe(
      201,
    );
}, 600_000);
afterAll(() => t.close());

describe('evaluation', () => {
  it("the county's evaluation ranks its townships and counts the late uploads", async () => {
    const res = await get(county.token, '/evaluation?months=3');
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json();
    expect(e.unitLevel).toBe('township');
    expect(e.months).toHaveLength(3);
    const town = e.units.find((u: { code: string }) => u.code === '440117103');
    expect(town).toMatchObject({ records: 5, late: 2, producers: 1, timeliness: 0.5, rank: 1 });
    expect(town.recordingByMonth.at(-1)).toBe(1);
    expect(town.continuity).toBeGreaterThan(0);
    // Drill-down to the late records.
    const late = (await get(county.token, '/evaluation/records?late=true&divisionCode=440117103')).json();
    expect(late.total).toBe(2);
    expect(late.items.every((r: { late: boolean }) => r.late)).toBe(true);
    // Named, never the raw resource key (issue 17 item 10).
    expect(late.items[0]).toMatchObject({
      resource: 'batch',
      resourceLabel: { zh: '生产批次', en: 'Production batch' },
    });
    const xlsx = await get(county.token, '/evaluation/export');
    expect(xlsx.rawPayload.readUInt32LE(0)).toBe(0x04034b50);
  });

  it('the city ranks its counties; a unit outside the jurisdiction is refused', async () => {
    const e = (await get(city.token, '/evaluation')).json();
    expect(e.unitLevel).toBe('county');
    expect(e.units.find((u: { code: string }) => u.code === '440117').late).toBe(2);
    expect((await get(county.token, '/evaluation?divisionCode=4401')).statusCode).toBe(403);
    expect((await get(county.token, '/evaluation?divisionCode=12')).statusCode).toBe(403);
    expect((await get(county.token, '/evaluation?divisionCode=abc')).statusCode).toBe(400);
  });
  it("the pass rate counts a unit's submitted records, not a regulator's revocation proposal", async () => {
    const town = async () =>
      (await get(county.token, '/evaluation')).json().units.find((u: { code: string }) => u.code === '440117103');
    const before = await town();
    const item = (resource: string, recordId: string) => sql`
      INSERT INTO review_item (resource, resource_zh, resource_en, record_id, label, division_code, state, returns, due_at)
      VALUES (${resource}, '申请', 'Application', ${recordId}, '从化区评价合作社', '440117103', 'returned', 1, now())`;
    // A returned revocation proposal is the regulator's act: the unit's pass rate does not move.
    await item('subject_revoke', '00000000-0000-4000-8000-000000000001').execute(t.database.db);
    expect(await town()).toMatchObject({ passRate: before.passRate });
    // A returned change application is the unit's submission: it counts.
    await item('subject_change', '00000000-0000-4000-8000-000000000002').execute(t.database.db);
    const after = await town();
    expect(after.passRate).not.toBe(before.passRate);
    expect(after.passRate).toBe(0);
  });
});

describe('online patrol', () => {
  let patrolId: string;
  it('draws a reproducible sample of a lower unit', async () => {
    const a = await post(county.token, '/online-patrols', {
      targetDivision: '440117103',
      sampleSize: 2,
      seed: 'fixed-seed',
    });
    expect(a.statusCode, a.body).toBe(201);
    const b = await post(county.token, '/online-patrols', {
      targetDivision: '440117103',
      sampleSize: 2,
      seed: 'fixed-seed',
    });
    expect(b.json().items.map((i: { recordId: string }) => i.recordId)).toEqual(
      a.json().items.map((i: { recordId: string }) => i.recordId),
    );
    expect(a.json().poolSize).toBe(5); // the product and the four batches
    for (const i of a.json().items as { resource: string; resourceLabel: { zh: string; en: string } }[])
      expect(i.resourceLabel).toEqual(
        i.resource === 'batch' ? { zh: '生产批次', en: 'Production batch' } : { zh: '产品', en: 'Product' },
      );
    patrolId = a.json().id;
    expect((await post(county.token, '/online-patrols', { targetDivision: '440117', sampleSize: 2 })).statusCode).toBe(
      403,
    );
    expect((await post(county.token, '/online-patrols', { targetDivision: '510104', sampleSize: 2 })).statusCode).toBe(
      403,
    );
  });

  it('marks a problem, sends a notice to the responsible organisation, tracks it to closure', async () => {
    const p = (await get(county.token, `/online-patrols/${patrolId}`)).json();
    const m = await post(county.token, `/online-patrols/${patrolId}/marks`, {
      recordId: p.items[0].recordId,
      problem: 'incomplete',
      note: '缺少基地',
    });
    expect(m.statusCode, m.body).toBe(200);
    expect(
      (await post(county.token, `/online-patrols/${patrolId}/marks`, { recordId: 'nope', problem: 'other' }))
        .statusCode,
    ).toBe(400);
    const past = await post(county.token, `/online-patrols/${patrolId}/notices`, {
      text: '请补全',
      deadline: '2020-01-01',
    });
    expect(past.statusCode).toBe(400);
    const n = await post(county.token, `/online-patrols/${patrolId}/notices`, {
      text: '请在期限内补全基地信息',
      deadline: '2099-12-31',
    });
    expect(n.statusCode, n.body).toBe(201);
    expect(n.json().orgId).toBe(farmer.orgId);
    const mine = (await get(farmer.token, '/rectification-notices')).json();
    expect(mine.items[0].allowedActions).toEqual(['reply']);
    expect(
      (await post(farmer.token, `/rectification-notices/${n.json().id}/actions`, { action: 'close' })).statusCode,
    ).toBe(409);
    expect(
      (
        await post(farmer.token, `/rectification-notices/${n.json().id}/actions`, { action: 'reply', text: '已补全' })
      ).json().state,
    ).toBe('replied');
    const closed = await post(county.token, `/rectification-notices/${n.json().id}/actions`, { action: 'close' });
    expect(closed.json().state).toBe('closed');
    const e = (await get(county.token, '/evaluation')).json();
    expect(e.units.find((u: { code: string }) => u.code === '440117103').flagsPer1000).toBe(200);
  });

  it('an overdue notice lowers the evaluation and makes a credit record', async () => {
    const n = await post(county.token, `/online-patrols/${patrolId}/notices`, {
      text: '逾期测试',
      deadline: '2099-12-31',
    });
    const before = (await get(county.token, '/evaluation'))
      .json()
      .units.find((u: { code: string }) => u.code === '440117103').score;
    await t.database.db
      .updateTable('rectification_notice')
      .set({ deadline: '2020-01-01' })
      .where('id', '=', n.json().id)
      .execute();
    const after = (await get(county.token, '/evaluation'))
      .json()
      .units.find((u: { code: string }) => u.code === '440117103');
    expect(after.overdueNotices).toBe(1);
    expect(after.score).toBeLessThan(before);
    const { overdueNoticesJob } = await import('../src/modules/evaluation/patrol.js');
    await overdueNoticesJob({ db: t.database.db, config: t.app.config });
    const credit = (await get(county.token, `/credit/subjects/${farmer.subjectId}`)).json();
    expect(credit.records.some((r: { source: string }) => r.source === 'collection')).toBe(true);
  });
});
