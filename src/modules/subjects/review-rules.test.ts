import { describe, expect, it } from 'vitest';
import { missingProofs, reasonText } from './review-rules.js';

describe('registration review rules', () => {
  it('requires the licence for a credit code and both ID sides for an ID number', () => {
    expect(missingProofs('credit_code', [])).toEqual(['licence']);
    expect(missingProofs('credit_code', ['licence', 'other'])).toEqual([]);
    expect(missingProofs('id_card', ['id_front'])).toEqual(['id_back']);
    expect(missingProofs('id_card', ['licence'])).toEqual(['id_front', 'id_back']);
  });
  it('words a reason from the list plus free text; "other" and empty ones need text', () => {
    expect(reasonText({ code: 'address_incomplete' })).toEqual({
      code: 'address_incomplete',
      field: 'address',
      reason: '地址不详细（请写到村组门牌）',
    });
    expect(reasonText({ code: 'proof_unclear', reason: ' 执照反光 ' })?.reason).toBe(
      '证明材料不清晰或已过期：执照反光',
    );
    expect(reasonText({ code: 'other' })).toBeNull();
    expect(reasonText({ reason: '   ' })).toBeNull();
    expect(reasonText({ code: 'other', reason: '请补充合作社章程' })).toEqual({
      code: 'other',
      reason: '请补充合作社章程',
    });
    expect(reasonText({ reason: '自由填写', field: 'name' })).toEqual({
      code: null,
      field: 'name',
      reason: '自由填写',
    });
  });
});
