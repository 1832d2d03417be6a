import { inScope } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import * as repo from './repo.js';
import type { ClaimStatus, Coverage, CoverageQuery } from './schemas.js';
import { REGISTRY_KINDS, REGISTRY_KIND_VALUES, type RegistryKind } from './tables.js';

/**
 * Certification coverage (seed 002 二 绿色、有机、地理标志农产品 100% 可追溯; seed 001 notice 三(三) 龙头企业、示范社、
 * 三品一标 率先追溯): the share of holders in the imported registry that are registered producers and actively
 * tracing, per kind; and 带证上网 — certification numbers claimed on products checked against the registry.
 */
const pct = (a: number, b: number) => (b ? Math.round((a / b) * 10000) / 100 : null);
const CLAIM_LABELS: Record<ClaimStatus, { zh: string; en: string }> = {
  valid: { zh: '有效', en: 'Valid' },
  unknown: { zh: '名录中无此证书', en: 'Not in the registry' },
  kind_mismatch: { zh: '证书类别不符', en: 'Different kind' },
  holder_mismatch: { zh: '获证主体不符', en: 'Different holder' },
  expired: { zh: '证书已过期', en: 'Expired' },
};

/** The 带证上网 verdict of one claim (pure). */
export function claimStatus(
  c: {
    type: string;
    subject_code: string;
    reg_kind: string | null;
    reg_holder_code: string | null;
    reg_valid_until: string | null;
  },
  today: string,
): ClaimStatus {
  if (!c.reg_kind) return 'unknown';
  if (c.reg_kind !== c.type) return 'kind_mismatch';
  if (c.reg_holder_code && c.reg_holder_code !== c.subject_code) return 'holder_mismatch';
  if (c.reg_valid_until && c.reg_valid_until < today) return 'expired';
  return 'valid';
}

export async function getCertificationCoverage(ctx: Ctx, q: CoverageQuery): Promise<Coverage> {
  const scope = q.within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, scope)) throw problems.outOfJurisdiction('统计范围', 'coverage area');
  const days = q.activeDays ?? 90;
  const [rows, claims] = await Promise.all([repo.coverageRows(ctx.db, scope, days), repo.productClaims(ctx.db, scope)]);
  const byKind = REGISTRY_KIND_VALUES.map((kind) => {
    const mine = rows.filter((r) => r.kind === kind);
    const holders = new Map<string, { registered: boolean; tracing: boolean }>();
    for (const r of mine) {
      const key = r.holder_code ?? r.holder_name;
      const h = holders.get(key) ?? { registered: false, tracing: false };
      h.registered ||= r.subject_id !== null;
      h.tracing ||= r.tracing;
      holders.set(key, h);
    }
    const hs = [...holders.values()];
    const registered = hs.filter((h) => h.registered).length;
    const tracing = hs.filter((h) => h.tracing).length;
    const products = mine.filter((r) => r.product_name);
    return {
      kind,
      label: REGISTRY_KINDS[kind],
      holders: hs.length,
      registered,
      tracing,
      registeredRate: pct(registered, hs.length),
      tracingRate: pct(tracing, hs.length),
      products: products.length,
      productsListed: products.filter((r) => r.product_listed).length,
    };
  });
  const all = new Map<string, { registered: boolean; tracing: boolean }>();
  for (const r of rows) {
    const key = r.holder_code ?? r.holder_name;
    const h = all.get(key) ?? { registered: false, tracing: false };
    h.registered ||= r.subject_id !== null;
    h.tracing ||= r.tracing;
    all.set(key, h);
  }
  const flaggedRegistered = [...all.values()].filter((h) => h.registered).length;
  const flaggedTracing = [...all.values()].filter((h) => h.tracing).length;
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return {
    divisionCode: scope,
    activeDays: days,
    byKind,
    flagged: {
      holders: all.size,
      registered: flaggedRegistered,
      tracing: flaggedTracing,
      registeredRate: pct(flaggedRegistered, all.size),
      tracingRate: pct(flaggedTracing, all.size),
    },
    gaps: rows
      .filter((r) => !r.tracing)
      .slice(0, 200)
      .map((r) => ({
        kind: r.kind as RegistryKind,
        label: REGISTRY_KINDS[r.kind as RegistryKind],
        holderName: r.holder_name,
        holderCode: r.holder_code,
        certNo: r.cert_no,
        divisionCode: r.division_code,
        registered: r.subject_id !== null,
        tracing: r.tracing,
      })),
    claims: claims.map((c) => {
      const status = claimStatus(c, today);
      return {
        productId: c.product_id,
        productName: c.product_name,
        subjectName: c.subject_name,
        type: c.type,
        number: c.number,
        status,
        statusLabel: CLAIM_LABELS[status],
      };
    }),
  };
}
