import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../src/kernel/problems.js';
import { MODULES } from '../src/modules/index.js';

/**
 * Issue 17 item 10: every label the server sends carries zh-CN and en-US, and the English is English. This walks
 * every value exported by every module file that declares labels (tables, states, schemas, labels, rules, index …)
 * and the error catalogue, finds each label (an object with `zh` and `en`, or a `name`/`nameEn`-style pair) and
 * checks its English: present, non-empty, no Chinese characters or Chinese punctuation.
 */
const CJK = /[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const ROOT = path.resolve(import.meta.dirname, '..');
/** Files whose exports are data, not code paths with side effects (demo generators start work when called only). */
const SKIP = /(\.test\.ts|\/demo(\/|\.ts)|routes[^/]*\.ts|repo\.ts|geo-index)/;

function moduleFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !SKIP.test(p)) out.push(p);
    }
  };
  walk(path.join(ROOT, 'src/modules'));
  walk(path.join(ROOT, 'src/kernel'));
  return out.sort();
}

interface Bad {
  where: string;
  zh: unknown;
  en: unknown;
}

/** Every label under `value`: `{zh, en}` objects and `x` / `xEn` string pairs; TypeBox schemas are skipped. */
function collect(value: unknown, where: string, bad: Bad[], seen: Set<unknown>, found: { n: number }): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  // a TypeBox schema: its descriptions are documentation, not labels
  if (Object.getOwnPropertySymbols(value).some((s) => String(s).includes('TypeBox'))) return;
  if (value instanceof Map) {
    for (const [k, v] of value) collect(v, `${where}.get(${String(k)})`, bad, seen, found);
    return;
  }
  if (value instanceof Set || ArrayBuffer.isView(value) || value instanceof Date || value instanceof RegExp) return;
  const o = value as Record<string, unknown>;
  const entries = Object.entries(o);
  // a Chinese-only table: codes → Chinese words, with no English beside them
  if (
    !Array.isArray(o) &&
    !('zh' in o) &&
    entries.length >= 2 &&
    entries.every(([k, v]) => /^[\w.-]+$/.test(k) && typeof v === 'string' && CJK.test(v))
  )
    bad.push({ where, zh: o, en: undefined });
  // a coded item named only in Chinese
  if (typeof o.code === 'string' && typeof o.name === 'string' && CJK.test(o.name) && !('nameEn' in o) && !('en' in o))
    bad.push({ where, zh: o.name, en: undefined });
  if (typeof o.zh === 'string' && CJK.test(o.zh)) {
    found.n++;
    if (typeof o.en !== 'string' || !o.en.trim() || CJK.test(o.en)) bad.push({ where, zh: o.zh, en: o.en });
  }
  for (const [k, v] of Object.entries(o)) {
    if (typeof v === 'string' && k.endsWith('En') && k.length > 2) {
      const zh = o[k.slice(0, -2)];
      if (typeof zh === 'string' && CJK.test(zh)) {
        found.n++;
        if (!v.trim() || CJK.test(v)) bad.push({ where: `${where}.${k}`, zh, en: v });
      }
    }
    collect(v, Array.isArray(o) ? `${where}[${k}]` : `${where}.${k}`, bad, seen, found);
  }
}

describe('every label in both languages (issue 17 item 10)', () => {
  it('finds the label tables it walks (the check can fail)', () => {
    const bad: Bad[] = [];
    const found = { n: 0 };
    const probe = {
      a: { zh: '已通过', en: '已通过' },
      b: { nameEn: '', name: '草稿' },
      c: { draft: '草稿', done: '完成' },
      d: [{ code: 'x', name: '豇豆' }],
    };
    collect(probe, 'probe', bad, new Set(), found);
    expect(found.n).toBe(2);
    expect(bad.map((b) => b.where)).toEqual(['probe.a', 'probe.b.nameEn', 'probe.c', 'probe.d[0]']);
  });

  it('the error catalogue: every problem has an English message', () => {
    const bad = Object.entries(CATALOGUE).filter(([, p]) => !p.en.trim() || CJK.test(p.en));
    expect(bad).toEqual([]);
  });

  it('roles, verbs, workflows, enumerations and notices of the kernel and every module carry English without Chinese', async () => {
    const bad: Bad[] = [];
    const found = { n: 0 };
    const seen = new Set<unknown>();
    for (const m of MODULES) collect(m, `module ${m.name}`, bad, seen, found);
    for (const file of moduleFiles()) {
      const mod = (await import(file)) as Record<string, unknown>;
      const rel = path.relative(ROOT, file);
      for (const [name, value] of Object.entries(mod)) collect(value, `${rel}:${name}`, bad, seen, found);
    }
    // every module declares labels: hundreds of them are walked
    expect(found.n).toBeGreaterThan(500);
    expect(bad.map((b) => `${b.where}: ${JSON.stringify(b.zh)} → ${JSON.stringify(b.en)}`)).toEqual([]);
  });
});
