import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, testApp } from './helpers.js';

/**
 * The catalogue in force on a fresh platform (the national 1.0 seed of migration 202612011300) against the live API:
 * every operation it names exists, every field it lists is a field of one of those operations' bodies, and every
 * code list equals the enumeration the API accepts. A seed generated with a cut list (as happened once) or a field
 * or enumeration changed in a schema but not in the catalogue fails here.
 */
interface Field {
  key: string;
  type: string;
  codeList?: string[];
}
interface Resource {
  key: string;
  operations: { operationId: string; mode: string }[];
  fields: Field[];
}
type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
};

let t: TestApp;
let seed: { resources: Resource[] };
let doc: {
  paths: Record<
    string,
    Record<string, { operationId?: string; requestBody?: { content: Record<string, { schema: Schema }> } }>
  >;
  components?: { schemas?: Record<string, Schema> };
};
beforeAll(async () => {
  t = await testApp();
  doc = (await t.req(null, { method: 'GET', url: '/docs/json' })).json();
  const admin = await t.login('admin');
  const current = await t.req(admin, { method: 'GET', url: '/api/v1/info-catalog/current' });
  expect(current.statusCode).toBe(200);
  seed = current.json().content;
});
afterAll(() => t?.close());

function deref(s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  const name = s.$ref.split('/').pop() as string;
  return deref(doc.components?.schemas?.[name]);
}

/** The properties of a body schema, through allOf/anyOf compositions. */
function propertiesOf(s: Schema | undefined): Record<string, Schema> {
  const x = deref(s);
  if (!x) return {};
  return Object.assign(
    {},
    x.properties ?? {},
    ...[...(x.allOf ?? []), ...(x.anyOf ?? []), ...(x.oneOf ?? [])].map(propertiesOf),
  );
}

/** The values an enumerated schema accepts (enum, const, unions of them; array items), or null when not enumerated. */
function enumOf(s: Schema | undefined): string[] | null {
  const x = deref(s);
  if (!x) return null;
  if (x.items) return enumOf(x.items);
  if (x.enum) return x.enum.map(String);
  if (x.const !== undefined) return [String(x.const)];
  const alts = x.anyOf ?? x.oneOf;
  if (alts) {
    const parts = alts.filter((a) => deref(a)?.type !== 'null').map(enumOf);
    if (parts.length === 0 || parts.some((p) => p === null)) return null;
    return [...new Set(parts.flat() as string[])];
  }
  return null;
}

function bodyOf(operationId: string): Schema | undefined | 'missing' {
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item))
      if (op.operationId === operationId) return op.requestBody?.content['application/json']?.schema;
  return 'missing';
}

describe('catalogue seed against the live API', () => {
  it('names only operations that exist', () => {
    const missing = seed.resources.flatMap((r) =>
      r.operations.filter((o) => bodyOf(o.operationId) === 'missing').map((o) => `${r.key}: ${o.operationId}`),
    );
    expect(missing).toEqual([]);
  });

  it('lists only fields the operations accept, with the code lists they accept', () => {
    const problems: string[] = [];
    let compared = 0;
    for (const r of seed.resources) {
      const props: Record<string, Schema> = {};
      for (const o of r.operations) {
        const body = bodyOf(o.operationId);
        if (body !== 'missing') Object.assign(props, propertiesOf(body));
      }
      if (Object.keys(props).length === 0) continue; // multipart or body-less operations: nothing to compare
      for (const f of r.fields) {
        const p = props[f.key];
        if (!p) {
          problems.push(`${r.key}.${f.key}: not a field of ${r.operations.map((o) => o.operationId).join('/')}`);
          continue;
        }
        const live = enumOf(p);
        if (!f.codeList && !live) continue;
        compared++;
        if (!f.codeList) problems.push(`${r.key}.${f.key}: API enumerates ${live?.join(',')}, the seed has no list`);
        else if (!live)
          problems.push(`${r.key}.${f.key}: the seed lists ${f.codeList.join(',')}, the API takes any value`);
        else if ([...live].sort().join(',') !== [...f.codeList].sort().join(','))
          problems.push(`${r.key}.${f.key}: seed ${f.codeList.join(',')} ≠ API ${live.join(',')}`);
      }
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(10);
  });
});
