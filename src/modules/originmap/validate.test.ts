import { describe, expect, it } from 'vitest';
import { decodeEcharts, distanceKm, insideRings, plausibility } from './geo.js';
import { type RecordInput, type Rule, checkRecord, recordKeyOf } from './validate.js';

const cowpea: Rule = {
  code: 'cowpea',
  name: '豇豆',
  industry: 'planting',
  unit: 'mu',
  threshold: 0.5,
  facilityThreshold: null,
  cycleDays: 120,
  maxPlausible: 5000,
};
const bass: Rule = {
  code: 'bass',
  name: '大口黑鲈',
  industry: 'fishery',
  unit: 'mu',
  threshold: 10,
  facilityThreshold: 0.3,
  cycleDays: 31,
  maxPlausible: 20000,
};
const base: RecordInput = {
  divisionCode: '440117103',
  subjectName: '张三',
  subjectType: 'farmer',
  productCode: 'cowpea',
  baseAddress: '石坑村',
  longitude: 113.5867,
  latitude: 23.5487,
  contactName: '张三',
  contactPhone: '13712345678',
  scale: 1,
  marketStart: '2026-05-01',
  marketEnd: '2026-09-01',
  productionMethod: 'open_field',
  traceMethods: ['certificate'],
  gridWorkerName: '罗芳',
  gridWorkerPhone: '13900139000',
  collectorName: '钟叔',
  collectorPhone: '020-87654321',
};
const fields = (r: Partial<RecordInput>, rule = cowpea, complete = true) =>
  checkRecord({ ...base, ...r }, rule, complete).map((e) => e.field);

describe('checkRecord', () => {
  it('accepts a complete record and reports every problem of a bad one', () => {
    expect(fields({})).toEqual([]);
    expect(fields({ scale: 0.4, contactPhone: '123', marketEnd: '2026-01-01' })).toEqual([
      'contactPhone',
      'marketEnd',
      'scale',
    ]);
  });
  it('uses the facility threshold for aquatic factory tanks only', () => {
    expect(fields({ productCode: 'bass', scale: 0.5, productionMethod: 'facility' }, bass)).toEqual([]);
    expect(fields({ productCode: 'bass', scale: 0.5, productionMethod: 'open_field' }, bass)).toEqual(['scale']);
  });
  it('lets a draft miss the fields needed only for submission, never the format rules', () => {
    const draft = { longitude: null, latitude: null, traceMethods: [], marketStart: null, marketEnd: null };
    expect(fields(draft, cowpea, false)).toEqual([]);
    expect(fields(draft, cowpea, true)).toEqual(
      expect.arrayContaining(['longitude', 'latitude', 'traceMethods', 'marketStart', 'marketEnd']),
    );
    expect(fields({ contactPhone: 'abc' }, cowpea, false)).toEqual(['contactPhone']);
  });
  it('refuses points outside China, swapped ones and ones far from the stated county', () => {
    expect(fields({ longitude: 23.5, latitude: 113.5 })).toEqual(['longitude']);
    expect(fields({ longitude: 116.4, latitude: 39.9 })).toEqual(['longitude']);
    expect(fields({ longitude: 113.3, latitude: 23.2 })).toEqual([]); // near: Guangzhou, just outside 从化 — accepted, flagged later
    expect(fields({ longitude: 113.5 })).toEqual([]);
    expect(fields({ latitude: null })).toEqual(['latitude']);
  });
  it('requires a valid credit code for enterprises and cooperatives', () => {
    expect(fields({ subjectType: 'cooperative' })).toEqual(['creditCode']);
    expect(fields({ subjectType: 'cooperative', creditCode: '93440117MA5ABCDE1M' })).toEqual([]);
    expect(fields({ creditCode: '9344011' })).toEqual(['creditCode']);
  });
});

describe('recordKeyOf', () => {
  it('prefers the record number, then credit code, then name, and ignores spacing', () => {
    expect(recordKeyOf({ ...base, recordKey: ' R1 ' })).toBe('R1');
    expect(recordKeyOf({ ...base, baseAddress: ' 石坑村  ' })).toBe(recordKeyOf(base));
    expect(recordKeyOf({ ...base, creditCode: '93440117ma5abcde1x' })).toBe(
      '440117103|93440117MA5ABCDE1X|cowpea|石坑村',
    );
  });
});

describe('geo', () => {
  it('decodes ECharts compressed GeoJSON', () => {
    // One ring of two points encoded from offset (0,0) at scale 1024: deltas (+2,+4) and (-1,0) zig-zag encoded.
    const enc = String.fromCharCode(64 + 4, 64 + 8, 64 + 1, 64 + 0);
    const fc = decodeEcharts({
      type: 'FeatureCollection',
      UTF8Encoding: true,
      features: [
        { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [enc], encodeOffsets: [[0, 0]] } },
      ],
    });
    expect(fc.features[0].geometry.coordinates).toEqual([
      [
        [2 / 1024, 4 / 1024],
        [1 / 1024, 4 / 1024],
      ],
    ]);
  });
  it('tests points in polygons and measures distances', () => {
    const square: [number, number][] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    expect(insideRings([square], [0.5, 0.5])).toBe(true);
    expect(insideRings([square], [1.5, 0.5])).toBe(false);
    expect(Math.round(distanceKm([116.4, 39.9], [121.47, 31.23]))).toBe(1067);
  });
  it('classifies points against the county polygon', () => {
    expect(plausibility('440117103', [113.5867, 23.5487]).result).toBe('inside');
    expect(plausibility('440117103', [113.3, 23.2]).result).toBe('near');
    expect(plausibility('440117103', [116.4, 39.9]).result).toBe('far');
  });
});
