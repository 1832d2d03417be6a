import { assertInScope } from '../../../kernel/auth/scope.js';
import { audit } from '../../../kernel/audit.js';
import type { Ctx } from '../../../kernel/context.js';
import * as regions from '../../regions/service.js';
import * as repo from '../repo.js';
import { Rules } from '../rules.js';
import {
  CERTIFICATIONS,
  CERTIFICATION_LABELS,
  CREDIT_RATINGS,
  CREDIT_RATING_LABELS,
  FLAG_KINDS,
  FLAG_KIND_LABELS,
  INDUSTRIES,
  INDUSTRY_LABELS,
  type Label,
  PRODUCTION_METHODS,
  PRODUCTION_METHOD_LABELS,
  PRODUCT_LABELS,
  type ProductsAt,
  RECORD_STATUSES,
  SUBJECT_TYPES,
  SUBJECT_TYPE_LABELS,
  TRACE_METHODS,
  TRACE_METHOD_LABELS,
  type ThresholdBody,
  UNITS,
  UNIT_LABELS,
} from '../schemas.js';
import { recordFlow } from '../states.js';

/** Reference data: the 12 key products with the standards in force at a division, and the enumerations. */
const list = <T extends string>(codes: readonly T[], labels: Record<T, Label>) =>
  codes.map((code) => ({ code, zh: labels[code].zh, en: labels[code].en }));

/** The enumerations with their labels, for forms and templates. */
export function enumerations(): ProductsAt['enumerations'] {
  return {
    subjectTypes: list(SUBJECT_TYPES, SUBJECT_TYPE_LABELS),
    industries: list(INDUSTRIES, INDUSTRY_LABELS),
    units: list(UNITS, UNIT_LABELS),
    certifications: list(CERTIFICATIONS, CERTIFICATION_LABELS),
    productionMethods: list(PRODUCTION_METHODS, PRODUCTION_METHOD_LABELS),
    traceMethods: list(TRACE_METHODS, TRACE_METHOD_LABELS),
    creditRatings: list(CREDIT_RATINGS, CREDIT_RATING_LABELS),
    statuses: RECORD_STATUSES.map((code) => ({ code, ...recordFlow.stateLabel(code) })),
    flagKinds: list(FLAG_KINDS, FLAG_KIND_LABELS),
  };
}

export async function listProducts(ctx: Ctx, divisionCode: string | undefined): Promise<ProductsAt> {
  const rules = await Rules.load(ctx.db);
  const at = divisionCode ?? ctx.actor.scope;
  return {
    divisionCode: at,
    products: rules.productCodes.flatMap((code) => {
      const r = rules.at(code, at);
      if (!r) return [];
      return [
        {
          code,
          name: PRODUCT_LABELS[code].zh,
          nameEn: PRODUCT_LABELS[code].en,
          industry: r.industry,
          unit: r.unit,
          unitName: UNIT_LABELS[r.unit].zh,
          unitNameEn: UNIT_LABELS[r.unit].en,
          threshold: r.threshold,
          facilityThreshold: r.facilityThreshold,
          cycleDays: r.cycleDays,
          maxPlausible: r.maxPlausible,
        },
      ];
    }),
    enumerations: enumerations(),
  };
}

/** 制定本地区采集标准: a local threshold (and cycle) for a product at a division inside the caller's jurisdiction. */
export async function setThreshold(ctx: Ctx, input: ThresholdBody) {
  assertInScope(ctx.actor.scope, input.divisionCode, '行政区划', 'division');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  await repo.upsertOverride(ctx.db, {
    division_code: input.divisionCode,
    product_code: input.productCode,
    threshold: input.threshold,
    facility_threshold: input.facilityThreshold ?? null,
    cycle_days: input.cycleDays ?? null,
    updated_by: ctx.actor.id,
  });
  await audit(ctx, {
    verb: 'origin.configure',
    targetType: 'origin_threshold',
    divisionCode: input.divisionCode,
    summary: input,
  });
  return listProducts(ctx, input.divisionCode);
}
