import { type Static, Type } from 'typebox';
import { DivisionCode, Nullable } from '../../kernel/schemas.js';
import { Violation } from '../enforcement/schemas.js';

/** Request and response schemas of the supervision statistics, and the types derived from them. */

export const StatsQuery = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  within: Type.Optional(DivisionCode),
});
export type StatsQuery = Static<typeof StatsQuery>;

const Rate = { total: Type.Integer(), passed: Type.Integer(), passRate: Nullable(Type.Number()) };

export const Stats = Type.Object({
  year: Type.Integer(),
  divisionCode: Type.String(),
  patrols: Type.Object({
    planned: Type.Integer(),
    done: Type.Integer(),
    /** Done ÷ planned in percent (null without a plan). */
    completion: Nullable(Type.Number()),
    byMonth: Type.Array(
      Type.Object({ month: Type.Integer(), pass: Type.Integer(), fail: Type.Integer(), rectify: Type.Integer() }),
    ),
  }),
  tests: Type.Object({
    byProduct: Type.Array(Type.Object({ product: Type.String(), ...Rate })),
    byItem: Type.Array(Type.Object({ item: Type.String(), ...Rate })),
  }),
  cases: Type.Object({
    byType: Type.Array(
      Type.Object({
        type: Violation,
        zh: Type.String(),
        en: Type.String(),
        total: Type.Integer(),
        closed: Type.Integer(),
        fines: Type.Number(),
      }),
    ),
  }),
});
export type Stats = Static<typeof Stats>;
