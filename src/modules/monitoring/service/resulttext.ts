/** How a test result reads (pure rules, shared by result entry and the sheet view). */
const NOT_DETECTED = /^(未检出|nd|n\.d\.|not detected|<\s*lod|<\s*loq|-)$/i;
/** Is this entry a "not detected" (未检出) result: no value or zero, with no other text, or one of its spellings? */
export function notDetected(value: number | string | null | undefined, valueText: string | null | undefined): boolean {
  const text = valueText?.trim() ?? '';
  if (text) return NOT_DETECTED.test(text);
  return value === null || value === undefined || Number(value) === 0;
}

/** How a result reads: 未检出 / not detected, never "0 mg/kg"; otherwise the value (or text) with its unit. */
export function resultText(
  value: number | string | null,
  valueText: string | null,
  unit: string,
): { zh: string; en: string } {
  if (notDetected(value, valueText)) return { zh: '未检出', en: 'not detected' };
  const v = value === null ? (valueText ?? '') : `${Number(value)} ${unit}`.trim();
  return { zh: v, en: v };
}
