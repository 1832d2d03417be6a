import { type Static, Type } from 'typebox';
import { DivisionCode, Label, LiteralUnion, Nullable } from '../../kernel/schemas.js';
import { SEASONS } from './risk.js';

/** Request and answer of the monitoring quota suggestion (risk-based sampling, 风险分级抽检). */
export const Season = LiteralUnion(SEASONS, {
  description: 'spring 春 3–5 · summer 夏 6–8 · autumn 秋 9–11 · winter 冬 12–2',
});

export const QuotaQuery = Type.Object(
  {
    total: Type.Integer({ minimum: 1, maximum: 100000, description: '监测样品总数 the sample quota to split' }),
    within: Type.Optional(DivisionCode),
    products: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
        maxItems: 50,
        uniqueItems: true,
        description: 'the task’s products; default: the 20 products sampled most in the area over the history window',
      }),
    ),
    season: Type.Optional(Season),
  },
  { additionalProperties: false },
);
export type QuotaQuery = Static<typeof QuotaQuery>;

export const QuotaSuggestion = Type.Object({
  divisionCode: Type.String(),
  divisionName: Type.String(),
  season: Season,
  seasonLabel: Label,
  total: Type.Integer(),
  /** Prior strength of the shrinkage (pseudo-samples). */
  k: Type.Integer(),
  historyFrom: Type.String({ format: 'date' }),
  historyTo: Type.String({ format: 'date' }),
  rows: Type.Array(
    Type.Object({
      region: Type.String(),
      regionName: Type.String(),
      product: Type.String(),
      /** Approved producers of the region listing the product. */
      producers: Type.Integer(),
      /** Tested samples and failures of the product in the region and season over the history window. */
      samples: Type.Integer(),
      failed: Type.Integer(),
      /** failed ÷ samples, percent (null without samples). */
      rawRate: Nullable(Type.Number()),
      /** The shrunk failure rate, percent: the weight of the split. */
      rate: Type.Number(),
      quota: Type.Integer(),
    }),
  ),
});
export type QuotaSuggestion = Static<typeof QuotaSuggestion>;
