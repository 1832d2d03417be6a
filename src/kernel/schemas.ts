import { type TSchema, type TSchemaOptions, Type } from 'typebox';
import { ProblemSchema } from './problems.js';

/** Shared request/response schemas: they feed validation, serialisation and the OpenAPI document alike. */
export const DivisionCode = Type.String({
  pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$',
  description: '行政区划代码 (2/4/6/9/12 digits)',
});
export const Uuid = Type.String({ format: 'uuid' });
export const Phone = Type.String({
  pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$',
  description: 'mobile or landline',
});
export const DateTime = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/**
 * A string enumeration from one `as const` array: validated, serialised and documented as `{ type: 'string', enum }`,
 * with the union of the values as its static type.
 */
export const LiteralUnion = <const T extends readonly string[]>(values: T, options: TSchemaOptions = {}) =>
  Type.Unsafe<T[number]>(Type.String({ ...options, enum: [...values] }));

/**
 * The success response of a download, documented with its real content type and a binary body (not JSON). `type` is
 * the media type (e.g. `MIME.xlsx`), or the list of them when the file's type varies; the route sends the bytes with
 * `sendFile`.
 */
export const FileResponse = (type: string | readonly string[], description?: string) => {
  const types = (typeof type === 'string' ? [type] : type).map((t) => t.split(';')[0]);
  return Type.Unsafe<Buffer | Uint8Array | string>({
    description: description ?? types.join(' | '),
    content: Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])),
  });
};

/** A server-rendered HTML page response (text/html). */
export const HtmlResponse = (description: string) =>
  Type.Unsafe<string>({ description, content: { 'text/html': { schema: { type: 'string' } } } });

/**
 * A multipart/form-data request body, for OpenAPI: its fields (a file field is `{ type: 'string', format: 'binary' }`).
 * The handler reads the parts itself (`req.parts()` / `req.file()`), so the parsed body is empty (null) and the
 * schema accepts that; fields are checked by the handler.
 */
export const MultipartBody = (properties: Record<string, TSchema | object>, required: string[] = []) =>
  Type.Unsafe<undefined>({
    content: {
      'multipart/form-data': {
        schema: { type: 'object', nullable: true, properties, ...(required.length ? { required } : {}) },
      },
    },
  });
export const BinaryField = (description: string) => ({ type: 'string', format: 'binary', description });

/** A label in both languages. */
export const Label = Type.Object({ zh: Type.String(), en: Type.String() });

/** `allowedActions` of a record (from its workflow table): the actions the caller may take now. */
export const AllowedActions = <T extends readonly string[]>(
  actions: T,
  description = 'actions the caller may take on this record now (server-computed)',
) => Type.Array(LiteralUnion(actions), { description });

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 })),
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

/** Who entered a record for its producer (代录 by a service agency); null when the producer entered it itself. */
export const EnteredBy = Nullable(
  Type.Object(
    { orgId: Type.String(), name: Type.String() },
    { description: 'the service agency that entered the record for the producer (代录)' },
  ),
);
