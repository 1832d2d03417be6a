import { type TSchema, Type } from 'typebox';
import { ProblemSchema } from './problems.js';

/** Shared request/response schemas: they feed validation, serialisation and the OpenAPI document alike. */
export const DivisionCode = Type.String({ pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$', description: '行政区划代码 (2/4/6/9/12 digits)' });
export const Uuid = Type.String({ format: 'uuid' });
export const Phone = Type.String({ pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$', description: 'mobile or landline' });
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

const Problem = Type.Unsafe<Record<string, unknown>>(ProblemSchema);
/** Response entries for the listed problem statuses (401/403 are added to every authenticated route). */
export function errors(...statuses: number[]): Record<number, typeof Problem> {
  const out: Record<number, typeof Problem> = {};
  for (const s of statuses) out[s] = Problem;
  return out;
}
/** Errors every authenticated route may answer. */
export const authErrors = errors(401, 403);
