import type { ApiData, ApiItem } from '../../shared/api';

/** Types of the catalogue, review and evaluation API, named from the generated OpenAPI types. */
export type CatalogVersion = ApiData<'get', '/api/v1/info-catalog/versions/{version}'>;
export type CatalogResource = CatalogVersion['content']['resources'][number];
export type CatalogField = CatalogResource['fields'][number];
export type ReviewRow = ApiItem<'/api/v1/reviews'>;
export type Evaluation = ApiData<'get', '/api/v1/evaluation'>;
export type UnitRow = Evaluation['units'][number];
export type Notice = ApiItem<'/api/v1/rectification-notices'>;

export const pick = (lang: string, zh: string, en: string) => (lang === 'en' ? en : zh);
export const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : `${Math.round(x * 1000) / 10}%`;

/** The problems a sampled record may be marked with (src/modules/evaluation/schemas.ts PROBLEMS). */
export const PROBLEMS = {
  incomplete: { zh: '信息不完整', en: 'Incomplete' },
  inaccurate: { zh: '信息不准确或不真实', en: 'Inaccurate or untrue' },
  late: { zh: '上传不及时', en: 'Uploaded late' },
  noncompliant: { zh: '不符合目录或规范', en: 'Not as the catalogue requires' },
  other: { zh: '其他', en: 'Other' },
} as const;
export type ProblemKey = keyof typeof PROBLEMS;
