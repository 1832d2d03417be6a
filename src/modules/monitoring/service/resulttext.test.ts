import { describe, expect, it } from 'vitest';
import { notDetected, resultText } from './resulttext.js';

describe('test result text (未检出)', () => {
  it('reads 未检出 for zero, empty and the usual spellings, never "0 mg/kg"', () => {
    for (const [v, t] of [
      [0, null],
      [null, '未检出'],
      [null, 'ND'],
      [null, '<LOD'],
      ['0.000', null],
    ] as const)
      expect(resultText(v, t, 'mg/kg')).toEqual({ zh: '未检出', en: 'not detected' });
  });
  it('keeps a measured value with its unit, and other text as it is', () => {
    expect(resultText(0.012, null, 'mg/kg').zh).toBe('0.012 mg/kg');
    expect(resultText('0.5', null, 'mg/kg').en).toBe('0.5 mg/kg');
    expect(resultText(null, '阳性', 'mg/kg').zh).toBe('阳性');
    expect(notDetected(null, '阳性')).toBe(false);
  });
});
