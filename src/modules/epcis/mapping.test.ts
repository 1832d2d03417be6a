import { describe, expect, it } from 'vitest';
import {
  type BatchRef,
  DOCUMENT_CONTEXT,
  type PlatformEvent,
  epcisDocument,
  epcisTypeOf,
  eventHash,
  extraContext,
  identifiersOf,
  normaliseBizStep,
  queryDocument,
  toEpcis,
} from './mapping.js';
import { schemaError } from './validate.js';

const BASE = 'https://trace.example.cn';
const lot: BatchRef = { id: '11111111-1111-4111-8111-111111111111', code: '14401170000000000017', batchNo: 'B1' };
const out1: BatchRef = { id: '22222222-2222-4222-8222-222222222222', code: '14401170000000000025', batchNo: 'S1' };
const out2: BatchRef = { id: '33333333-3333-4333-8333-333333333333', code: null, batchNo: 'S2' };
const seller = '44444444-4444-4444-8444-444444444444';
const buyer = '55555555-5555-4555-8555-555555555555';

function ev(over: Partial<PlatformEvent>): PlatformEvent {
  return {
    eventId: '66666666-6666-4666-8666-666666666666',
    eventType: 'object',
    action: 'ADD',
    bizStep: 'commissioning',
    stage: 'production',
    disposition: 'active',
    eventTime: new Date('2026-11-20T00:00:00Z'),
    eventTz: '+08:00',
    recordTime: new Date('2026-11-20T00:00:01Z'),
    divisionCode: '440117103',
    readPoint: `base:${lot.id}`,
    batch: lot,
    qtyDelta: 1000,
    unit: 'kg',
    sourceSubjectId: null,
    destSubjectId: null,
    bizTx: [],
    corrects: null,
    payload: { productName: '豇豆' },
    edges: [],
    ...over,
  };
}

const valid = (e: Record<string, unknown>) => schemaError(epcisDocument([e as never], new Date()));

describe('toEpcis', () => {
  it('commissioning → ObjectEvent ADD with the trace-code URL as the lot class, ILMD and our namespace', () => {
    const e = toEpcis(ev({}), BASE);
    expect(e).toMatchObject({
      type: 'ObjectEvent',
      action: 'ADD',
      bizStep: 'commissioning',
      disposition: 'active',
      eventID: 'urn:uuid:66666666-6666-4666-8666-666666666666',
      quantityList: [{ epcClass: `${BASE}/t/${lot.code}`, quantity: 1000, uom: 'KGM' }],
      ilmd: { 'suyuan:batchNo': 'B1', 'suyuan:productName': '豇豆' },
      'suyuan:stage': 'production',
      'suyuan:unit': 'kg',
    });
    expect(valid(e)).toBeNull();
  });

  it('a sale → TransactionEvent shipping with owning parties; a unit without a UN/CEFACT code travels as suyuan:unit', () => {
    const e = toEpcis(
      ev({
        eventType: 'transaction',
        action: 'OBSERVE',
        bizStep: 'shipping',
        disposition: 'in_transit',
        qtyDelta: -300,
        unit: '箱',
        sourceSubjectId: seller,
        destSubjectId: buyer,
        bizTx: [
          { type: 'sale', id: 'abc' },
          { type: 'voucher', id: '34401170000000000011' },
        ],
      }),
      BASE,
    );
    expect(e.type).toBe('TransactionEvent');
    expect(e.quantityList).toEqual([{ epcClass: `${BASE}/t/${lot.code}`, quantity: 300 }]);
    expect(e.sourceList).toEqual([{ type: 'owning_party', source: `urn:suyuan:subject:${seller}` }]);
    expect(e.destinationList).toEqual([{ type: 'owning_party', destination: `urn:suyuan:subject:${buyer}` }]);
    expect(e.bizTransactionList).toEqual([
      { type: 'suyuan:sale', bizTransaction: 'urn:suyuan:sale:abc' },
      { type: 'suyuan:voucher', bizTransaction: `${BASE}/t/34401170000000000011` },
    ]);
    expect(e['suyuan:quantityChange']).toBe(-300);
    expect(e.ilmd).toBeUndefined();
    expect(valid(e)).toBeNull();
  });

  it('a transaction without a business transaction is an ObjectEvent (TransactionEvent requires one)', () => {
    const p = ev({ eventType: 'transaction', bizTx: [] });
    expect(epcisTypeOf(p)).toBe('ObjectEvent');
    expect(valid(toEpcis(p, BASE))).toBeNull();
  });

  it('a split → TransformationEvent with inputs and outputs; the one-sided parts carry the transformationID', () => {
    const whole = toEpcis(
      ev({
        eventType: 'transformation',
        action: null,
        bizStep: 'repacking',
        stage: 'processing',
        qtyDelta: -150,
        edges: [
          { from: lot, to: out1, quantity: 100, unit: 'kg' },
          { from: lot, to: out2, quantity: 50, unit: 'kg' },
        ],
        payload: { mode: 'repack' },
      }),
      BASE,
    );
    expect(whole).toMatchObject({
      type: 'TransformationEvent',
      bizStep: 'repackaging',
      inputQuantityList: [{ epcClass: `${BASE}/t/${lot.code}`, quantity: 150, uom: 'KGM' }],
      outputQuantityList: [
        { epcClass: `${BASE}/t/${out1.code}`, quantity: 100, uom: 'KGM' },
        { epcClass: `urn:suyuan:batch:${out2.id}`, quantity: 50, uom: 'KGM' },
      ],
    });
    expect(whole.transformationID).toBeUndefined();
    expect(valid(whole)).toBeNull();
    const part = toEpcis(
      ev({
        eventType: 'transformation',
        action: 'ADD',
        bizStep: 'transforming',
        batch: out1,
        qtyDelta: 100,
        payload: { mode: 'split', transformationEventId: '77777777-7777-4777-8777-777777777777' },
      }),
      BASE,
    );
    expect(part.transformationID).toBe('urn:uuid:77777777-7777-4777-8777-777777777777');
    expect(part.bizStep).toBe('suyuan:transforming');
    expect(part.inputQuantityList).toBeUndefined();
    expect(valid(part)).toBeNull();
  });

  it('aggregation with children → AggregationEvent; events without a batch keep an empty epcList', () => {
    const agg = toEpcis(
      ev({ eventType: 'aggregation', bizStep: 'packing', edges: [{ from: lot, to: out1, quantity: 10, unit: 'kg' }] }),
      BASE,
    );
    expect(agg).toMatchObject({ type: 'AggregationEvent', parentID: `${BASE}/t/${lot.code}` });
    expect(valid(agg)).toBeNull();
    const input = toEpcis(
      ev({ bizStep: 'input_use', action: 'OBSERVE', batch: null, qtyDelta: 0, readPoint: 'geo:23.5,113.6' }),
      BASE,
    );
    expect(input).toMatchObject({ epcList: [], quantityList: [], bizStep: 'suyuan:input_use' });
    expect(valid(input)).toBeNull();
  });

  it('corrections name the corrected event; the query document is schema-valid', () => {
    const e = toEpcis(ev({ bizStep: 'correcting', corrects: '88888888-8888-4888-8888-888888888888' }), BASE);
    expect(e['suyuan:corrects']).toBe('urn:uuid:88888888-8888-4888-8888-888888888888');
    expect(schemaError(queryDocument([e], new Date()))).toBeNull();
    expect(queryDocument([], new Date())['@context']).toEqual(DOCUMENT_CONTEXT);
  });
});

describe('capture helpers', () => {
  it('the content hash ignores eventID, recordTime, @context and key order, and sees every other change', () => {
    const a = { type: 'ObjectEvent', eventTime: '2020-01-01T00:00:00Z', action: 'OBSERVE', epcList: ['urn:x:1'] };
    const b = { epcList: ['urn:x:1'], action: 'OBSERVE', eventTime: '2020-01-01T00:00:00Z', type: 'ObjectEvent' };
    expect(eventHash(a)).toBe(eventHash({ ...b, eventID: 'urn:uuid:1', recordTime: 'x', '@context': [] }));
    expect(eventHash(a)).not.toBe(eventHash({ ...a, epcList: ['urn:x:2'] }));
    expect(eventHash(a)).not.toBe(eventHash({ ...a, epcList: ['urn:x:1', 'urn:x:1'] }));
    expect(eventHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('business steps compare as bare CBV words whatever URI form they came in', () => {
    for (const s of [
      'shipping',
      'urn:epcglobal:cbv:bizstep:shipping',
      'https://ref.gs1.org/cbv/BizStep-shipping',
      'https://gs1.org/voc/Bizstep-shipping',
    ])
      expect(normaliseBizStep(s)).toBe('shipping');
    expect(normaliseBizStep('urn:epcglobal:cbv:bizstep:nonsense')).toBe('urn:epcglobal:cbv:bizstep:nonsense');
    expect(normaliseBizStep('suyuan:certifying')).toBe('suyuan:certifying');
  });

  it('identifiers: instance EPCs, parent and classes of every list', () => {
    expect(
      identifiersOf({
        epcList: ['a'],
        childEPCs: ['b'],
        inputEPCList: ['c'],
        outputEPCList: ['d'],
        parentID: 'p',
        quantityList: [{ epcClass: 'k1' }],
        childQuantityList: [{ epcClass: 'k2' }],
        inputQuantityList: [{ epcClass: 'k3' }],
        outputQuantityList: [{ epcClass: 'k4', quantity: 1 }],
      }),
    ).toEqual({ epcs: ['a', 'b', 'c', 'd'], parentId: 'p', epcClasses: ['k1', 'k2', 'k3', 'k4'] });
  });

  it('extraContext keeps what a document adds to the standard context', () => {
    expect(
      extraContext(['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', { ex: 'http://ex.org/' }]),
    ).toEqual([{ ex: 'http://ex.org/' }]);
    expect(extraContext('https://ref.gs1.org/standards/epcis/epcis-context.jsonld')).toEqual([]);
    expect(extraContext(undefined)).toEqual([]);
  });
});
