import type { Kysely } from 'kysely';
import { divisionLevel, inScope } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';
import * as repo from './repo.js';
import { PRODUCT_CODES, PRODUCT_LABELS, type ProductCode, isProductCode } from './schemas.js';
import type { Rule } from './validate.js';

/**
 * The collection standards in force (采集标准): each key product's national threshold, cycle and plausible maximum
 * (`origin_product`) and the local overrides set by divisions (`origin_threshold`; the most specific one on the
 * record's division path wins). Loaded once per request or job.
 */
export class Rules {
  private constructor(
    private readonly base: Awaited<ReturnType<typeof repo.products>>,
    private readonly over: Awaited<ReturnType<typeof repo.overrides>>,
  ) {}
  static async load(db: Kysely<DB>) {
    return new Rules(await repo.products(db), await repo.overrides(db));
  }
  get productCodes(): readonly ProductCode[] {
    return PRODUCT_CODES;
  }
  /** The effective rule of a product at a division (undefined: not a key product). */
  at(productCode: string, divisionCode: string): Rule | undefined {
    if (!isProductCode(productCode)) return undefined;
    const p = this.base.find((x) => x.code === productCode);
    if (!p) return undefined;
    // The most specific override on the division path (e.g. 440117103 → 440117 → 4401 → 44) wins.
    const o = this.over
      .filter((x) => x.product_code === productCode && inScope(x.division_code, divisionCode))
      .sort((a, b) => divisionLevel(b.division_code) - divisionLevel(a.division_code))[0];
    const facility = o?.facility_threshold ?? p.facility_threshold;
    return {
      code: p.code,
      name: PRODUCT_LABELS[p.code].zh,
      industry: p.industry,
      unit: p.unit,
      threshold: Number(o?.threshold ?? p.threshold),
      facilityThreshold: facility != null ? Number(facility) : null,
      cycleDays: o?.cycle_days ?? p.cycle_days,
      maxPlausible: Number(p.max_plausible),
    };
  }
}
