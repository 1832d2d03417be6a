import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

/**
 * Issue 13 item 7 (seed 000 第十九条): the credit archive of collection covers service agencies (第三方服务机构) and
 * their individual collectors — repeated returns, repeated late uploads and overdue rectification notices make records
 * of their own; a record after an order to correct is 屡教不改.
 */
let t: TestApp;
let admin: string;
let county: string;
let otherCounty: string;
let collectorA: Awaited<ReturnType<typeof makeUser>>;
let collectorB: Awaited<ReturnType<typeof makeUser>>;
let producer: Awaited<ReturnType<typeof makeProducer>>;
let productId: string;
let returnedBatch: string;
const TOWN = '440117103';
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

const call = (tok: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, actingFor?: string) =>
  t.req(tok, {
    method,
    url: `/api/v1${url}`,
    ...(payload ? { payload } : {}),
    headers: actingFor ? { 'x-acting-for': actingFor } : {},
  });

interface Party {
  party: string;
  partyZh: string;
  agencyOrgId: string;
  collectorId: string | null;
  collectorName: string | null;
  records: number;
  points: number;
  repeatOffender: boolean;
}
const parties = async (tok: string): Promise<Party[]> => {
  const res = await call(tok, 'GET', '/credit/agencies');
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
};
const partyOf = (list: Party[], collectorId: string | null) =>
  list.find((p) => p.agencyOrgId === collectorA.orgId && p.collectorId === collectorId);

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  county = (
    await makeUser(t, admin, {
      username: 'ca_county',
      orgName: '从化区农业农村局',
      divisionCode: '440117',
      roles: ['supervisor', 'info_reviewer'],
    })
  ).token;
  otherCounty = (
    await makeUser(t, admin, {
      username: 'ca_other',
      orgName: '荔湾区农业农村局',
      divisionCode: '440103',
      roles: ['supervisor'],
    })
  ).token;
  collectorA = await makeUser(t, admin, {
    username: 'ca_collector_a',
    orgName: '从化农信采集服务社',
    kind: 'service',
    divisionCode: '4401',
    roles: ['service_staff'],
  });
  collectorB = await makeUser(t, admin, {
    username: 'ca_collector_b',
    orgName: '从化农信采集服务社',
    divisionCode: '4401',
    roles: ['service_staff'],
    orgId: collectorA.orgId,
  });
  producer = await makeProducer(t, {
    username: 'ca_farmer',
    name: '温泉采集合作社',
    divisionCode: TOWN,
    certNo: makeCreditCode('93440117MA5CA0001'),
  });
  const g = await call(producer.token, 'POST', '/my-subject/authorisations', {
    agencyOrgId: collectorA.orgId,
    scopes: ['products', 'batches', 'origin'],
  });
  expect(g.statusCode, g.body).toBe(200);
  const p = await call(
    collectorA.token,
    'POST',
    '/products',
    { name: '豇豆', industry: 'planting' },
    producer.subjectId,
  );
  expect(p.statusCode, p.body).toBe(201);
  productId = p.json().id;
}, 600_000);
afterAll(() => t?.close());

describe('credit archive of service agencies and their collectors', () => {
  it('repeated returns of a delegated entry make records for the agency and the collector who entered it', async () => {
    const b = await call(
      collectorA.token,
      'POST',
      '/batches',
      { productId, quantity: 5, producedAt: daysAgo(0) },
      producer.subjectId,
    );
    expect(b.statusCode, b.body).toBe(201);
    returnedBatch = b.json().id;
    const item = (await call(county, 'GET', '/reviews?state=pending&resource=batch')).json().items[0];
    expect(item.recordId).toBe(returnedBatch);
    for (let i = 1; i <= 3; i++) {
      const r = await call(county, 'POST', `/reviews/${item.id}/decision`, { action: 'return', comment: `第 ${i} 次` });
      expect(r.statusCode, r.body).toBe(200);
      // Two returns are not yet repeated.
      if (i < 3) {
        expect(await parties(county)).toEqual([]);
        const again = await call(collectorB.token, 'POST', `/reviews/${item.id}/resubmit`);
        expect(again.statusCode, again.body).toBe(200);
      }
    }
    const list = await parties(county);
    expect(list).toHaveLength(2);
    expect(partyOf(list, null)).toMatchObject({ party: 'agency', partyZh: '第三方服务机构', records: 1 });
    expect(partyOf(list, collectorA.userId)).toMatchObject({
      party: 'collector',
      partyZh: '采集员',
      collectorName: 'ca_collector_a',
      records: 1,
      repeatOffender: false,
    });
    // Collector B only resubmitted: it entered nothing, so it has no record.
    expect(partyOf(list, collectorB.userId)).toBeUndefined();
    // The producer it was entered for is not charged with the agency's collection.
    const own = (await call(county, 'GET', `/credit/subjects/${producer.subjectId}`)).json();
    expect(own.records).toEqual([]);
    // The agency was ordered to correct (notification to its organisation).
    const inbox = (await call(collectorA.token, 'GET', '/notifications')).json();
    expect(JSON.stringify(inbox)).toContain('被退回 3 次');
    // Another county sees nothing of it.
    expect(await parties(otherCounty)).toEqual([]);
    expect((await call(otherCounty, 'GET', `/credit/agencies/${collectorA.orgId}`)).statusCode).toBe(403);
    expect((await call(county, 'GET', `/credit/agencies/${producer.orgId}`)).statusCode).toBe(404);
    expect((await call(county, 'GET', '/credit/agencies/nope')).statusCode).toBe(400);
  });

  it("a collector's repeated late uploads charge the agency again (屡教不改) and that collector", async () => {
    for (const d of [5, 6, 7]) {
      const b = await call(
        collectorB.token,
        'POST',
        '/batches',
        { productId, quantity: 1, producedAt: daysAgo(d) },
        producer.subjectId,
      );
      expect(b.statusCode, b.body).toBe(201);
    }
    const list = await parties(county);
    expect(partyOf(list, null)).toMatchObject({ records: 2, repeatOffender: true });
    expect(partyOf(list, collectorB.userId)).toMatchObject({ records: 1, repeatOffender: false });
    expect(partyOf(list, collectorA.userId)).toMatchObject({ records: 1 });
    const repeat = (await call(county, 'GET', '/credit/agencies?repeatOnly=true')).json();
    expect(repeat.items.map((p: Party) => p.collectorId)).toEqual([null]);
    const a = (await call(county, 'GET', `/credit/agencies/${collectorA.orgId}`)).json();
    expect(a.agency.name).toBe('从化农信采集服务社');
    expect(a.recordsInWindow).toBe(2);
    expect(a.repeatOffender).toBe(true);
    expect(a.records.map((r: { afterOrder: boolean }) => r.afterOrder)).toEqual([true, false]);
    expect(a.records[0].titleZh).toContain('未在规定时限内上传');
    expect(a.collectors.map((c: { name: string }) => c.name).sort()).toEqual(['ca_collector_a', 'ca_collector_b']);
  });

  it('an overdue rectification notice charges the agency and the collector of the flagged record', async () => {
    const p = await call(county, 'POST', '/online-patrols', { targetDivision: TOWN, sampleSize: 50, seed: 'ca' });
    expect(p.statusCode, p.body).toBe(201);
    const m = await call(county, 'POST', `/online-patrols/${p.json().id}/marks`, {
      recordId: returnedBatch,
      problem: 'inaccurate',
    });
    expect(m.statusCode, m.body).toBe(200);
    const n = await call(county, 'POST', `/online-patrols/${p.json().id}/notices`, {
      text: '请更正数量',
      deadline: '2099-12-31',
    });
    expect(n.statusCode, n.body).toBe(201);
    expect(n.json().orgId).toBe(collectorA.orgId);
    await t.database.db
      .updateTable('rectification_notice')
      .set({ deadline: '2020-01-01' })
      .where('id', '=', n.json().id)
      .execute();
    const { overdueNoticesJob } = await import('../src/modules/evaluation/patrol.js');
    await overdueNoticesJob({ db: t.database.db, config: t.app.config });
    await overdueNoticesJob({ db: t.database.db, config: t.app.config }); // daily: the same notice counts once
    const list = await parties(county);
    expect(partyOf(list, null)).toMatchObject({ records: 3 });
    // Collector A: returned entries, then ordered to correct, then the notice left unresolved → 屡教不改.
    expect(partyOf(list, collectorA.userId)).toMatchObject({ records: 2, repeatOffender: true });
    expect(partyOf(list, collectorB.userId)).toMatchObject({ records: 1 });
  });

  it('origin-map records returned again and again charge the third-party collector and its agency', async () => {
    const g = await call(county, 'POST', '/origin/collectors', {
      agencyOrgId: collectorA.orgId,
      countyCode: '440117',
      confidentialityNo: 'BM-CA-001',
      confidentialitySignedOn: '2026-11-01',
    });
    expect(g.statusCode, g.body).toBe(200);
    const rec = await call(collectorB.token, 'POST', '/origin/records', {
      divisionCode: TOWN,
      subjectName: '某农户',
      subjectType: 'farmer',
      productCode: 'cowpea',
      baseAddress: '温泉镇南平村二队',
      longitude: 113.5867,
      latitude: 23.5487,
      contactName: '李四',
      contactPhone: '13800138000',
      scale: 12.5,
      productionMethod: 'open_field',
      geoSource: 'map',
      marketStart: '2026-05-01',
      marketEnd: '2026-10-31',
      traceMethods: ['certificate'],
      gridWorkerName: '王五',
      gridWorkerPhone: '13800138001',
      collectorName: '赵六',
      collectorPhone: '13800138002',
    });
    expect(rec.statusCode, rec.body).toBe(201);
    const id = rec.json().id;
    for (let i = 1; i <= 3; i++) {
      const s = await call(collectorB.token, 'POST', `/origin/records/${id}/submit`);
      expect(s.statusCode, s.body).toBe(200);
      const r = await call(county, 'POST', `/origin/records/${id}/review`, { action: 'return', comment: '坐标不准' });
      expect(r.statusCode, r.body).toBe(200);
    }
    const a = (await call(county, 'GET', `/credit/agencies/${collectorA.orgId}`)).json();
    expect(a.records.some((r: { titleZh: string }) => r.titleZh.includes('产地溯源记录“某农户”被退回 3 次'))).toBe(
      true,
    );
    const b = a.collectors.find((c: { collectorId: string }) => c.collectorId === collectorB.userId);
    expect(b.recordsInWindow).toBe(2);
    expect(b.repeatOffender).toBe(true);
  });

  it("an agency sees its own and its collectors' records (read-only), never another agency's", async () => {
    const seen = (await call(county, 'GET', `/credit/agencies/${collectorA.orgId}`)).json();
    const own = await call(collectorB.token, 'GET', '/credit/my-agency');
    expect(own.statusCode, own.body).toBe(200);
    const mine = own.json();
    expect(mine.agency.orgId).toBe(collectorA.orgId);
    expect(mine.records.map((r: { id: string }) => r.id).sort()).toEqual(
      seen.records.map((r: { id: string }) => r.id).sort(),
    );
    expect(mine.records.length).toBeGreaterThan(0);
    const ids = mine.collectors.map((c: { collectorId: string }) => c.collectorId);
    expect(ids).toContain(collectorA.userId);
    expect(ids).toContain(collectorB.userId);
    // Another agency: its own (empty) archive, and no way to another agency's.
    const other = await makeUser(t, admin, {
      username: 'ca_other_agency',
      orgName: '花都农信服务社',
      kind: 'service',
      divisionCode: '4401',
      roles: ['service_staff'],
    });
    const theirs = (await call(other.token, 'GET', '/credit/my-agency')).json();
    expect(theirs.agency.orgId).toBe(other.orgId);
    expect(theirs.records).toEqual([]);
    expect(theirs.collectors).toEqual([]);
    expect((await call(other.token, 'GET', `/credit/agencies/${collectorA.orgId}`)).statusCode).toBe(403);
    // Not for producers or regulators (they have their own views).
    expect((await call(producer.token, 'GET', '/credit/my-agency')).statusCode).toBe(403);
    expect((await call(county, 'GET', '/credit/my-agency')).statusCode).toBe(403);
  });
});
