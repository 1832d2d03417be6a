import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { Problem } from './problems.js';

/** Turns the first Ajv error into a VALIDATION_FAILED problem that names the field, in Chinese and English. */
export function validationProblem(errors: FastifySchemaValidationError[], context?: string): Problem {
  const e = errors[0];
  const p = (e?.params ?? {}) as Record<string, unknown>;
  const path = (e?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  let field = path || context || 'body';
  let zh = '不合法';
  let en = 'is invalid';
  switch (e?.keyword) {
    case 'required':
      field = path ? `${path}.${p.missingProperty}` : String(p.missingProperty);
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
      field = path ? `${path}.${p.additionalProperty}` : String(p.additionalProperty);
      zh = '不是允许的字段';
      en = 'is not an allowed field';
      break;
  }
  return new Problem('VALIDATION_FAILED', { field, reasonZh: zh, reasonEn: en }, { context, errors: errors.slice(0, 5).map((x) => ({ path: x.instancePath, keyword: x.keyword, params: x.params })) });
}
