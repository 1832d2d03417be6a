import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { Problem } from './problems.js';

/** A schema error as the API's validators (Ajv) and TypeBox's `Value.Errors` both give it. */
type SchemaError = Pick<FastifySchemaValidationError, 'keyword' | 'instancePath' | 'params'>;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const named = (path: string, key: unknown) => (path ? `${path}.${String(key)}` : String(key));

/** The field a schema error is about and the reason, in Chinese and English (the words of every 400). */
export function describeSchemaError(
  e: SchemaError | undefined,
  context?: string,
): { field: string; zh: string; en: string } {
  const p = (e?.params ?? {}) as Record<string, unknown>;
  const path = (e?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  let field = path || context || 'body';
  let zh = '不合法';
  let en = 'is invalid';
  switch (e?.keyword) {
    case 'required':
      field = named(path, p.missingProperty ?? first(p.requiredProperties));
      zh = '为必填项';
      en = 'is required';
      break;
    case 'type':
      zh = `类型应为 ${p.type}`;
      en = `must be of type ${p.type}`;
      break;
    case 'minLength':
      zh = Number(p.limit) === 1 ? '不能为空' : `长度不能少于 ${p.limit} 个字符`;
      en = Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long`;
      break;
    case 'maxLength':
      zh = `长度不能超过 ${p.limit} 个字符`;
      en = `must be at most ${p.limit} characters long`;
      break;
    case 'pattern':
      zh = '格式不正确';
      en = 'has the wrong format';
      break;
    case 'format':
      zh = `格式不正确（应为 ${p.format}）`;
      en = `must be a valid ${p.format}`;
      break;
    case 'enum':
    case 'const':
    case 'anyOf':
      zh = `取值不在允许范围内${Array.isArray(p.allowedValues) ? `（可选：${p.allowedValues.join('、')}）` : ''}`;
      en = `is not an allowed value${Array.isArray(p.allowedValues) ? ` (one of: ${p.allowedValues.join(', ')})` : ''}`;
      break;
    case 'minimum':
    case 'exclusiveMinimum':
      zh = `不能小于 ${p.limit}`;
      en = `must be ≥ ${p.limit}`;
      break;
    case 'maximum':
    case 'exclusiveMaximum':
      zh = `不能大于 ${p.limit}`;
      en = `must be ≤ ${p.limit}`;
      break;
    case 'minItems':
      zh = `至少需要 ${p.limit} 项`;
      en = `must have at least ${p.limit} items`;
      break;
    case 'maxItems':
      zh = `最多 ${p.limit} 项`;
      en = `must have at most ${p.limit} items`;
      break;
    case 'additionalProperties':
      field = named(path, p.additionalProperty ?? first(p.additionalProperties));
      zh = '不是允许的字段';
      en = 'is not an allowed field';
      break;
  }
  return { field, zh, en };
}

/** Turns the first Ajv error into a VALIDATION_FAILED problem that names the field, in Chinese and English. */
export function validationProblem(errors: FastifySchemaValidationError[], context?: string): Problem {
  const { field, zh, en } = describeSchemaError(errors[0], context);
  return new Problem(
    'VALIDATION_FAILED',
    { field, reasonZh: zh, reasonEn: en },
    {
      context,
      errors: errors.slice(0, 5).map((x) => ({ path: x.instancePath, keyword: x.keyword, params: x.params })),
    },
  );
}

/**
 * A value checked against an operation's request schema, the way the import pipeline holds a spreadsheet row to the
 * single-entry rules (lengths, patterns, ranges, formats, enumerations): the first error of each field, in the
 * words of the API's 400. Empty when the value passes.
 */
export function schemaFieldErrors(schema: TSchema, value: unknown): { field: string; zh: string; en: string }[] {
  const out: { field: string; zh: string; en: string }[] = [];
  for (const e of Value.Errors(schema, value)) {
    const d = describeSchemaError(e as SchemaError);
    if (!out.some((x) => x.field === d.field)) out.push(d);
  }
  return out;
}
