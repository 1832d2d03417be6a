import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentCatalogVersion, sharedFieldsOf } from '../src/modules/infocatalog/service.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

/** Issue 13: the information resource catalogue as versioned data, validation through it, review, the 3-day rule. */
let t: TestApp;
let admin: string;
let farmer: Awaited<ReturnType<typeof makeProducer>>;
let reviewer: Awaited<ReturnType<typeof makeUser>>;
let productId: string;
const COUNTY = '440117';

const post = (tok: string | null, url: string, payload: unknown) =>
  t.req(tok, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });
const patch = (tok: string | null, url: string, payload: unknown) =>
  t.req(tok, { method: 'PATCH', url: `/api/v1${url}`, payload: payload as object });
const get = (tok: string | null, url: string) => t.req(tok, { method: 'GET', url: `/api/v1${url}` });
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
  farmer = await makeProducer(t, { username: 'ic_farmer', name: '从化区目录测试合作社', divisionCode: '440117103' });
  reviewer = await makeUser(t, admin, {
    username: 'ic_reviewer',
    orgName: '从化区农产品质量安全监管站',
    divisionCode: COUNTY,
    roles: ['info_reviewer'],
  });
  productId = (await post(farmer.token, '/products', { name: '豇豆', industry: 'planting' })).json().id;
}, 600_000);
afterAll(() => t.close());

describe('the catalogue as versioned data', () => {
  it('seeds the national version 1.0 from the fields collected today, in force', async () => {
    const res = await get(admin, '/info-catalog/versions');
    expect(res.statusCode).toBe(200);
    expect(res.json().current).toBe('1.0');
    expect(res.json().platformTier).toBe('national');
    const v = (await get(farmer.token, '/info-catalog/current')).json();
    const keys = v.content.resources.map((r: { key: string }) => r.key);
    for (const k of ['subject', 'batch', 'certificate', 'sale', 'patrol', 'sampling', 'test_result', 'origin_record'])
      expect(keys).toContain(k);
    const batch = v.content.resources.find((r: { key: string }) => r.key === 'batch');
    expect(batch.fields.find((f: { key: string }) => f.key === 'producedAt').required).toBe(true);
  });

  it('exports sharedFieldsOf and currentCatalogVersion for upward sharing', async () => {
    const cur = await currentCatalogVersion(t.database.db);
    expect(cur?.version).toBe('1.0');
    const shared = await sharedFieldsOf(t.database.db, 'subject');
    expect(shared).toContainEqual({ key: 'certNo', type: 'string', personal: 'sensitive' });
    expect(shared.find((f) => f.key === 'legalPersonIdNo')).toBeUndefined();
    expect(await sharedFieldsOf(t.database.db, 'no_such')).toEqual([]);
  });

  it('a published version never changes; drafts are edited then published, retiring the old one', async () => {
    expect((await patch(admin, '/info-catalog/versions/1.0', { title: 'x' })).statusCode).toBe(409);
    const d = await post(admin, '/info-catalog/versions', { version: '1.1', title: '目录 1.1 要求批次填写单位' });
    expect(d.statusCode).toBe(201);
    expect(d.json().status).toBe('draft');
    expect(d.json().allowedActions).toContain('publish');
    const content = d.json().content;
    const batch = content.resources.find((r: { key: string }) => r.key === 'batch');
    batch.fields.find((f: { key: string }) => f.key === 'unit').required = true;
    expect((await patch(admin, '/info-catalog/versions/1.1', { content })).statusCode).toBe(200);
    // Not in force yet: a batch without a unit passes.
    const ok = await post(farmer.token, '/batches', { productId, quantity: 5, producedAt: daysAgo(1) });
    expect(ok.statusCode).toBe(201);
    const pub = await post(admin, '/info-catalog/versions/1.1/publish', {});
    expect(pub.statusCode).toBe(200);
    expect(pub.json().status).toBe('published');
    const list = (await get(admin, '/info-catalog/versions')).json();
    expect(list.current).toBe('1.1');
    expect(list.items.find((v: { version: string }) => v.version === '1.0').status).toBe('retired');
    // A published row is protected by the database itself.
    await expect(
      t.database.db
        .updateTable('info_catalog_version')
        .set({ title: 'x', content: '{}' })
        .where('version', '=', '1.1')
        .execute(),
    ).rejects.toThrow();
  });

  it('a new rule is a data change: the API now refuses a batch without the unit, naming field and rule', async () => {
    const res = await post(farmer.token, '/batches', { productId, quantity: 5, producedAt: daysAgo(1) });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('CATALOG_RULE_VIOLATED');
    expect(res.json().field).toBe('unit');
    expect(res.json().message).toContain('单位');
    expect(res.json().messageEn).toContain('required');
    expect(res.json().messageEn).toContain('1.1');
  });

  it('exports JSON and Excel; a local platform imports the JSON file and may only add optional local fields', async () => {
    const json = await get(admin, '/info-catalog/versions/1.1/export');
    expect(json.statusCode).toBe(200);
    const file = json.json();
    expect(file.format).toBe('suyuan-info-catalog/1');
    const xlsx = await get(admin, '/info-catalog/versions/1.1/export?format=xlsx');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.readUInt32LE(0)).toBe(0x04034b50);

    const prov = await testApp({ PLATFORM_REGION: '44' });
    try {
      const padmin = await prov.login('admin');
      const imp = await prov.req(padmin, {
        method: 'POST',
        url: '/api/v1/info-catalog/imports',
        payload: { file, publish: true },
      });
      expect(imp.statusCode, imp.body).toBe(200);
      expect(imp.json().status).toBe('published');
      // Same file again: no-op; same number with other content: refused.
      const again = await prov.req(padmin, { method: 'POST', url: '/api/v1/info-catalog/imports', payload: { file } });
      expect(again.statusCode).toBe(200);
      const changed = structuredClone(file);
      changed.title = 'x';
      changed.content.resources[0].lateDays = 9;
      expect(
        (await prov.req(padmin, { method: 'POST', url: '/api/v1/info-catalog/imports', payload: { file: changed } }))
          .statusCode,
      ).toBe(409);
      // A local draft weakening a national rule is refused; adding an optional local field is fine.
      const weak = structuredClone(file.content);
      weak.resources
        .find((r: { key: string }) => r.key === 'batch')
        .fields.find((f: { key: string }) => f.key === 'unit').required = false;
      const w = await prov.req(padmin, {
        method: 'POST',
        url: '/api/v1/info-catalog/versions',
        payload: { version: '1.1-44.1', title: '广东目录', content: weak },
      });
      expect(w.statusCode).toBe(400);
      expect(w.json().code).toBe('CATALOG_WEAKENED');
      const local = structuredClone(file.content);
      local.resources
        .find((r: { key: string }) => r.key === 'batch')
        .fields.push({
          key: 'gdTag',
          nameZh: '粤字号标识',
          nameEn: 'Guangdong brand tag',
          type: 'string',
          required: false,
          personal: 'none',
          visibility: 'consumer',
          sharedUpward: false,
          local: true,
        });
      const l = await prov.req(padmin, {
        method: 'POST',
        url: '/api/v1/info-catalog/versions',
        payload: { version: '1.1-44.1', title: '广东目录', content: local },
      });
      expect(l.statusCode, l.body).toBe(201);
      expect(l.json().baseVersion).toBe('1.1');
      expect(
        (await prov.req(padmin, { method: 'POST', url: '/api/v1/info-catalog/versions/1.1-44.1/publish' })).statusCode,
      ).toBe(200);
      // The national platform takes no local file.
      const back = (
        await prov.req(padmin, { method: 'GET', url: '/api/v1/info-catalog/versions/1.1-44.1/export' })
      ).json();
      expect((await post(admin, '/info-catalog/imports', { file: back })).statusCode).toBe(403);
    } finally {
      await prov.close();
    }
  }, 600_000);

  it('hostile input: bad version numbers, NUL and huge names are 4xx, never 500', async () => {
    for (const version of ['', 'a/b', '\u0000', 'x'.repeat(5000)])
      expect((await post(admin, '/info-catalog/versions', { version, title: 't' })).statusCode).toBe(400);
    expect((await post(admin, '/info-catalog/versions', { version: '9', title: 'x'.repeat(5000) })).statusCode).toBe(
      400,
    );
    expect((await post(admin, '/info-catalog/versions', { version: '9', title: 't', from: 'nope' })).statusCode).toBe(
      404,
    );
    expect((await get(admin, '/info-catalog/versions/nope')).statusCode).toBe(404);
    expect((await post(farmer.token, '/info-catalog/versions', { version: '9', title: 't' })).statusCode).toBe(403);
  });
});

describe('review, correction in place, the 3-day rule', () => {
  let batchId: string;
  it('a batch uploaded 4 days after the work is flagged late and queued for review', async () => {
    const res = await post(farmer.token, '/batches', { productId, quantity: 10, unit: 'kg', producedAt: daysAgo(4) });
    expect(res.statusCode, res.body).toBe(201);
    batchId = res.json().id;
    const rec = await t.database.db
      .selectFrom('info_collected')
      .selectAll()
      .where('record_id', '=', batchId)
      .executeTakeFirstOrThrow();
    expect(rec.late).toBe(true);
    expect(rec.catalog_version).toBe('1.1');
    expect(rec.division_code).toBe('440117103');
  });

  it('the reviewer returns it with a reason; the producer corrects it in place; then it is approved', async () => {
    const list = (await get(reviewer.token, '/reviews?state=pending&resource=batch')).json();
    const item = list.items.find((i: { recordId: string }) => i.recordId === batchId);
    expect(item.allowedActions).toEqual(['approve', 'return']);
    expect(new Date(item.dueAt).getTime()).toBeGreaterThan(Date.now());
    const empty = await post(reviewer.token, `/reviews/${item.id}/decision`, { action: 'return' });
    expect(empty.statusCode).toBe(400);
    const ret = await post(reviewer.token, `/reviews/${item.id}/decision`, {
      action: 'return',
      reasons: ['inaccurate'],
      comment: '数量与过磅单不符',
    });
    expect(ret.statusCode, ret.body).toBe(200);
    expect(ret.json().state).toBe('returned');
    const mine = (await get(farmer.token, `/reviews/${item.id}`)).json();
    expect(mine.reasons[0].zh).toBe('信息不准确');
    expect(mine.comment).toBe('数量与过磅单不符');
    expect(mine.allowedActions).toEqual(['resubmit']);
    const fix = await post(farmer.token, `/batches/${batchId}/corrections`, { quantity: 12, reason: '按过磅单更正' });
    expect(fix.statusCode, fix.body).toBe(200);
    const after = (await get(reviewer.token, `/reviews/${item.id}`)).json();
    expect(after.state).toBe('pending');
    expect(after.events.map((e: { action: string }) => e.action)).toEqual(['submit', 'return', 'resubmit']);
    const ok = await post(reviewer.token, `/reviews/${item.id}/decision`, { action: 'approve' });
    expect(ok.json().state).toBe('approved');
    expect((await post(reviewer.token, `/reviews/${item.id}/decision`, { action: 'approve' })).statusCode).toBe(409);
  });

  it('nobody reviews their own entry; bulk approval skips own entries; producers see only their own', async () => {
    const selfReviewer = await makeProducer(t, {
      username: 'ic_self',
      name: '自审合作社',
      divisionCode: '440117103',
      roles: ['producer_admin', 'info_reviewer'],
    });
    const pid = (await post(selfReviewer.token, '/products', { name: '韭菜', industry: 'planting' })).json().id;
    const b = await post(selfReviewer.token, '/batches', {
      productId: pid,
      quantity: 3,
      unit: 'kg',
      producedAt: daysAgo(0),
    });
    const item = (await get(selfReviewer.token, '/reviews?state=pending'))
      .json()
      .items.find((i: { recordId: string }) => i.recordId === b.json().id);
    expect(item.ownEntry).toBe(true);
    expect(item.allowedActions).toEqual([]);
    expect((await post(selfReviewer.token, `/reviews/${item.id}/decision`, { action: 'approve' })).json().code).toBe(
      'REVIEW_OWN_ENTRY',
    );
    const bulk = await post(selfReviewer.token, '/reviews/bulk-approve', { resource: 'batch' });
    expect(bulk.json()).toEqual({ approved: 0, skippedOwn: 1 });
    expect((await get(farmer.token, `/reviews/${item.id}`)).statusCode).toBe(403);
    const county = await post(reviewer.token, '/reviews/bulk-approve', { resource: 'batch', divisionCode: '440117' });
    expect(county.json().approved).toBeGreaterThanOrEqual(1);
  });
});
