import { type LngLat, insideChinaBox, plausibility } from './geo.js';
import { CERTIFICATIONS, CREDIT_CODE, CREDIT_RATINGS, MOBILE_OR_LANDLINE, PRODUCTION_METHODS, SUBJECT_TYPES, TRACE_METHODS, UNITS } from './reference.js';

/** An origin record as the API, the form and the spreadsheet give it (camelCase, codes not labels). */
export interface RecordInput {
  recordKey?: string | null;
  divisionCode: string;
  subjectName: string;
  subjectType: string;
  creditCode?: string | null;
  productCode: string;
  alias?: string | null;
  certification?: string | null;
  baseAddress: string;
  longitude?: number | null;
  latitude?: number | null;
  contactName: string;
  contactPhone: string;
  scale: number;
  marketStart?: string | null;
  marketEnd?: string | null;
  productionMethod: string;
  traceMethods?: string[] | null;
  creditRating?: string | null;
  gridWorkerName?: string | null;
  gridWorkerPhone?: string | null;
  collectorName?: string | null;
  collectorPhone?: string | null;
  geoSource?: 'import' | 'map' | 'gps' | 'form';
  gpsAccuracyM?: number | null;
}

export interface Rule {
  code: string;
  name: string;
  industry: string;
  unit: keyof typeof UNITS;
  threshold: number;
  facilityThreshold: number | null;
  cycleDays: number;
  maxPlausible: number;
}

export interface FieldError {
  field: string;
  zh: string;
  en: string;
}

/** Fields that must be filled before a record may be submitted (seed 004 五(四): 全项采集，信息不全、不准的，不得上传). */
export const REQUIRED_FOR_SUBMIT = [
  'longitude', 'latitude', 'marketStart', 'marketEnd', 'traceMethods', 'gridWorkerName', 'gridWorkerPhone', 'collectorName', 'collectorPhone',
] as const;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * Checks one record. `complete` = the record is to be submitted (every field required); otherwise a draft, where
 * the fields in REQUIRED_FOR_SUBMIT may still be empty. Returns every problem found, not only the first.
 * `rule` is the product's effective rule at the record's division (undefined = unknown product).
 */
export function checkRecord(r: RecordInput, rule: Rule | undefined, complete: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const add = (field: string, zh: string, en: string) => errs.push({ field, zh, en });
  if (!/^(\d{9}|\d{12})$/.test(r.divisionCode ?? '')) add('divisionCode', '须为 9 位乡镇（街道）或 12 位村代码', 'must be a 9-digit township or 12-digit village code');
  if (blank(r.subjectName)) add('subjectName', '不能为空', 'is required');
  else if (r.subjectName.trim().length > 100) add('subjectName', '不能超过 100 字', 'is longer than 100 characters');
  if (!(r.subjectType in SUBJECT_TYPES)) add('subjectType', '须为：企业、合作社、家庭农场、农户、农村经纪人之一', 'must be one of the subject types');
  if (!blank(r.creditCode) && !CREDIT_CODE.test(String(r.creditCode).trim().toUpperCase()))
    add('creditCode', '不是有效的 18 位统一社会信用代码', 'is not a valid 18-character unified social credit code');
  if ((r.subjectType === 'enterprise' || r.subjectType === 'cooperative') && blank(r.creditCode))
    add('creditCode', '企业和合作社须填写统一社会信用代码', 'is required for enterprises and cooperatives');
  if (!rule) add('productCode', '不是 12 个重点品种之一', 'is not one of the 12 key products');
  if (!blank(r.certification) && !((r.certification as string) in CERTIFICATIONS)) add('certification', '不是有效的认证类型', 'is not a certification type');
  if (blank(r.baseAddress)) add('baseAddress', '不能为空', 'is required');
  if (blank(r.contactName)) add('contactName', '不能为空', 'is required');
  if (blank(r.contactPhone)) add('contactPhone', '不能为空', 'is required');
  else if (!MOBILE_OR_LANDLINE.test(String(r.contactPhone).trim())) add('contactPhone', '须为 11 位手机号或带区号的固定电话（如 020-87654321）', 'must be an 11-digit mobile or a landline with area code');
  for (const f of ['gridWorkerPhone', 'collectorPhone'] as const)
    if (!blank(r[f]) && !MOBILE_OR_LANDLINE.test(String(r[f]).trim())) add(f, '须为 11 位手机号或带区号的固定电话', 'must be an 11-digit mobile or a landline with area code');
  if (!(r.productionMethod in PRODUCTION_METHODS)) add('productionMethod', '须为“露地”或“设施”', 'must be open_field or facility');
  for (const t of r.traceMethods ?? []) if (!(t in TRACE_METHODS)) add('traceMethods', `“${t}”不是有效的追溯方式`, `"${t}" is not a traceability method`);
  if (!blank(r.creditRating) && !((r.creditRating as string) in CREDIT_RATINGS)) add('creditRating', '须为 A、B、C、D 或未评级', 'must be A, B, C, D or none');
  for (const f of ['marketStart', 'marketEnd'] as const) {
    const v = r[f];
    if (!blank(v) && (!DATE.test(String(v)) || Number.isNaN(Date.parse(String(v))))) add(f, '须为日期（如 2026-05-01）', 'must be a date (YYYY-MM-DD)');
  }
  if (!blank(r.marketStart) && !blank(r.marketEnd) && String(r.marketEnd) < String(r.marketStart)) add('marketEnd', '下市时间不能早于上市时间', 'must not be before the market start');
  if (typeof r.scale !== 'number' || !Number.isFinite(r.scale) || r.scale <= 0) add('scale', '须为大于 0 的数字', 'must be a number above 0');
  else if (rule) {
    const min = rule.industry === 'fishery' && r.productionMethod === 'facility' && rule.facilityThreshold !== null ? rule.facilityThreshold : rule.threshold;
    const unit = UNITS[rule.unit];
    if (r.scale < min)
      add('scale', `${rule.name}规模须达到 ${min} ${unit[0]}以上才纳入采集范围`, `must be at least ${min} ${unit[1]} for ${rule.code} to be collected`);
  }
  const hasLng = !blank(r.longitude);
  const hasLat = !blank(r.latitude);
  if (hasLng !== hasLat) add(hasLng ? 'latitude' : 'longitude', '经度和纬度须同时填写', 'longitude and latitude go together');
  else if (hasLng && hasLat) {
    const p: LngLat = [Number(r.longitude), Number(r.latitude)];
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1]) || !insideChinaBox(p[0], p[1]))
      add('longitude', '经纬度不在中国境内（经度 73.4–135.1，纬度 3.8–53.6；注意不要填反）', 'the point is not inside China (lng 73.4–135.1, lat 3.8–53.6; not swapped?)');
    else if (/^\d{9}/.test(r.divisionCode ?? '')) {
      const pl = plausibility(r.divisionCode, p);
      if (pl.result === 'far')
        add('longitude', `点位距所属区县中心 ${pl.km.toFixed(0)} 公里，不在所填乡镇所属区县范围内，请核对经纬度或区划`, `the point is ${pl.km.toFixed(0)} km from the centre of the stated county: check the coordinates or the division`);
    }
  }
  if (r.gpsAccuracyM !== undefined && r.gpsAccuracyM !== null && !(r.gpsAccuracyM >= 0)) add('gpsAccuracyM', '须为非负数', 'must not be negative');
  if (complete) {
    for (const f of REQUIRED_FOR_SUBMIT) if (blank(r[f]) && !errs.some((e) => e.field === f)) add(f, '提交审核前必须填写', 'is required before submitting');
  }
  return errs;
}

/**
 * The import key (docs/originmap.md "Import key"): the record's own 记录编号 when given, else
 * township code | credit code (or, without one, subject name) | product | base address, whitespace-normalised.
 */
export function recordKeyOf(r: RecordInput): string {
  if (!blank(r.recordKey)) return String(r.recordKey).trim();
  const norm = (s: string | null | undefined) => String(s ?? '').trim().replace(/\s+/g, ' ');
  const who = blank(r.creditCode) ? norm(r.subjectName) : norm(r.creditCode).toUpperCase();
  return [r.divisionCode, who, r.productCode, norm(r.baseAddress)].join('|');
}
