import { type LngLat, insideChinaBox, plausibility } from './geo.js';
import { isLevel } from '../../kernel/auth/scope.js';
import { ID_CODE_REASONS, creditCodeError, normaliseCode } from '../../kernel/idcodes.js';
import type { FieldError } from '../../kernel/spreadsheet.js';
import {
  CERTIFICATIONS,
  CREDIT_RATINGS,
  type Industry,
  PRODUCTION_METHODS,
  type ProductCode,
  type RecordInput,
  SUBJECT_TYPES,
  TRACE_METHODS,
  UNIT_LABELS,
  type Unit,
  isProductCode,
} from './schemas.js';

export const MOBILE_OR_LANDLINE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
/** 统一社会信用代码: 18 characters, digits and upper-case letters without I, O, Z, S, V. */
export const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
/** Records belong to a township (9 digits) or a village (12). */
export const isTownOrVillage = (code: string) => isLevel(code, 'township') || isLevel(code, 'village');
const has = <T extends string>(list: readonly T[], v: unknown): v is T =>
  typeof v === 'string' && (list as readonly string[]).includes(v);

export type { RecordInput };
export type { FieldError };

/** A record before validation (e.g. a spreadsheet row): enumerations as any text, to be checked. */
export type UncheckedRecord = Omit<
  RecordInput,
  | 'subjectType'
  | 'productCode'
  | 'certification'
  | 'productionMethod'
  | 'traceMethods'
  | 'creditRating'
  | 'certifications'
> & {
  certifications?: string[] | null;
  subjectType: string;
  productCode: string;
  certification?: string | null;
  productionMethod: string;
  traceMethods?: string[] | null;
  creditRating?: string | null;
};

export interface Rule {
  code: ProductCode;
  name: string;
  industry: Industry;
  unit: Unit;
  threshold: number;
  facilityThreshold: number | null;
  cycleDays: number;
  maxPlausible: number;
}

/** Fields that must be filled before a record may be submitted (seed 004 五(四): 全项采集，信息不全、不准的，不得上传). */
export const REQUIRED_FOR_SUBMIT = [
  'longitude',
  'latitude',
  'marketStart',
  'marketEnd',
  'traceMethods',
  'gridWorkerName',
  'gridWorkerPhone',
  'collectorName',
  'collectorPhone',
] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const blank = (v: unknown) =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * Checks one record. `complete` = the record is to be submitted (every field required); otherwise a draft, where
 * the fields in REQUIRED_FOR_SUBMIT may still be empty. Returns every problem found, not only the first.
 * `rule` is the product's effective rule at the record's division (undefined = unknown product).
 */
export interface CheckOptions {
  /**
   * The scale of the operator's other plots of this product in the county (seed 004 五(四): plots that reach the
   * threshold only together are collected one record per plot). Infinity = checked later (the import, per batch).
   */
  groupOthers?: number;
  /** An imported row may come without a point: it is completed on site later (import first, refine by visit). */
  pointLater?: boolean;
}

/** The scale threshold in force for a record (facility aquaculture has its own). */
export function minScaleOf(rule: Rule, productionMethod: string): number {
  return rule.industry === 'fishery' && productionMethod === 'facility' && rule.facilityThreshold !== null
    ? rule.facilityThreshold
    : rule.threshold;
}

export function checkRecord(
  r: UncheckedRecord,
  rule: Rule | undefined,
  complete: boolean,
  opts: CheckOptions = {},
): FieldError[] {
  const errs: FieldError[] = [];
  const add = (field: string, zh: string, en: string) => errs.push({ field, zh, en });
  if (!isTownOrVillage(r.divisionCode ?? ''))
    add('divisionCode', '须为 9 位乡镇（街道）或 12 位村代码', 'must be a 9-digit township or 12-digit village code');
  if (blank(r.subjectName)) add('subjectName', '不能为空', 'is required');
  else if (r.subjectName.trim().length > 100) add('subjectName', '不能超过 100 字', 'is longer than 100 characters');
  if (!has(SUBJECT_TYPES, r.subjectType))
    add('subjectType', '须为：企业、合作社、家庭农场、农户、农村经纪人之一', 'must be one of the subject types');
  // GB 32100: the kernel's validator (length, alphabet, division part, check character), as registration uses it.
  const creditError = blank(r.creditCode) ? null : creditCodeError(normaliseCode(String(r.creditCode)));
  if (creditError)
    add(
      'creditCode',
      `不是有效的 18 位统一社会信用代码：${ID_CODE_REASONS[creditError].zh}`,
      `is not a valid 18-character unified social credit code: ${ID_CODE_REASONS[creditError].en}`,
    );
  if ((r.subjectType === 'enterprise' || r.subjectType === 'cooperative') && blank(r.creditCode))
    add('creditCode', '企业和合作社须填写统一社会信用代码', 'is required for enterprises and cooperatives');
  if (!rule) add('productCode', '不是 12 个重点品种之一', 'is not one of the 12 key products');
  if (!blank(r.certification) && !has(CERTIFICATIONS, r.certification))
    add('certification', '不是有效的认证类型', 'is not a certification type');
  if (blank(r.baseAddress)) add('baseAddress', '不能为空', 'is required');
  if (blank(r.contactName)) add('contactName', '不能为空', 'is required');
  if (blank(r.contactPhone)) add('contactPhone', '不能为空', 'is required');
  else if (!MOBILE_OR_LANDLINE.test(String(r.contactPhone).trim()))
    add(
      'contactPhone',
      '须为 11 位手机号或带区号的固定电话（如 020-87654321）',
      'must be an 11-digit mobile or a landline with area code',
    );
  for (const f of ['gridWorkerPhone', 'collectorPhone'] as const)
    if (!blank(r[f]) && !MOBILE_OR_LANDLINE.test(String(r[f]).trim()))
      add(f, '须为 11 位手机号或带区号的固定电话', 'must be an 11-digit mobile or a landline with area code');
  if (!has(PRODUCTION_METHODS, r.productionMethod))
    add('productionMethod', '须为“露地”或“设施”', 'must be open_field or facility');
  for (const t of r.traceMethods ?? [])
    if (!has(TRACE_METHODS, t)) add('traceMethods', `“${t}”不是有效的追溯方式`, `"${t}" is not a traceability method`);
  if (!blank(r.creditRating) && !has(CREDIT_RATINGS, r.creditRating))
    add('creditRating', '须为 A、B、C、D 或未评级', 'must be A, B, C, D or none');
  for (const f of ['marketStart', 'marketEnd'] as const) {
    const v = r[f];
    if (!blank(v) && (!DATE.test(String(v)) || Number.isNaN(Date.parse(String(v)))))
      add(f, '须为日期（如 2026-05-01）', 'must be a date (YYYY-MM-DD)');
  }
  if (!blank(r.marketStart) && !blank(r.marketEnd) && String(r.marketEnd) < String(r.marketStart))
    add('marketEnd', '下市时间不能早于上市时间', 'must not be before the market start');
  if (typeof r.scale !== 'number' || !Number.isFinite(r.scale) || r.scale <= 0)
    add('scale', '须为大于 0 的数字', 'must be a number above 0');
  else if (rule) {
    const min = minScaleOf(rule, r.productionMethod);
    const unit = UNIT_LABELS[rule.unit];
    const others = opts.groupOthers ?? 0;
    if (r.scale < min && r.scale + others < min)
      add(
        'scale',
        others > 0
          ? `${rule.name}规模须达到 ${min} ${unit.zh}以上才纳入采集范围（该主体本县同品种各地块合计 ${r.scale + others} ${unit.zh}）`
          : `${rule.name}规模须达到 ${min} ${unit.zh}以上才纳入采集范围（多个地块合计达到的，每个地块分别采集）`,
        others > 0
          ? `must be at least ${min} ${unit.en} for ${rule.code} to be collected (this operator's plots total ${r.scale + others})`
          : `must be at least ${min} ${unit.en} for ${rule.code} to be collected (alone or with the operator's other plots)`,
      );
  }
  for (const f of ['plantedOn', 'harvestOn'] as const) {
    const v = r[f];
    if (!blank(v) && (!DATE.test(String(v)) || Number.isNaN(Date.parse(String(v)))))
      add(f, '须为日期（如 2026-05-01）', 'must be a date (YYYY-MM-DD)');
  }
  if (!blank(r.plantedOn) && !blank(r.harvestOn) && String(r.harvestOn) < String(r.plantedOn))
    add('harvestOn', '采收时间不能早于定植时间', 'must not be before the planting date');
  if (rule && rule.industry !== 'planting' && (!blank(r.plantedOn) || !blank(r.harvestOn)))
    add(
      blank(r.plantedOn) ? 'harvestOn' : 'plantedOn',
      '定植和采收时间只适用于种植业产品（畜产品和水产品按月采集）',
      'planting dates apply to crops only (livestock and aquatic records are collected monthly)',
    );
  for (const c of r.certifications ?? [])
    if (!has(CERTIFICATIONS, c))
      add('certifications', `“${c}”不是有效的认证类型`, `"${c}" is not a certification type`);
  const hasLng = !blank(r.longitude);
  const hasLat = !blank(r.latitude);
  if (hasLng !== hasLat)
    add(hasLng ? 'latitude' : 'longitude', '经度和纬度须同时填写', 'longitude and latitude go together');
  else if (hasLng && hasLat) {
    const e = pointError(isTownOrVillage(r.divisionCode ?? '') ? r.divisionCode : null, [
      Number(r.longitude),
      Number(r.latitude),
    ]);
    if (e) errs.push(e);
  }
  if (r.gpsAccuracyM !== undefined && r.gpsAccuracyM !== null && !(r.gpsAccuracyM >= 0))
    add('gpsAccuracyM', '须为非负数', 'must not be negative');
  if (complete) {
    for (const f of REQUIRED_FOR_SUBMIT)
      if (opts.pointLater && (f === 'longitude' || f === 'latitude')) continue;
      else if (blank(r[f]) && !errs.some((e) => e.field === f))
        add(f, '提交审核前必须填写', 'is required before submitting');
  }
  return errs;
}

/**
 * The coordinate rule of every form and import that takes a point with a division (origin records, producers'
 * registrations and their imports): the point lies in China, and — when the division is given — not `far` from the
 * division's area (geo.ts `plausibility`: beyond its radius + 5 km). An error on `longitude`, or null.
 */
export function pointError(divisionCode: string | null, p: LngLat): (FieldError & { field: 'longitude' }) | null {
  if (!Number.isFinite(p[0]) || !Number.isFinite(p[1]) || !insideChinaBox(p[0], p[1]))
    return {
      field: 'longitude',
      zh: '经纬度不在中国境内（经度 73.4–135.1，纬度 3.8–53.6；注意不要填反）',
      en: 'the point is not inside China (lng 73.4–135.1, lat 3.8–53.6; not swapped?)',
    };
  if (!divisionCode) return null;
  const pl = plausibility(divisionCode, p);
  return pl.result === 'far'
    ? {
        field: 'longitude',
        zh: `点位距所属区县中心 ${pl.km.toFixed(0)} 公里，不在所填区划所属区县范围内，请核对经纬度或区划`,
        en: `the point is ${pl.km.toFixed(0)} km from the centre of the stated county: check the coordinates or the division`,
      }
    : null;
}

/**
 * The import key (docs/originmap.md "Import key"): the record's own 记录编号 when given, else
 * township code | credit code (or, without one, subject name) | product | base address, whitespace-normalised.
 */
export function recordKeyOf(r: UncheckedRecord): string {
  if (!blank(r.recordKey)) return String(r.recordKey).trim();
  const norm = (s: string | null | undefined) =>
    String(s ?? '')
      .trim()
      .replace(/\s+/g, ' ');
  const who = blank(r.creditCode) ? norm(r.subjectName) : norm(r.creditCode).toUpperCase();
  return [r.divisionCode, who, r.productCode, norm(r.baseAddress)].join('|');
}

/** The record typed by its codes, when every enumerated field holds a code (as after `checkRecord` found nothing). */
export function checkedRecord(r: UncheckedRecord): RecordInput | undefined {
  const { subjectType, productCode, productionMethod } = r;
  const certification = blank(r.certification) ? undefined : r.certification;
  const creditRating = blank(r.creditRating) ? undefined : r.creditRating;
  const traceMethods = (r.traceMethods ?? []).filter((t) => has(TRACE_METHODS, t));
  if (!has(SUBJECT_TYPES, subjectType) || !isProductCode(productCode) || !has(PRODUCTION_METHODS, productionMethod))
    return undefined;
  if (certification !== undefined && !has(CERTIFICATIONS, certification)) return undefined;
  if (creditRating !== undefined && !has(CREDIT_RATINGS, creditRating)) return undefined;
  if (traceMethods.length !== (r.traceMethods ?? []).length) return undefined;
  const certifications = (r.certifications ?? []).filter((c) => has(CERTIFICATIONS, c));
  if (certifications.length !== (r.certifications ?? []).length) return undefined;
  return {
    ...r,
    subjectType,
    productCode,
    productionMethod,
    certification,
    creditRating,
    traceMethods,
    certifications,
  };
}
