import { type Static, Type } from 'typebox';
import { LiteralUnion } from '../../kernel/schemas.js';
import { LABEL_SIZES } from './render.js';

/** Request schemas of label printing (标签打印) and code lists for local printing. */

export const PrintLabelsInput = Type.Object(
  {
    size: LiteralUnion(Object.keys(LABEL_SIZES) as (keyof typeof LABEL_SIZES)[], { description: '40x30 · 60x40 · a4' }),
    copies: Type.Integer({ minimum: 1, maximum: 2000 }),
    unique: Type.Optional(
      Type.Boolean({ description: 'true: a fresh code per label (一物一码); false: the batch code on every label' }),
    ),
  },
  { additionalProperties: false },
);
export type PrintLabelsInput = Static<typeof PrintLabelsInput>;

export const CodesExportQuery = Type.Object({
  format: Type.Optional(LiteralUnion(['csv', 'xlsx'] as const, { default: 'xlsx' })),
});
