import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, makeProducer, testApp } from './helpers.js';

/**
 * Issue 12, item 4: fuzzes every operation of the OpenAPI document — schema-violating and schema-valid random
 * input, as an administrator, a low-privilege account and anonymously — and fails on any 5xx. Bounded by a request
 * budget per operation and a wall-clock budget (FUZZ_ROUNDS, default 3; FUZZ_SECONDS, default 120) so it fits in CI.
 */
type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  default?: unknown;
};
type Op = { method: string; path: string; operationId: string; params: Param[]; body?: Schema };
type Param = { name: string; in: string; schema: Schema; required?: boolean };

let seed = 12_012;
const rnd = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const NASTY_STRINGS = [
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  'x'.repeat(5000),
  '名'.repeat(5000),
  '=cmd|" /C calc"!A0',
  '2026-13-45',
  '2026-02-30',
  '9999-99-99T99:99:99Z',
  '1e999',
  'Infinity',
  '-Infinity',
  'NaN',
  '9999999999999999999',
  '-1',
  '0',
  '',
  ' ',
  '../../etc/passwd',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '%00',
  '１２３４５６',
];
const NASTY_VALUES: unknown[] = [null, true, 1e308, -1e308, 0.5, -1, 2 ** 63, [], {}, [null], { a: '\u0000' }];

function valid(s: Schema | undefined, depth = 0): unknown {
  if (!s || depth > 6) return 'x';
  if (s.const !== undefined) return s.const;
  if (s.enum) return pick(s.enum);
  if (s.default !== undefined && rnd() < 0.2) return s.default;
  const alts = s.anyOf ?? s.oneOf;
  if (alts) return valid(pick(alts), depth + 1);
  const type = Array.isArray(s.type) ? pick(s.type) : s.type;
  switch (type) {
    case 'integer': {
      const lo = s.minimum ?? 0;
      const hi = Math.min(s.maximum ?? lo + 1000, lo + 1_000_000);
      return Math.floor(lo + rnd() * (hi - lo + 1));
    }
    case 'number': {
      const lo = s.minimum ?? -1000;
      const hi = s.maximum ?? 1000;
      return lo + rnd() * (hi - lo);
    }
    case 'boolean':
      return rnd() < 0.5;
    case 'null':
      return null;
    case 'array':
      return Array.from({ length: Math.floor(rnd() * 3) }, () => valid(s.items, depth + 1));
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {}))
        if (s.required?.includes(k) || rnd() < 0.5) o[k] = valid(v, depth + 1);
      return o;
    }
    default:
      if (s.format === 'uuid') return crypto.randomUUID();
      if (s.format === 'date') return pick(['2026-01-31', '2025-12-01', '2024-02-29']);
      if (s.format === 'date-time') return '2026-01-02T03:04:05Z';
      return pick(['测试名称', 'abc', '110101', '440117', '12345678', 'A'.repeat(Math.max(1, s.minLength ?? 1))]).slice(
        0,
        s.maxLength ?? 100,
      );
  }
}

/** A value that is schema-valid most of the time, hostile otherwise. */
function mutate(s: Schema | undefined, depth = 0): unknown {
  const r = rnd();
  if (r < 0.45) return pick(NASTY_STRINGS);
  if (r < 0.6) return pick(NASTY_VALUES);
  if (s?.type === 'object' && s.properties && depth < 4) {
    const o = valid(s, depth) as Record<string, unknown>;
    for (const [k, v] of Object.entries(s.properties)) if (rnd() < 0.5) o[k] = mutate(v, depth + 1);
    return o;
  }
  return valid(s, depth);
}

/** Percent-encodes; a lone surrogate (not encodable) is sent as its raw CESU-8 bytes. */
function enc(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return `${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}%ED%A0%80`;
  }
}

function request(op: Op, hostile: boolean) {
  let url = op.path;
  const query: string[] = [];
  for (const p of op.params) {
    const v = hostile && rnd() < 0.6 ? mutate(p.schema) : valid(p.schema);
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (p.in === 'path') url = url.replace(`{${p.name}}`, enc(text === '' ? 'x' : text));
    else if (p.in === 'query' && (p.required || rnd() < 0.6)) query.push(`${p.name}=${enc(text)}`);
  }
  const payload = op.body ? (hostile ? mutate(op.body) : valid(op.body)) : undefined;
  return {
    method: op.method.toUpperCase() as 'GET',
    url: query.length ? `${url}?${query.join('&')}` : url,
    ...(payload !== undefined
      ? { payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } }
      : {}),
  };
}

let t: TestApp;
const ops: Op[] = [];
const actors: Record<string, string | null> = { anonymous: null };
beforeAll(async () => {
  t = await testApp({ PUBLIC_RATE_LIMIT: '1000000' });
  actors.admin = await t.login('admin');
  actors.producer = (
    await makeProducer(t, { username: 'fuzz-producer', name: '模糊测试合作社', divisionCode: '440117' })
  ).token;
  const doc = (await t.req(null, { method: 'GET', url: '/docs/json' })).json();
  // Operations that would end the fuzzing session itself are left out.
  const skip = new Set(['logout', 'changePassword', 'revokeToken']);
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
    for (const [method, raw] of Object.entries(item)) {
      const o = raw as {
        operationId: string;
        parameters?: Param[];
        requestBody?: { content?: Record<string, { schema: Schema }> };
      };
      if (!o.operationId || skip.has(o.operationId)) continue;
      ops.push({
        method,
        path,
        operationId: o.operationId,
        params: o.parameters ?? [],
        body: o.requestBody?.content?.['application/json']?.schema,
      });
    }
}, 300_000);
afterAll(() => t?.close());

describe('fuzzing every operation', () => {
  it('never answers 5xx', async () => {
    expect(ops.length).toBeGreaterThan(50);
    // Three rounds (two hostile, one well-formed), at most FUZZ_SECONDS; FUZZ_ROUNDS=30 FUZZ_SECONDS=3600 for long.
    const deadline = Date.now() + Number(process.env.FUZZ_SECONDS ?? 120) * 1000;
    const rounds = Number(process.env.FUZZ_ROUNDS ?? 3);
    const failures = new Map<string, string>();
    let sent = 0;
    for (let round = 0; round < rounds && Date.now() < deadline; round++)
      for (const op of ops) {
        if (Date.now() > deadline) break;
        for (const [who, token] of Object.entries(actors)) {
          const req = request(op, round % 3 !== 2);
          const res = await t.req(token, req);
          sent++;
          if (res.statusCode >= 500 && !failures.has(op.operationId))
            failures.set(
              op.operationId,
              `${who} ${req.method} ${req.url} ${String(req.payload ?? '').slice(0, 200)} → ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
        }
      }
    console.info(`fuzz: ${sent} requests over ${ops.length} operations`);
    expect([...failures.values()]).toEqual([]);
  }, 600_000);
});
