import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Issue 17 item 5: every form picks regions by name (DivisionPicker, or a select of named places), never by a typed
 * 6/9-digit code. Walks the web forms: a form field whose name is a region (divisionCode, targetDivision, within,
 * county, township, region…) must not be a free-text or number input.
 */
const ROOT = path.join(import.meta.dirname, '..', 'web', 'src', 'features');
const REGION_FIELD = /^(divisionCode|targetDivision|within|county|countyCode|township|townshipCode|region|regionCode)$/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.tsx') ? [p] : [];
  });
}

/** Each `<Form.Item …>…</Form.Item>` with a plain string `name`, and what it wraps. */
function regionItems(src: string) {
  const out: { name: string; body: string }[] = [];
  const re = /<Form\.Item\b([^>]*?)>([\s\S]*?)<\/Form\.Item>/g;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    const name = /\bname=\{?["']([A-Za-z]+)["']\}?/.exec(m[1])?.[1];
    if (name && REGION_FIELD.test(name)) out.push({ name, body: m[2] });
  }
  return out;
}

describe('regions are picked by name in every form (issue 17 item 5)', () => {
  const found = files(ROOT).flatMap((f) =>
    regionItems(readFileSync(f, 'utf8')).map((i) => ({ ...i, file: path.relative(ROOT, f) })),
  );

  it('finds the region fields of the forms (the check can fail)', () => {
    expect(found.length).toBeGreaterThanOrEqual(8);
    // The detector sees a typed-code input for what it is.
    expect(regionItems('<Form.Item name="divisionCode" label="x"><Input maxLength={9} /></Form.Item>')).toHaveLength(1);
  });

  it('no region field is a text or number input', () => {
    const typed = found.filter((i) => /<(Input|InputNumber|Input\.TextArea)\b/.test(i.body));
    expect(typed.map((i) => `${i.file}: ${i.name}`)).toEqual([]);
    // Every one is a picker of named places.
    const named = found.filter((i) => /<(DivisionPicker|Select|Cascader|TreeSelect)\b|Picker\b/.test(i.body));
    expect(found.filter((i) => !named.includes(i)).map((i) => `${i.file}: ${i.name}`)).toEqual([]);
  });
});
