import type { FieldError } from '../../kernel/spreadsheet.js';
import type { CatalogContent, CatalogField, CatalogResource } from './schemas.js';

/**
 * The catalogue's rules as pure functions: a record checked against a resource (every failure names the field and the
 * rule in Chinese and English), completeness, and "a lower tier never weakens a national rule".
 */

const missing = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

const label = (f: CatalogField) => `${f.nameZh}（${f.key}）`;

function isRequired(f: CatalogField, record: Record<string, unknown>): boolean {
  if (f.required) return true;
  if (!f.requiredWhen) return false;
  const other = record[f.requiredWhen.field];
  return other !== undefined && other !== null && f.requiredWhen.in.includes(String(other));
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function typeOk(f: CatalogField, v: unknown): boolean | undefined {
  switch (f.type) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && DATE.test(v) && !Number.isNaN(Date.parse(v));
    case 'datetime':
      return typeof v === 'string' && !Number.isNaN(Date.parse(v));
    case 'uuid':
      return typeof v === 'string' && UUID.test(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
  }
}

const TYPE_ZH: Record<CatalogField['type'], string> = {
  string: '文本',
  number: '数字',
  integer: '整数',
  boolean: '是/否',
  date: '日期',
  datetime: '日期时间',
  uuid: '标识',
  array: '列表',
  object: '对象',
};

function safeRegex(p: string): RegExp | null {
  try {
    return new RegExp(p, 'u');
  } catch {
    return null;
  }
}

/** One field's value against its rules (a present value). */
function checkValue(f: CatalogField, v: unknown): FieldError | null {
  const err = (zh: string, en: string): FieldError => ({
    field: f.key,
    zh: `${label(f)}${zh}`,
    en: `${f.nameEn} (${f.key}) ${en}`,
  });
  if (!typeOk(f, v)) return err(`应为${TYPE_ZH[f.type]}`, `must be of type ${f.type}`);
  const values = Array.isArray(v) ? v : [v];
  if (f.codeList?.length) {
    // Each value is one code: a nested list or an object is no code (String(['a']) would pass as 'a').
    const bad = values.find((x) => (typeof x === 'object' && x !== null) || !f.codeList?.includes(String(x)));
    if (bad !== null && typeof bad === 'object')
      return err(
        '的每一项须为代码表中的一个代码（不能嵌套列表或对象）',
        'must hold single codes of the code list (no nested lists or objects)',
      );
    if (bad !== undefined)
      return err(
        `的取值“${String(bad).slice(0, 40)}”不在代码表中`,
        `value "${String(bad).slice(0, 40)}" is not in the code list`,
      );
  }
  if (typeof v === 'string') {
    const n = [...v].length;
    if (f.minLength !== undefined && n < f.minLength)
      return err(`至少 ${f.minLength} 个字`, `must have at least ${f.minLength} characters`);
    if (f.maxLength !== undefined && n > f.maxLength)
      return err(`最多 ${f.maxLength} 个字`, `must have at most ${f.maxLength} characters`);
    if (f.pattern) {
      const re = safeRegex(f.pattern);
      if (re && !re.test(v)) return err('格式不符合目录规定', `does not match the catalogue's format ${f.pattern}`);
    }
  }
  if (typeof v === 'number') {
    if (f.min !== undefined && v < f.min) return err(`不能小于 ${f.min}`, `must be at least ${f.min}`);
    if (f.max !== undefined && v > f.max) return err(`不能大于 ${f.max}`, `must be at most ${f.max}`);
    if (f.exclusiveMin !== undefined && v <= f.exclusiveMin)
      return err(`须大于 ${f.exclusiveMin}`, `must exceed ${f.exclusiveMin}`);
  }
  return null;
}

/**
 * A record against a resource. `create`: every required field must be there; `update`: only the fields sent are
 * checked (a correction sends what changes). Fields the catalogue does not name are left to the module's own schema.
 */
export function checkRecord(
  resource: CatalogResource,
  record: Record<string, unknown>,
  mode: 'create' | 'update',
): FieldError[] {
  const out: FieldError[] = [];
  for (const f of resource.fields) {
    const v = record[f.key];
    if (missing(v)) {
      if (mode === 'create' && isRequired(f, record))
        out.push({
          field: f.key,
          zh: `${label(f)}是信息资源目录规定的必填项`,
          en: `${f.nameEn} (${f.key}) is required by the information resource catalogue`,
        });
      continue;
    }
    const e = checkValue(f, v);
    if (e) out.push(e);
  }
  return out;
}

/** Completeness: catalogue fields filled in a record (seed 000 art. 10 完整性). */
export function completeness(resource: CatalogResource, record: Record<string, unknown>) {
  return { total: resource.fields.length, filled: resource.fields.filter((f) => !missing(record[f.key])).length };
}

/** The resource (and the mode) an operation collects, in a catalogue. */
export function resourceOfOperation(content: CatalogContent, operationId: string) {
  for (const r of content.resources) {
    const op = r.operations.find((o) => o.operationId === operationId);
    if (op) return { resource: r, mode: op.mode };
  }
  return null;
}

/**
 * A lower tier's content against the national version it extends: every national resource and field is kept with the
 * same rules; the only additions allowed are optional fields marked `local`. Returns the violations (empty = fine).
 */
export function weakenings(national: CatalogContent, local: CatalogContent): { zh: string; en: string }[] {
  const out: { zh: string; en: string }[] = [];
  const localRes = new Map(local.resources.map((r) => [r.key, r]));
  for (const nr of national.resources) {
    const lr = localRes.get(nr.key);
    if (!lr) {
      out.push({ zh: `删除了国家目录的资源 ${nr.key}`, en: `removes the national resource ${nr.key}` });
      continue;
    }
    const { fields: nf, ...nrest } = nr;
    const { fields: lf, ...lrest } = lr;
    if (JSON.stringify(nrest) !== JSON.stringify(lrest))
      out.push({ zh: `修改了国家目录资源 ${nr.key} 的规则`, en: `changes the national rules of resource ${nr.key}` });
    const lfields = new Map(lf.map((f) => [f.key, f]));
    for (const f of nf) {
      const l = lfields.get(f.key);
      if (!l || JSON.stringify(l) !== JSON.stringify(f))
        out.push({
          zh: `修改或删除了国家目录字段 ${nr.key}.${f.key}`,
          en: `changes or removes the national field ${nr.key}.${f.key}`,
        });
    }
    const nkeys = new Set(nf.map((f) => f.key));
    for (const l of lf)
      if (!nkeys.has(l.key) && (!l.local || l.required || l.requiredWhen))
        out.push({
          zh: `地方字段 ${nr.key}.${l.key} 须标为地方字段且为选填`,
          en: `local field ${nr.key}.${l.key} must be marked local and optional`,
        });
  }
  const nkeys = new Set(national.resources.map((r) => r.key));
  for (const r of local.resources)
    if (!nkeys.has(r.key))
      out.push({
        zh: `新增了国家目录没有的资源 ${r.key}`,
        en: `adds a resource ${r.key} the national catalogue lacks`,
      });
  return out;
}

/** Duplicate keys in a content (resources, fields within a resource, operations across resources). */
export function duplicates(content: CatalogContent): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const ops = new Set<string>();
  for (const r of content.resources) {
    if (seen.has(r.key)) out.push(r.key);
    seen.add(r.key);
    const fk = new Set<string>();
    for (const f of r.fields) {
      if (fk.has(f.key)) out.push(`${r.key}.${f.key}`);
      fk.add(f.key);
    }
    for (const o of r.operations) {
      if (ops.has(o.operationId)) out.push(o.operationId);
      ops.add(o.operationId);
    }
  }
  return out;
}
