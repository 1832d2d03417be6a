import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash } from '../src/modules/epcis/mapping.js';
import { eventSchemaError, schemaError } from '../src/modules/epcis/validate.js';
import { canonicalJson } from '../src/kernel/canonical-json.js';
import { sm3Hex } from '../src/modules/sharing/identity.js';
import { appendOutbox } from '../src/modules/sharing/share.js';
import { drainOutbox, pushOnce } from '../src/modules/sharing/worker.js';
import { type TestApp, makeProducer, makeUser, testApp } from './helpers.js';

/**
 * EPCIS 2.0 (issue 14 item 4): every valid GS1 example captured over HTTP and queried back with the same events by
 * content hash; bad documents refused with the path the schema names; the simple-query filters and paging; the
 * platform's own batch → sale → receipt → split chain as schema-valid EPCIS events, scoped like every trace read.
 */
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'epcis');
const BASE = 'https://trace.example.cn';

let t: TestApp;
type P = { token: string; subjectId: string; orgId: string };
let thirdParty: P; // a producer whose third-party platform captures through an API token
let apiToken: string;
let farmer: P;
let buyer: P;
let county: string;
let outsider: string;

const capture = (tok: string | null, doc: unknown, type = 'application/ld+json') =>
  t.req(tok, {
    method: 'POST',
    url: '/api/v1/epcis/capture',
    headers: { 'content-type': type },
    payload: JSON.stringify(doc),
  });
const query = (tok: string, qs = '') => t.req(tok, { method: 'GET', url: `/api/v1/epcis/events${qs}` });
const post = (tok: string, url: string, payload: unknown) =>
  t.req(tok, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });
const countCaptured = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('epcis_event')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

type Doc = { type: string; '@context': unknown; epcisBody: Record<string, unknown> } & Record<string, unknown>;
type Ev = Record<string, unknown>;

/** The examples: every JSON-LD file copied from gs1/EPCIS (the XML ones are not copied: not JSON). */
const examples = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.jsonld'))
  .sort()
  .map((f) => ({ file: f, doc: JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8')) as Doc }));

/** The events of a document (an EPCISQueryDocument keeps them under queryResults.resultsBody). */
function eventsOf(doc: Doc): Ev[] {
  const b = doc.epcisBody as { eventList?: Ev[]; queryResults?: { resultsBody: { eventList: Ev[] } } };
  return b.eventList ?? b.queryResults?.resultsBody.eventList ?? [];
}

/** Every event the token may see, following nextPageToken through the Link header. */
async function queryAll(tok: string, qs: string) {
  const out: Ev[] = [];
  let url = `/api/v1/epcis/events${qs}`;
  for (let pages = 0; pages < 100; pages++) {
    const res = await t.req(tok, { method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    const doc = res.json() as Doc;
    expect(schemaError(doc), `${url} answers a schema-valid EPCISQueryDocument`).toBeNull();
    out.push(...eventsOf(doc));
    const link = res.headers.link as string | undefined;
    if (!link) return out;
    url = /^<([^>]+)>; rel="next"$/.exec(link)![1];
  }
  throw new Error('paging did not end');
}

beforeAll(async () => {
  t = await testApp({ PUBLIC_BASE_URL: BASE, PLATFORM_TIER: 'national' });
  const admin = await t.login('admin');
  thirdParty = await makeProducer(t, { username: 'e_third', name: '从化区果蔬产销平台', divisionCode: '440117103' });
  const tok = await post(thirdParty.token, '/auth/tokens', {
    name: 'EPCIS 对接',
    verbs: ['epcis.capture', 'epcis.read'],
  });
  expect(tok.statusCode, tok.body).toBe(201);
  apiToken = tok.json().token;
  farmer = await makeProducer(t, { username: 'e_farmer', name: '温泉镇绿源果蔬合作社', divisionCode: '440117103' });
  buyer = await makeProducer(t, { username: 'e_buyer', name: '荔湾区鲜达农产品经营部', divisionCode: '440103' });
  await t.database.db
    .updateTable('subject')
    .set({ identity_code: 'ZT4401030000000009' })
    .where('id', '=', buyer.subjectId)
    .execute();
  county = (
    await makeUser(t, admin, {
      username: 'e_county',
      orgName: '从化区农业农村局',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  outsider = (
    await makeUser(t, admin, {
      username: 'e_out',
      orgName: '锦江区农业农村局',
      divisionCode: '510104',
      roles: ['supervisor'],
    })
  ).token;
});
afterAll(() => t?.close());

describe('the GS1 examples round-trip', () => {
  it('every example is schema-valid (the schema rejects none of the copied JSON-LD files)', () => {
    const rejected = examples.filter((x) => schemaError(x.doc)).map((x) => x.file);
    expect(rejected).toEqual([]);
    expect(examples.length).toBe(15);
  });

  it('captures each example over HTTP, re-capture stores nothing, and the query gives the same events by content hash', async () => {
    const sent = new Map<string, Ev>();
    for (const { file, doc } of examples) {
      // An EPCISQueryDocument (a query answer) is captured as the EPCISDocument holding its events.
      const body =
        doc.type === 'EPCISDocument'
          ? doc
          : {
              '@context': doc['@context'],
              type: 'EPCISDocument',
              schemaVersion: '2.0',
              creationDate: doc.creationDate,
              epcisBody: { eventList: eventsOf(doc) },
            };
      expect(schemaError(body), file).toBeNull();
      const res = await capture(apiToken, body);
      expect(res.statusCode, `${file}: ${res.body}`).toBe(200);
      const r = res.json();
      const events = eventsOf(doc);
      expect(r.events, file).toBe(events.length);
      expect(r.eventHashes, file).toEqual(events.map((e) => eventHash(e)));
      for (const e of events) sent.set(eventHash(e), e);
      const again = await capture(apiToken, body, 'application/json');
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ events: events.length, captured: 0, duplicates: events.length });
    }
    expect(await countCaptured()).toBe(sent.size);
    // Queried back in pages of 3 (so the keyset token is exercised across every example).
    const got = await queryAll(apiToken, '?perPage=3');
    const byHash = new Map(got.map((e) => [eventHash(e), e]));
    expect(got.length).toBe(sent.size);
    expect([...byHash.keys()].sort()).toEqual([...sent.keys()].sort());
    // Nothing lost: ILMD, sensor data, extensions, errorDeclaration come back as sent (recordTime is the repository's).
    for (const [h, e] of sent) {
      const { recordTime: _a, ...want } = e;
      const { recordTime, '@context': _c, ...have } = byHash.get(h)!;
      expect(have, h).toEqual(want);
      expect(typeof recordTime).toBe('string');
    }
    // The extension namespaces of the capture documents travel with their events.
    const ext = got.find((e) => Object.keys(e).some((k) => k.startsWith('example:')))!;
    expect(ext['@context']).toEqual(expect.arrayContaining([{ example: 'http://ns.example.com/epcis/' }]));
  });

  it('filters: eventType, event time window, bizStep in any CBV form, MATCH_epc, MATCH_epcClass', async () => {
    const types = await queryAll(apiToken, '?eventType=AggregationEvent');
    expect(types.length).toBeGreaterThan(0);
    expect(types.every((e) => e.type === 'AggregationEvent')).toBe(true);
    const two = await queryAll(apiToken, '?eventType=TransformationEvent|TransactionEvent');
    expect(new Set(two.map((e) => e.type))).toEqual(new Set(['TransformationEvent', 'TransactionEvent']));

    const win = await queryAll(apiToken, '?GE_eventTime=2013-01-01T00:00:00Z&LT_eventTime=2014-01-01T00:00:00Z');
    expect(win.length).toBeGreaterThan(0);
    for (const e of win) {
      const at = Date.parse(String(e.eventTime));
      expect(at >= Date.parse('2013-01-01T00:00:00Z') && at < Date.parse('2014-01-01T00:00:00Z')).toBe(true);
    }

    const all = await queryAll(apiToken, '');
    const shippingCount = all.filter((e) => /shipping$/i.test(String(e.bizStep ?? ''))).length;
    expect(shippingCount).toBeGreaterThan(0);
    for (const form of ['shipping', 'urn:epcglobal:cbv:bizstep:shipping', 'https://ref.gs1.org/cbv/BizStep-shipping']) {
      const got = await queryAll(apiToken, `?EQ_bizStep=${encodeURIComponent(form)}`);
      expect(got.length, form).toBe(shippingCount);
    }

    const epc = 'urn:epc:id:sgtin:0614141.107346.2018';
    const withEpc = all.filter((e) => JSON.stringify(e).includes(`"${epc}"`));
    const matched = await queryAll(apiToken, `?MATCH_epc=${encodeURIComponent(epc)}`);
    expect(matched.length).toBeGreaterThan(0);
    expect(matched.length).toBeLessThanOrEqual(withEpc.length);
    for (const e of matched) expect(JSON.stringify(e)).toContain(epc);

    const cls = 'urn:epc:class:lgtin:4012345.012345.998877';
    const byClass = await queryAll(apiToken, `?MATCH_epcClass=${encodeURIComponent(cls)}`);
    expect(byClass.length).toBeGreaterThan(0);
    for (const e of byClass) expect(JSON.stringify(e)).toContain(cls);

    const bad = await query(apiToken, '?eventType=ThingEvent');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'eventType' });
    const badToken = await query(apiToken, '?nextPageToken=abc');
    expect(badToken.statusCode).toBe(400);
    expect(badToken.json().field).toBe('nextPageToken');
  });

  it('MATCH_epc / MATCH_anyEPC take EPC pattern URIs (idpat, also the Digital Link form) and Digital Link prefixes', async () => {
    // Two Digital Link EPCs: one of the product 0614141.107346 (GTIN-14 10614141073467), one of another product.
    const base = structuredClone(examples.find((x) => x.file === 'Example_9.6.1-ObjectEvent.jsonld')!.doc);
    const ev = eventsOf(base)[0];
    const dl = (epc: string, at: string) => ({ ...structuredClone(ev), eventTime: at, epcList: [epc] });
    delete (ev as Ev).eventID;
    const same = 'https://id.gs1.org/01/10614141073467/21/DL-1';
    const other = 'https://id.gs1.org/01/10614141073474/21/DL-2';
    (base.epcisBody as { eventList: Ev[] }).eventList = [
      dl(same, '2021-03-01T10:00:00.000+08:00'),
      dl(other, '2021-03-01T11:00:00.000+08:00'),
    ];
    delete (base.epcisBody as { eventList: Ev[] }).eventList[0].eventID;
    delete (base.epcisBody as { eventList: Ev[] }).eventList[1].eventID;
    const cap = await capture(apiToken, base);
    expect(cap.statusCode, cap.body).toBe(200);
    const all = await queryAll(apiToken, '');
    const epcsOf = (e: Ev) =>
      ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'].flatMap((k) => (e[k] as string[] | undefined) ?? []);
    const hashes = (evs: Ev[]) => evs.map((e) => eventHash(e)).sort();

    // Every serial of one product: the URN EPCs of 0614141.107346 and the Digital Link EPC of its GTIN.
    const product = all.filter((e) =>
      epcsOf(e).some((x) => x.startsWith('urn:epc:id:sgtin:0614141.107346.') || x === same),
    );
    expect(product.length).toBeGreaterThan(2);
    const byPattern = await queryAll(
      apiToken,
      `?MATCH_epc=${encodeURIComponent('urn:epc:idpat:sgtin:0614141.107346.*')}`,
    );
    expect(hashes(byPattern)).toEqual(hashes(product));
    expect(byPattern.some((e) => epcsOf(e).includes(same))).toBe(true);
    expect(byPattern.some((e) => epcsOf(e).includes(other))).toBe(false);
    // More than the exact serials find.
    const exact = await queryAll(
      apiToken,
      '?MATCH_epc=urn:epc:id:sgtin:0614141.107346.2017,urn:epc:id:sgtin:0614141.107346.2018',
    );
    expect(byPattern.length).toBeGreaterThan(exact.length);

    // A company prefix: every product of 0614141 (both Digital Link EPCs included).
    const company = all.filter((e) =>
      epcsOf(e).some((x) => x.startsWith('urn:epc:id:sgtin:0614141.') || x === same || x === other),
    );
    const byCompany = await queryAll(apiToken, `?MATCH_epc=${encodeURIComponent('urn:epc:idpat:sgtin:0614141.*.*')}`);
    expect(hashes(byCompany)).toEqual(hashes(company));

    // A Digital Link prefix: only that GTIN's serials.
    const byPrefix = await queryAll(
      apiToken,
      `?MATCH_epc=${encodeURIComponent('https://id.gs1.org/01/10614141073467/21/*')}`,
    );
    expect(byPrefix.map((e) => epcsOf(e))).toEqual([[same]]);

    // MATCH_anyEPC also matches parentID by pattern; MATCH_epc does not look at parentID.
    const parents = all.filter((e) => String(e.parentID ?? '').startsWith('urn:epc:id:sscc:0614141.'));
    expect(parents.length).toBeGreaterThan(0);
    const sscc = encodeURIComponent('urn:epc:idpat:sscc:0614141.*');
    const anyHit = await queryAll(apiToken, `?MATCH_anyEPC=${sscc}`);
    expect(hashes(anyHit)).toEqual(
      hashes(
        all.filter(
          (e) =>
            String(e.parentID ?? '').startsWith('urn:epc:id:sscc:0614141.') ||
            epcsOf(e).some((x) => x.startsWith('urn:epc:id:sscc:0614141.')),
        ),
      ),
    );
    const epcOnly = await queryAll(apiToken, `?MATCH_epc=${sscc}`);
    expect(epcOnly.length).toBeLessThan(anyHit.length);

    // A malformed pattern is a 400 naming the parameter.
    const bad = await query(apiToken, `?MATCH_epc=${encodeURIComponent('urn:epc:idpat:sgtin:*.107346.*')}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'MATCH_epc' });
  });

  it('refuses a document breaking the schema with the path, in Chinese and English, and stores nothing', async () => {
    const before = await countCaptured();
    const good = examples.find((x) => x.file === 'Example_9.6.1-ObjectEvent.jsonld')!.doc;
    const cases: [Doc, string][] = [];
    const noTime = structuredClone(good);
    delete (eventsOf(noTime)[1] as Ev).eventTime;
    cases.push([noTime, '/epcisBody/eventList/1/eventTime']);
    const badAction = structuredClone(good);
    (eventsOf(badAction)[0] as Ev).action = 'ADDED';
    cases.push([badAction, '/epcisBody/eventList/0/action']);
    const badTz = structuredClone(good);
    (eventsOf(badTz)[0] as Ev).eventTimeZoneOffset = '+25:00';
    cases.push([badTz, '/epcisBody/eventList/0/eventTimeZoneOffset']);
    const stray = structuredClone(good);
    (eventsOf(stray)[0] as Ev).colour = 'red';
    cases.push([stray, '/epcisBody/eventList/0/colour']);
    const noVersion = structuredClone(good);
    delete noVersion.schemaVersion;
    cases.push([noVersion, '/schemaVersion']);
    const query = structuredClone(examples.find((x) => x.file === 'EPCISQueryDocument.jsonld')!.doc);
    cases.push([query, '/type']);
    for (const [doc, field] of cases) {
      const res = await capture(apiToken, doc);
      expect(res.statusCode, res.body).toBe(400);
      const p = res.json();
      expect(p.code).toBe('EPCIS_INVALID');
      expect(p.field).toBe(field);
      expect(p.message).toContain(field);
      expect(p.message).toMatch(/[\u4e00-\u9fff]/);
      expect(p.messageEn).toContain(field);
    }
    const notJson = await t.req(apiToken, {
      method: 'POST',
      url: '/api/v1/epcis/capture',
      headers: { 'content-type': 'application/ld+json' },
      payload: '{"type": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(await countCaptured()).toBe(before);
  });

  it('needs an account or token holding the verb; a regulator may query but not capture', async () => {
    const doc = examples.find((x) => x.file === 'Example_9.6.2-ObjectEvent.jsonld')!.doc;
    expect((await capture(null, doc)).statusCode).toBe(401);
    expect((await capture(county, doc)).statusCode).toBe(403);
    const readOnly = await post(thirdParty.token, '/auth/tokens', { name: '只读', verbs: ['epcis.read'] });
    expect((await capture(readOnly.json().token, doc)).statusCode).toBe(403);
    // Captured events belong to the producer: its county sees them, another province does not, nor another producer.
    expect(
      (await queryAll(county, '?MATCH_epcClass=urn:epc:class:lgtin:4012345.012345.998877')).length,
    ).toBeGreaterThan(0);
    expect(await queryAll(outsider, '')).toEqual([]);
    expect(await queryAll(buyer.token, '?eventType=AggregationEvent')).toEqual([]);
  });
});

describe("the platform's own events as EPCIS", () => {
  it('batch → sale → receipt → split produce schema-valid EPCIS events, scoped like every trace read', async () => {
    const productId = (await post(farmer.token, '/products', { name: '豇豆', industry: 'planting' })).json().id;
    const baseId = (await post(farmer.token, '/bases', { name: '温泉一号基地', divisionCode: '440117103' })).json().id;
    const b = await post(farmer.token, '/batches', {
      productId,
      baseId,
      quantity: 1000,
      unit: 'kg',
      producedAt: '2026-11-20T08:00:00+08:00',
      selfCheck: 'pass',
    });
    expect(b.statusCode, b.body).toBe(201);
    const batch = b.json() as { id: string; code: string };
    const sale = await post(farmer.token, '/sales', {
      batchId: batch.id,
      quantity: 300,
      buyerKind: 'registered',
      buyerIdentityCode: 'ZT4401030000000009',
    });
    expect(sale.statusCode, sale.body).toBe(201);
    const receipt = await post(buyer.token, '/receipts', { saleId: sale.json().id, decision: 'accept' });
    expect(receipt.statusCode, receipt.body).toBe(200);
    const split = await post(farmer.token, `/batches/${batch.id}/split`, {
      parts: [{ quantity: 100 }, { quantity: 50 }],
    });
    expect(split.statusCode, split.body).toBe(201);

    const url = `${BASE}/t/${batch.code}`;
    const mine = await queryAll(county, `?MATCH_epcClass=${encodeURIComponent(url)}`);
    const byStep = (s: string) => mine.filter((e) => e.bizStep === s);
    // Commissioning: ObjectEvent ADD of the lot, with ILMD, in the platform's trace-code URL form.
    const [commission] = byStep('commissioning');
    expect(commission).toMatchObject({
      type: 'ObjectEvent',
      action: 'ADD',
      quantityList: [{ epcClass: url, quantity: 1000, uom: 'KGM' }],
      readPoint: { id: `urn:suyuan:base:${baseId}` },
      'suyuan:stage': 'production',
    });
    expect((commission.ilmd as Ev)['suyuan:productName']).toBe('豇豆');
    expect(String(commission.eventID)).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    // Sale: TransactionEvent, shipping, seller → buyer as owning parties.
    const [ship] = byStep('shipping');
    expect(ship).toMatchObject({
      type: 'TransactionEvent',
      disposition: 'in_transit',
      quantityList: [{ epcClass: url, quantity: 300, uom: 'KGM' }],
      sourceList: [{ type: 'owning_party', source: `urn:suyuan:subject:${farmer.subjectId}` }],
      destinationList: [{ type: 'owning_party', destination: `urn:suyuan:subject:${buyer.subjectId}` }],
      bizTransactionList: [{ type: 'suyuan:sale', bizTransaction: `urn:suyuan:sale:${sale.json().id}` }],
    });
    // Split: TransformationEvent from the lot to two new lots.
    const [transform] = mine.filter((e) => e.type === 'TransformationEvent' && e.inputQuantityList);
    expect(transform.inputQuantityList).toEqual([{ epcClass: url, quantity: 150, uom: 'KGM' }]);
    expect((transform.outputQuantityList as Ev[]).map((q) => q.quantity).sort()).toEqual([100, 50].sort());
    // Receipt: the buyer's own lot, a TransactionEvent receiving; the buyer's county is another one (荔湾区), so the
    // 从化区 regulator does not see it, but the receipt names the farmer's lot as its source (edge), found by it as
    // national admin.
    const admin = await t.login('admin');
    const whole = await queryAll(admin, `?MATCH_epcClass=${encodeURIComponent(url)}`);
    const [recv] = whole.filter((e) => e.bizStep === 'receiving');
    expect(recv).toMatchObject({ type: 'TransactionEvent', action: 'ADD', 'suyuan:stage': 'purchase' });
    expect(byStep('receiving')).toEqual([]);
    // Every event, as a document, passes the EPCIS schema (queryAll checks the query documents too).
    const doc = {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { suyuan: 'urn:suyuan:epcis:' }],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: new Date().toISOString(),
      epcisBody: { eventList: whole },
    };
    expect(schemaError(doc)).toBeNull();
    expect(new Set(whole.map((e) => e.type))).toEqual(
      new Set(['ObjectEvent', 'TransactionEvent', 'TransformationEvent']),
    );
    // Scope: a producer sees its own events only; another province sees none of them.
    const buyerSees = await queryAll(buyer.token, '?eventType=TransactionEvent');
    expect(buyerSees.map((e) => e.bizStep)).toEqual(['receiving']);
    expect(await queryAll(outsider, `?MATCH_epcClass=${encodeURIComponent(url)}`)).toEqual([]);
    // Filters reach the platform's events too.
    const shipping = await queryAll(
      county,
      '?EQ_bizStep=shipping&eventType=TransactionEvent&GE_eventTime=2026-11-01T00:00:00Z',
    );
    expect(shipping.map((e) => e.eventID)).toEqual([ship.eventID]);
  });
});

describe('upward sharing carries trace events as EPCIS', () => {
  let national: TestApp;
  let gd: TestApp;
  afterAll(async () => {
    await gd?.close();
    await national?.close();
  });

  it('a province shares its batch and sale events as schema-valid EPCIS; national parks an invalid one', async () => {
    national = await testApp({ PLATFORM_TIER: 'national', PUBLIC_BASE_URL: 'https://national.example.cn' });
    await national.app.listen({ port: 0, host: '127.0.0.1' });
    const upper = `http://127.0.0.1:${(national.app.server.address() as { port: number }).port}`;
    gd = await testApp({
      PLATFORM_TIER: 'province',
      PLATFORM_REGION: '44',
      UPPER_PLATFORM_URL: upper,
      PUBLIC_BASE_URL: 'https://gd.example.cn',
    });
    const nat = await national.login('admin');
    const gdAdmin = await gd.login('admin');
    const applied = await gd.req(gdAdmin, {
      method: 'POST',
      url: '/api/v1/sharing/connections/apply',
      payload: { contactName: '粤平台', contactPhone: '13800138000' },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const lower = (await national.req(nat, { method: 'GET', url: '/api/v1/sharing/connections' })).json().items[0];
    const ok = await national.req(nat, {
      method: 'POST',
      url: `/api/v1/sharing/connections/${lower.id}/actions`,
      payload: { action: 'approve' },
    });
    expect(ok.statusCode, ok.body).toBe(200);

    const grower = await makeProducer(gd, {
      username: 'g_farmer',
      name: '从化区荔枝合作社',
      divisionCode: '440117103',
    });
    const g = (url: string, payload: unknown) =>
      gd.req(grower.token, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });
    const productId = (await g('/products', { name: '荔枝', industry: 'planting' })).json().id;
    const b = await g('/batches', { productId, quantity: 500, unit: 'kg', producedAt: '2026-11-20T08:00:00+08:00' });
    expect(b.statusCode, b.body).toBe(201);
    const sale = await g('/sales', {
      batchId: b.json().id,
      quantity: 20,
      buyerKind: 'unregistered',
      buyerName: '散户',
    });
    expect(sale.statusCode, sale.body).toBe(201);

    const outbox = await gd.database.db
      .selectFrom('share_outbox')
      .select(['record_id', 'payload', 'division_code'])
      .where('resource', '=', 'trace_event')
      .orderBy('seq')
      .execute();
    expect(outbox.map((o) => (o.payload as Ev).bizStep)).toEqual(['commissioning', 'shipping']);
    for (const o of outbox) {
      expect(eventSchemaError(o.payload)).toBeNull();
      expect((o.payload as Ev).eventID).toBe(`urn:uuid:${o.record_id}`);
      expect((o.payload as { quantityList: Ev[] }).quantityList[0].epcClass).toBe(
        `https://gd.example.cn/t/${b.json().code}`,
      );
    }
    // A record that is not valid EPCIS (no eventTime), correctly hashed and signed, is parked with the path.
    const broken: Ev = { ...(outbox[1].payload as Ev), eventID: 'urn:uuid:00000000-0000-4000-8000-000000000001' };
    delete broken.eventTime;
    await gd.database.db.transaction().execute((trx) =>
      appendOutbox(trx, {
        origin: 'province-44',
        resource: 'trace_event',
        id: '00000000-0000-4000-8000-000000000001',
        version: 1,
        division: '440117103',
        catalogVersion: 'builtin-1',
        hash: sm3Hex(canonicalJson(broken)),
        createdAt: new Date(),
        record: broken,
      }),
    );
    await pushOnce(gd.database.db, gd.app.config, true);
    await drainOutbox(gd.database.db, gd.app.config);
    const got = await national.database.db
      .selectFrom('shared_record')
      .select(['record_id', 'payload', 'origin_platform'])
      .where('resource', '=', 'trace_event')
      .execute();
    expect(got.map((r) => r.record_id).sort()).toEqual(outbox.map((o) => o.record_id).sort());
    for (const r of got) {
      expect(r.origin_platform).toBe('province-44');
      expect(eventSchemaError(r.payload)).toBeNull();
    }
    const parked = await national.database.db
      .selectFrom('shared_parked')
      .select(['record_id', 'reason_code', 'reason_zh', 'reason_en'])
      .execute();
    expect(parked).toEqual([
      {
        record_id: '00000000-0000-4000-8000-000000000001',
        reason_code: 'EPCIS_INVALID',
        reason_zh: expect.stringContaining('/eventTime'),
        reason_en: expect.stringContaining('/eventTime'),
      },
    ]);
  }, 180_000);
});
