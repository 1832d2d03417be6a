import { type Static, Type } from 'typebox';
import { DATABASE_KINDS } from '../../kernel/db/connect.js';
import { LiteralUnion } from '../../kernel/schemas.js';

export const Health = Type.Object({
  status: Type.Literal('ok'),
  database: LiteralUnion(DATABASE_KINDS),
  version: Type.String(),
  tier: Type.String(),
  region: Type.String(),
  divisions: Type.Object({ levels: Type.Array(Type.Integer()), villagesLoaded: Type.Boolean() }),
  /** Present (true) when the answer comes from the last probe because a background job holds the database. */
  busy: Type.Optional(Type.Boolean()),
});
export type Health = Static<typeof Health>;
