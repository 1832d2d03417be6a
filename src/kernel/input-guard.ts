import type { FastifyInstance } from 'fastify';
import { Problem } from './problems.js';

/**
 * Input no database can store and no rule expects (issue 12, item 4), refused as a 400 naming the field before any
 * handler runs, whatever the route: NUL characters and lone UTF-16 surrogates in any string or key (PostgreSQL text
 * and jsonb refuse them), and numbers that are not finite or beyond the safe integer range (`1e999`, `Infinity`,
 * `9999999999999999999` after the query string's coercion).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what this refuses
const BAD_CHARS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function badInputField(
  value: unknown,
  path: string,
  depth = 0,
): { field: string; kind: 'char' | 'number' } | null {
  if (typeof value === 'string') return BAD_CHARS.test(value) ? { field: path, kind: 'char' } : null;
  if (typeof value === 'number')
    return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER
      ? null
      : { field: path, kind: 'number' };
  if (value === null || typeof value !== 'object' || depth > 32 || Buffer.isBuffer(value)) return null;
  const proto = Object.getPrototypeOf(value);
  // Route params and parsed query strings have prototypes of their own; deeper, class instances (multipart parts,
  // streams) are not input text.
  if (depth > 0 && !Array.isArray(value) && proto !== Object.prototype && proto !== null) return null;
  if (typeof (value as { pipe?: unknown }).pipe === 'function') return null;
  for (const [k, v] of Object.entries(value)) {
    const field = path ? `${path}.${k}` : k;
    if (BAD_CHARS.test(k)) return { field, kind: 'char' };
    const bad = badInputField(v, field, depth + 1);
    if (bad) return bad;
  }
  return null;
}

function check(parts: Record<string, unknown>) {
  for (const [where, value] of Object.entries(parts)) {
    const bad = badInputField(value, '');
    if (!bad) continue;
    throw new Problem('VALIDATION_FAILED', {
      field: bad.field || where,
      ...(bad.kind === 'char'
        ? {
            reasonZh: '含有不允许的字符（空字符或不成对的代理字符）',
            reasonEn: 'contains a character that is not allowed',
          }
        : { reasonZh: '数值超出允许范围', reasonEn: 'is not a number within the allowed range' }),
    });
  }
}

export function installInputGuards(app: FastifyInstance): void {
  // Characters before validation (so a pattern or format error does not hide them); numbers after the coercion.
  // Synchronous hooks (a throw becomes the error answer): no promise per request.
  app.addHook('preValidation', (req, _reply, done) => {
    check({ params: req.params, querystring: req.query, body: req.body });
    done();
  });
  app.addHook('preHandler', (req, _reply, done) => {
    check({ params: req.params, querystring: req.query, body: req.body });
    done();
  });
}
