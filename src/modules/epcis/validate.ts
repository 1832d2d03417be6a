import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { EPCIS_CONTEXT_URL, SUYUAN_CONTEXT } from './mapping.js';

/**
 * Validation against the GS1 EPCIS 2.0 JSON schema (`schema/EPCIS-JSON-Schema.json`, a byte-for-byte copy of
 * gs1/EPCIS at commit 2b888bef, draft-07; see test/fixtures/epcis/SOURCE.md), with Ajv 8 (draft-07 is its default
 * dialect) and ajv-formats for `uri` and `date-time`. Compiled once per process.
 */
const SCHEMA_FILE = new URL('./schema/EPCIS-JSON-Schema.json', import.meta.url);

let compiled: ValidateFunction | null = null;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS; its `exports.default` is the plugin both at run time and for the types.
  addFormatsModule.default(ajv);
  compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')));
  return compiled;
}

export interface SchemaError {
  /** JSON pointer of the offending value, e.g. `/epcisBody/eventList/0/eventTime` ('' = the document). */
  path: string;
  reasonZh: string;
  reasonEn: string;
}

const q = (v: unknown) => JSON.stringify(v);

function describe(e: ErrorObject): SchemaError {
  const p = e.params as Record<string, unknown>;
  const at = e.instancePath;
  switch (e.keyword) {
    case 'required':
      return {
        path: `${at}/${String(p.missingProperty)}`,
        reasonZh: '缺少必填字段',
        reasonEn: 'is required',
      };
    case 'format':
      return { path: at, reasonZh: `格式不正确（应为 ${p.format}）`, reasonEn: `is not a valid ${p.format}` };
    case 'type':
      return { path: at, reasonZh: `类型不正确（应为 ${p.type}）`, reasonEn: `must be of type ${p.type}` };
    case 'enum':
      return {
        path: at,
        reasonZh: `取值不在允许范围内：${q(p.allowedValues)}`,
        reasonEn: `must be one of ${q(p.allowedValues)}`,
      };
    case 'pattern':
      return { path: at, reasonZh: `格式不符合 ${p.pattern}`, reasonEn: `must match ${p.pattern}` };
    case 'propertyNames':
      return {
        path: `${at}/${String(p.propertyName)}`,
        reasonZh: '不是该位置允许的字段名（扩展字段须带命名空间前缀）',
        reasonEn: 'is not a field allowed here (extension fields need a namespace prefix)',
      };
    case 'additionalProperties':
      return {
        path: `${at}/${String(p.additionalProperty)}`,
        reasonZh: '不是该位置允许的字段',
        reasonEn: 'is not a field allowed here',
      };
    case 'minItems':
      return { path: at, reasonZh: `至少需要 ${p.limit} 项`, reasonEn: `needs at least ${p.limit} items` };
    default:
      return {
        path: at,
        reasonZh: `不符合 EPCIS 模式（${e.keyword}）`,
        reasonEn: `does not match the schema (${e.keyword})`,
      };
  }
}

/** Keywords that only say "a branch failed"; the errors inside the branch are the useful ones. */
const WRAPPERS = new Set(['if', 'anyOf', 'allOf', 'oneOf', 'then', 'not']);

/**
 * Validates a document (or event) against the EPCIS JSON schema. Returns null when valid, else the most precise error:
 * the deepest path, preferring a concrete keyword over "a branch of anyOf failed".
 */
export function schemaError(doc: unknown): SchemaError | null {
  const v = validator();
  if (v(doc)) return null;
  const errs = (v.errors ?? []).map((e) => ({ e, d: describe(e) }));
  const concrete = errs.filter((x) => !WRAPPERS.has(x.e.keyword));
  const pool = concrete.length ? concrete : errs;
  pool.sort((a, b) => b.d.path.split('/').length - a.d.path.split('/').length);
  return pool[0]?.d ?? { path: '', reasonZh: '不符合 EPCIS 模式', reasonEn: 'does not match the EPCIS schema' };
}

/** All schema errors (for tests and diagnostics). */
export function schemaErrors(doc: unknown): ErrorObject[] {
  const v = validator();
  return v(doc) ? [] : [...(v.errors ?? [])];
}

const EVENT_PATH = '/epcisBody/eventList/0';

/** Validates one event (as it sits in an EPCISDocument); the path is relative to the event ('' = the event). */
export function eventSchemaError(event: unknown): SchemaError | null {
  const err = schemaError({
    '@context': [EPCIS_CONTEXT_URL, SUYUAN_CONTEXT],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2000-01-01T00:00:00Z',
    epcisBody: { eventList: [event] },
  });
  if (!err) return null;
  return { ...err, path: err.path.startsWith(EVENT_PATH) ? err.path.slice(EVENT_PATH.length) || '/' : err.path };
}
