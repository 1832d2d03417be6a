import { describe, expect, it } from 'vitest';
import { checkRecord, weakenings } from './rules.js';
import type { CatalogContent, CatalogField, CatalogResource } from './schemas.js';

/** The catalogue's pure rules: list fields (nested values) and a province's local fields (issue 13 item 1). */
const field = (over: Partial<CatalogField> & Pick<CatalogField, 'key'>): CatalogField => ({
  nameZh: over.key,
  nameEn: over.key,
  type: 'string',
  required: false,
  personal: 'none',
  visibility: 'consumer',
  sharedUpward: true,
  ...over,
});
const resource = (fields: CatalogField[]): CatalogResource => ({
  key: 'origin_record',
  nameZh: '产地溯源记录',
  nameEn: 'Origin record',
  operations: [{ operationId: 'createOriginRecord', mode: 'create' }],
  reviewed: true,
  lateDays: 3,
  fields,
});
const certs = field({ key: 'certifications', type: 'array', codeList: ['green', 'organic'] });
const methods = field({ key: 'traceMethods', type: 'array', required: true, codeList: ['certificate', 'trace_code'] });

describe('list fields against the catalogue', () => {
  const r = resource([certs, methods]);
  it('accepts codes of the list, one per item', () => {
    expect(checkRecord(r, { certifications: ['green', 'organic'], traceMethods: ['certificate'] }, 'create')).toEqual(
      [],
    );
  });
  it('refuses a code outside the list, a nested list and an object, naming the field in Chinese and English', () => {
    const bad = checkRecord(r, { certifications: ['green', 'gmo'], traceMethods: ['certificate'] }, 'create');
    expect(bad).toHaveLength(1);
    expect(bad[0].field).toBe('certifications');
    expect(bad[0].zh).toContain('gmo');
    expect(bad[0].en).toContain('not in the code list');
    for (const nested of [[['green']], [{ code: 'green' }]]) {
      const e = checkRecord(r, { certifications: nested, traceMethods: ['certificate'] }, 'create');
      expect(e.map((x) => x.field)).toEqual(['certifications']);
      expect(e[0].zh).toContain('不能嵌套列表或对象');
      expect(e[0].en).toContain('no nested lists or objects');
    }
  });
  it('an empty list is a missing required field; a scalar is not a list', () => {
    expect(checkRecord(r, { traceMethods: [] }, 'create').map((e) => e.en)).toEqual([
      'traceMethods (traceMethods) is required by the information resource catalogue',
    ]);
    expect(checkRecord(r, { traceMethods: 'certificate' }, 'create')[0].en).toContain('must be of type array');
  });
});

describe('a province’s local version never weakens a national rule', () => {
  const national: CatalogContent = { resources: [resource([certs, methods])] };
  const withFields = (fields: CatalogField[]): CatalogContent => ({ resources: [resource(fields)] });
  it('may add an optional field marked local', () => {
    const local = field({ key: 'gdTag', local: true });
    expect(weakenings(national, withFields([certs, methods, local]))).toEqual([]);
  });
  it('may not relax a national required field, nor narrow it, nor add a required or unmarked field', () => {
    const relaxed = weakenings(national, withFields([certs, { ...methods, required: false }]));
    expect(relaxed.map((w) => w.en)).toEqual(['changes or removes the national field origin_record.traceMethods']);
    const codes = weakenings(national, withFields([{ ...certs, codeList: ['green', 'organic', 'gmo'] }, methods]));
    expect(codes.map((w) => w.en)).toEqual(['changes or removes the national field origin_record.certifications']);
    expect(weakenings(national, withFields([certs]))[0].en).toContain('traceMethods');
    const required = field({ key: 'gdTag', local: true, required: true });
    const unmarked = field({ key: 'gdNote' });
    expect(weakenings(national, withFields([certs, methods, required, unmarked])).map((w) => w.en)).toEqual([
      'local field origin_record.gdTag must be marked local and optional',
      'local field origin_record.gdNote must be marked local and optional',
    ]);
  });
});
