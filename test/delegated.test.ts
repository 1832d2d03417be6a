import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';

/** Issue 17 item 1: delegated collection (代录) — a service agency enters records for a producer within its scopes. */
let t: TestApp;
let admin: string;
let agency: { token: string; orgId: string };
let producer: { token: string; subjectId: string };
let other: { token: string; subjectId: string };
let county: string;
const TOWN = '440117103';

const call = (tok: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, actingFor?: string) =>
  t.req(tok, {
    method,
    url: `/api/v1${url}`,
    ...(payload ? { payload } : {}),
    headers: actingFor ? { 'x-acting-for': actingFor } : {},
  });

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  agency = await makeUser(t, admin, {
    username: 'dl_agency',
    orgName: '从化农信代录服务社',
    kind: 'service',
    divisionCode: '4401',
    roles: ['service_staff'],
  });
  county = (
    await makeUser(t, admin, {
      username: 'dl_county',
      orgName: '从化区监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  producer = await makeProducer(t, {
    username: 'dl_farmer',
    name: '温泉代录合作社',
    divisionCode: TOWN,
    certNo: makeCreditCode('93440117MA5DL0001'),
  });
  other = await makeProducer(t, {
    username: 'dl_other',
    name: '未授权合作社',
    divisionCode: TOWN,
    certNo: makeCreditCode('93440117MA5DL0002'),
  });
});
afterAll(() => t?.close());

async function grant(scopes: string[]) {
  const res = await call(producer.token, 'POST', '/my-subject/authorisations', { agencyOrgId: agency.orgId, scopes });
  expect(res.statusCode, res.body).toBe(200);
}

describe('delegated collection', () => {
  it('enters products, bases, batches, certificates, input uses and sales for the producer within its scopes', async () => {
    // Nothing without an authorisation, and nothing without naming the producer.
    const none = await call(
      agency.token,
      'POST',
      '/products',
      { name: '豇豆', industry: 'planting' },
      producer.subjectId,
    );
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('AGENCY_NOT_ACTING');
    await grant(['products', 'bases', 'batches']);
    const unnamed = await call(agency.token, 'POST', '/products', { name: '豇豆', industry: 'planting' });
    expect(unnamed.json().code).toBe('AGENCY_NOT_ACTING');
    const badHeader = await call(agency.token, 'POST', '/products', { name: '豇豆', industry: 'planting' }, 'x\u0000y');
    expect(badHeader.statusCode).toBe(400);
    const foreign = await call(
      agency.token,
      'POST',
      '/products',
      { name: '豇豆', industry: 'planting' },
      other.subjectId,
    );
    expect(foreign.json().code).toBe('AGENCY_NOT_ACTING');

    const p = await call(agency.token, 'POST', '/products', { name: '豇豆', industry: 'planting' }, producer.subjectId);
    expect(p.statusCode, p.body).toBe(201);
    expect(p.json().subjectId).toBe(producer.subjectId);
    expect(p.json().enteredBy).toEqual({ orgId: agency.orgId, name: '从化农信代录服务社' });
    const b = await call(agency.token, 'POST', '/bases', { name: '代录基地', divisionCode: TOWN }, producer.subjectId);
    expect(b.statusCode, b.body).toBe(201);
    const batch = await call(
      agency.token,
      'POST',
      '/batches',
      {
        productId: p.json().id,
        baseId: b.json().id,
        quantity: 300,
        producedAt: '2026-11-20T08:00:00+08:00',
        selfCheck: 'pass',
      },
      producer.subjectId,
    );
    expect(batch.statusCode, batch.body).toBe(201);
    expect(batch.json().enteredBy.name).toBe('从化农信代录服务社');

    // Certificates, input uses and sales are outside the scopes granted so far.
    const cert = { batchId: batch.json().id, quantity: 100, basis: ['control'] };
    const refused = await call(agency.token, 'POST', '/certificates', cert, producer.subjectId);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('AGENCY_NOT_AUTHORISED');
    expect(refused.json().message).toContain('合格证');
    await grant(['products', 'bases', 'batches', 'certificates', 'inputs', 'sales']);
    const c = await call(agency.token, 'POST', '/certificates', cert, producer.subjectId);
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().enteredBy.orgId).toBe(agency.orgId);
    const use = await call(
      agency.token,
      'POST',
      '/input-uses',
      { baseId: b.json().id, kind: 'fertiliser', name: '有机肥', dose: 100, doseUnit: 'kg/亩', usedOn: '2026-11-10' },
      producer.subjectId,
    );
    expect(use.statusCode, use.body).toBe(201);
    expect(use.json().enteredBy.orgId).toBe(agency.orgId);
    const sale = await call(
      agency.token,
      'POST',
      '/sales',
      { batchId: batch.json().id, quantity: 50, buyerKind: 'unregistered', buyerName: '张三' },
      producer.subjectId,
    );
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json().enteredBy.orgId).toBe(agency.orgId);

    // The producer sees who entered its records; the agency reads only its client's.
    const mine = await call(producer.token, 'GET', `/batches/${batch.json().id}`);
    expect(mine.json().enteredBy).toEqual({ orgId: agency.orgId, name: '从化农信代录服务社' });
    const read = await call(agency.token, 'GET', '/products', undefined, producer.subjectId);
    expect(read.statusCode, read.body).toBe(200);
    const unscoped = await call(agency.token, 'GET', '/products');
    expect(unscoped.statusCode).toBe(403);

    // The audit trail names the agency as actor and the producer as whom it acted for.
    const rows = await t.database.db
      .selectFrom('audit_log')
      .select(['verb', 'org_id', 'on_behalf_of'])
      .where('org_id', '=', agency.orgId)
      .where('verb', 'not like', 'auth.%')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const r of rows) expect(r.on_behalf_of).toBe(producer.subjectId);

    // A producer's own write is not stamped, whatever header it sends.
    const own = await call(
      producer.token,
      'POST',
      '/products',
      { name: '韭菜', industry: 'planting' },
      other.subjectId,
    );
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().enteredBy).toBeNull();
    expect(own.json().subjectId).toBe(producer.subjectId);
  });

  it('producers collect their own origin-map records; county-authorised agencies collect with a confidentiality agreement', async () => {
    const rec = (o: Record<string, unknown> = {}) => ({
      divisionCode: TOWN,
      subjectName: '随便写的名字',
      subjectType: 'cooperative',
      productCode: 'cowpea',
      baseAddress: '温泉镇南平村一队',
      longitude: 113.5867,
      latitude: 23.5487,
      contactName: '李四',
      contactPhone: '13800138000',
      scale: 12.5,
      productionMethod: 'open_field',
      geoSource: 'map',
      ...o,
    });
    const own = await call(producer.token, 'POST', '/origin/records', rec());
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json().subjectId).toBe(producer.subjectId);
    expect(own.json().subjectName).toBe('温泉代录合作社');
    const outside = await call(producer.token, 'POST', '/origin/records', rec({ divisionCode: '440103001' }));
    expect(outside.statusCode).toBe(403);
    const list = await call(producer.token, 'GET', '/origin/my-records');
    expect(list.json().items.map((r: { id: string }) => r.id)).toEqual([own.json().id]);
    // The producer cannot read the county's map.
    expect((await call(producer.token, 'GET', '/origin/records')).statusCode).toBe(403);
    // Someone else's record is invisible to it.
    const theirs = await call(other.token, 'POST', '/origin/records', rec({ baseAddress: '另一个基地' }));
    expect((await call(producer.token, 'PATCH', `/origin/records/${theirs.json().id}`, { scale: 20 })).statusCode).toBe(
      404,
    );

    // An agency acting for the producer needs the origin scope.
    const noScope = await call(
      agency.token,
      'POST',
      '/origin/records',
      rec({ baseAddress: '代录基地二' }),
      producer.subjectId,
    );
    expect(noScope.json().code).toBe('AGENCY_NOT_AUTHORISED');
    await grant(['origin']);
    const forIt = await call(
      agency.token,
      'POST',
      '/origin/records',
      rec({ baseAddress: '代录基地二' }),
      producer.subjectId,
    );
    expect(forIt.statusCode, forIt.body).toBe(201);
    expect(forIt.json().enteredBy.orgId).toBe(agency.orgId);

    // As a third-party collector it needs the county's authorisation with a confidentiality agreement.
    const noGrant = await call(
      agency.token,
      'POST',
      '/origin/records',
      rec({ subjectName: '某农户', baseAddress: 'X' }),
    );
    expect(noGrant.json().code).toBe('ORIGIN_COLLECTOR_NOT_AUTHORISED');
    const g = {
      agencyOrgId: agency.orgId,
      countyCode: '440117',
      confidentialityNo: 'BM-2026-001',
      confidentialitySignedOn: '2026-11-01',
    };
    expect(
      (await call(county, 'POST', '/origin/collectors', { ...g, confidentialitySignedOn: '2026-02-30' })).statusCode,
    ).toBe(400);
    expect((await call(county, 'POST', '/origin/collectors', { ...g, confidentialityNo: '' })).statusCode).toBe(400);
    expect((await call(county, 'POST', '/origin/collectors', { ...g, countyCode: '440103' })).statusCode).toBe(403);
    expect((await call(producer.token, 'POST', '/origin/collectors', g)).statusCode).toBe(403);
    const ok = await call(county, 'POST', '/origin/collectors', g);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()[0]).toMatchObject({
      agencyName: '从化农信代录服务社',
      confidentialityNo: 'BM-2026-001',
      active: true,
    });
    expect((await call(county, 'POST', '/origin/collectors', g)).statusCode).toBe(409);
    const third = await call(
      agency.token,
      'POST',
      '/origin/records',
      rec({ subjectName: '某农户', subjectType: 'farmer', baseAddress: 'X 地块' }),
    );
    expect(third.statusCode, third.body).toBe(201);
    expect(third.json().subjectName).toBe('某农户');
    expect(third.json().enteredBy.name).toBe('从化农信代录服务社');
    const elsewhere = await call(
      agency.token,
      'POST',
      '/origin/records',
      rec({ divisionCode: '440103001', baseAddress: 'Y' }),
    );
    expect(elsewhere.statusCode).toBe(403);
    const revoked = await call(county, 'POST', `/origin/collectors/${ok.json()[0].id}/revoke`);
    expect(revoked.json()[0].active).toBe(false);
    const after = await call(agency.token, 'POST', '/origin/records', rec({ subjectName: '某农户', baseAddress: 'Z' }));
    expect(after.json().code).toBe('ORIGIN_COLLECTOR_NOT_AUTHORISED');
  });

  it('refuses the origin spreadsheet import to producers and agencies (it works in the caller organisation division)', async () => {
    const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const upload = (tok: string, actingFor?: string) => {
      const body = multipartFile('origin.xlsx', Buffer.from('not read: refused first'), XLSX);
      return t.req(tok, {
        method: 'POST',
        url: '/api/v1/origin/imports',
        payload: body.payload,
        headers: { ...body.headers, ...(actingFor ? { 'x-acting-for': actingFor } : {}) },
      });
    };
    const refused = (res: { statusCode: number; body: string; json(): { code: string } }) => {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('ORIGIN_IMPORT_NOT_ALLOWED');
    };
    await grant(['origin']);
    // Both hold origin.collect (they collect record by record above), yet the import is refused…
    refused(await upload(producer.token));
    refused(await upload(agency.token, producer.subjectId));
    refused(await upload(agency.token));
    refused(await call(producer.token, 'POST', '/origin/imports', { fileId: '00000000-0000-4000-8000-000000000000' }));
    // …and so are its template, reports and error workbooks.
    refused(await call(producer.token, 'GET', '/origin/import-template.xlsx'));
    refused(await call(agency.token, 'GET', '/origin/import-template.xlsx', undefined, producer.subjectId));
    const job = '00000000-0000-4000-8000-000000000000';
    refused(await call(producer.token, 'GET', `/origin/imports/${job}`));
    refused(await call(agency.token, 'GET', `/origin/imports/${job}/report`, undefined, producer.subjectId));
    refused(await call(producer.token, 'GET', `/origin/imports/${job}/errors`));
    // A field collector still imports (the supervision side is unchanged).
    const collector = await makeUser(t, admin, {
      username: 'dl_collector',
      orgName: '温泉镇农业站',
      divisionCode: '440117103',
      roles: ['collector'],
    });
    expect((await call(collector.token, 'GET', '/origin/import-template.xlsx')).statusCode).toBe(200);
  });
});
