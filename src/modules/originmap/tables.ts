import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';
/**
 * The enumerations of an origin record (seed 004 四、采集内容), each declared once: an `as const` list from which the
 * column types here, the TypeBox schemas (schemas.ts, which re-exports them under short names) and the zh/en labels
 * derive.
 */
type Label = { zh: string; en: string };
const labels = <const T extends readonly { code: string; zh: string; en: string }[]>(list: T) =>
  Object.fromEntries(list.map((x) => [x.code, { zh: x.zh, en: x.en }])) as Record<T[number]['code'], Label>;
const codes = <const T extends readonly { code: string }[]>(list: T) =>
  list.map((x) => x.code) as { [I in keyof T]: T[I]['code'] };

/** The 12 key products (重点农产品) in their order; thresholds and cycles are data (`origin_product`). */
export const KEY_PRODUCTS = [
  { code: 'cowpea', zh: '豇豆', en: 'Cowpea' },
  { code: 'leek', zh: '韭菜', en: 'Chinese leek' },
  { code: 'celery', zh: '芹菜', en: 'Celery' },
  { code: 'egg', zh: '鸡蛋', en: 'Eggs (laying hens)' },
  { code: 'black_chicken', zh: '乌鸡', en: 'Black-bone chicken' },
  { code: 'beef_cattle', zh: '肉牛', en: 'Beef cattle' },
  { code: 'mutton_sheep', zh: '肉羊', en: 'Mutton sheep' },
  { code: 'pig', zh: '生猪', en: 'Live pigs' },
  { code: 'bass', zh: '大口黑鲈', en: 'Largemouth bass' },
  { code: 'snakehead', zh: '乌鳢', en: 'Snakehead' },
  { code: 'bream', zh: '鳊鱼', en: 'Bream' },
  { code: 'croaker', zh: '大黄鱼', en: 'Large yellow croaker' },
] as const;
export const PRODUCT_CODES = codes(KEY_PRODUCTS);
export type OriginProductCode = (typeof PRODUCT_CODES)[number];
export const PRODUCT_LABELS = labels(KEY_PRODUCTS);
export const isProductCode = (c: string): c is OriginProductCode => (PRODUCT_CODES as readonly string[]).includes(c);

const SUBJECT_TYPE_LIST = [
  { code: 'enterprise', zh: '农产品生产企业', en: 'Producer enterprise' },
  { code: 'cooperative', zh: '农民专业合作社', en: "Farmers' cooperative" },
  { code: 'family_farm', zh: '家庭农场', en: 'Family farm' },
  { code: 'farmer', zh: '农户', en: 'Farmer' },
  { code: 'broker', zh: '农村经纪人', en: 'Rural broker' },
] as const;
export const ORIGIN_SUBJECT_TYPES = codes(SUBJECT_TYPE_LIST);
export type OriginSubjectType = (typeof ORIGIN_SUBJECT_TYPES)[number];
export const SUBJECT_TYPE_LABELS = labels(SUBJECT_TYPE_LIST);

const INDUSTRY_LIST = [
  { code: 'planting', zh: '种植业', en: 'Planting' },
  { code: 'livestock', zh: '畜牧业', en: 'Livestock' },
  { code: 'fishery', zh: '渔业', en: 'Fishery' },
] as const;
export const ORIGIN_INDUSTRIES = codes(INDUSTRY_LIST);
export type OriginIndustry = (typeof ORIGIN_INDUSTRIES)[number];
export const INDUSTRY_LABELS = labels(INDUSTRY_LIST);

const UNIT_LIST = [
  { code: 'mu', zh: '亩', en: 'mu' },
  { code: 'head', zh: '头', en: 'head' },
  { code: 'bird', zh: '只', en: 'birds' },
] as const;
export const UNITS = codes(UNIT_LIST);
export type OriginUnit = (typeof UNITS)[number];
export const UNIT_LABELS = labels(UNIT_LIST);

const CERTIFICATION_LIST = [
  { code: 'none', zh: '无', en: 'None' },
  { code: 'green', zh: '绿色食品', en: 'Green food' },
  { code: 'organic', zh: '有机农产品', en: 'Organic' },
  { code: 'gi', zh: '农产品地理标志', en: 'Geographical indication' },
  { code: 'gap', zh: '良好农业规范', en: 'GAP' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const;
export const ORIGIN_CERTIFICATIONS = codes(CERTIFICATION_LIST);
export type OriginCertification = (typeof ORIGIN_CERTIFICATIONS)[number];
export const CERTIFICATION_LABELS = labels(CERTIFICATION_LIST);

const PRODUCTION_METHOD_LIST = [
  { code: 'open_field', zh: '露地', en: 'Open field' },
  { code: 'facility', zh: '设施', en: 'Facility' },
] as const;
export const PRODUCTION_METHODS = codes(PRODUCTION_METHOD_LIST);
export type OriginProductionMethod = (typeof PRODUCTION_METHODS)[number];
export const PRODUCTION_METHOD_LABELS = labels(PRODUCTION_METHOD_LIST);

const TRACE_METHOD_LIST = [
  { code: 'certificate', zh: '承诺达标合格证', en: 'Compliance certificate' },
  { code: 'trace_code', zh: '追溯码', en: 'Trace code' },
  { code: 'ear_tag', zh: '耳标', en: 'Ear tag' },
  { code: 'quarantine', zh: '动物检疫合格证', en: 'Animal quarantine certificate' },
  { code: 'package_label', zh: '包装标识', en: 'Package label' },
  { code: 'other', zh: '其他', en: 'Other' },
] as const;
export const TRACE_METHODS = codes(TRACE_METHOD_LIST);
export type OriginTraceMethod = (typeof TRACE_METHODS)[number];
export const TRACE_METHOD_LABELS = labels(TRACE_METHOD_LIST);

const CREDIT_RATING_LIST = [
  { code: 'A', zh: 'A级', en: 'A' },
  { code: 'B', zh: 'B级', en: 'B' },
  { code: 'C', zh: 'C级', en: 'C' },
  { code: 'D', zh: 'D级', en: 'D' },
  { code: 'none', zh: '未评级', en: 'Not rated' },
] as const;
export const CREDIT_RATINGS = codes(CREDIT_RATING_LIST);
export type OriginCreditRating = (typeof CREDIT_RATINGS)[number];
export const CREDIT_RATING_LABELS = labels(CREDIT_RATING_LIST);

/** Record states (labels: the workflow in states.ts). */
export const RECORD_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type OriginStatus = (typeof RECORD_STATUSES)[number];

const FLAG_KIND_LIST = [
  { code: 'stale', zh: '未按频次更新', en: 'Not updated on time' },
  { code: 'incomplete', zh: '信息不完整', en: 'Incomplete' },
  { code: 'far', zh: '点位偏离所属区划', en: 'Point outside its division' },
  { code: 'scale', zh: '规模明显不合理', en: 'Implausible scale' },
  { code: 'duplicate', zh: '疑似重复采集', en: 'Possible duplicate' },
] as const;
export const FLAG_KINDS = codes(FLAG_KIND_LIST);
export type OriginFlagKind = (typeof FLAG_KINDS)[number];
export const FLAG_KIND_LABELS = labels(FLAG_KIND_LIST);
/** Flag states (labels: the workflow in states.ts). */
export const FLAG_STATUSES = ['open', 'resolved'] as const;
export type OriginFlagStatus = (typeof FLAG_STATUSES)[number];

export const GEO_SOURCES = ['import', 'map', 'gps', 'form'] as const;
export type OriginGeoSource = (typeof GEO_SOURCES)[number];
export const GEO_CHECKS = ['inside', 'near', 'far'] as const;
export type OriginGeoCheck = (typeof GEO_CHECKS)[number];

export interface OriginProductTable {
  code: OriginProductCode;
  name: string;
  name_en: string;
  industry: OriginIndustry;
  unit: OriginUnit;
  threshold: string;
  facility_threshold: string | null;
  cycle_days: number;
  max_plausible: string;
  sort: number;
}

export interface OriginThresholdTable {
  division_code: string;
  product_code: OriginProductCode;
  threshold: number | string;
  facility_threshold: number | string | null;
  cycle_days: number | null;
  updated_by: string | null;
  updated_at: Generated<Timestamp>;
}

export interface OriginRecordTable {
  id: Generated<string>;
  record_key: string;
  division_code: string;
  county_code: string;
  subject_name: string;
  subject_type: OriginSubjectType;
  credit_code: string | null;
  subject_id: string | null;
  product_code: OriginProductCode;
  alias: string | null;
  certification: Generated<OriginCertification>;
  base_address: string;
  longitude: number | null;
  latitude: number | null;
  geo_check: OriginGeoCheck | null;
  geo_source: Generated<OriginGeoSource>;
  gps_accuracy_m: number | null;
  contact_name: string;
  contact_phone: string;
  scale: ColumnType<string, number | string, number | string>;
  /** 'YYYY-MM-DD' (date columns are parsed as text). */
  market_start: string | null;
  market_end: string | null;
  production_method: OriginProductionMethod;
  trace_methods: Generated<OriginTraceMethod[]>;
  credit_rating: Generated<OriginCreditRating>;
  grid_worker_name: string | null;
  grid_worker_phone: string | null;
  collector_name: string | null;
  collector_phone: string | null;
  status: Generated<OriginStatus>;
  review_comment: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  approved_at: Timestamp | null;
  collected_at: Generated<Timestamp>;
  created_by: string | null;
  updated_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  /** The service agency that entered the record for the producer (代录), its name as it was then. */
  entered_by_org: string | null;
  entered_by_name: string | null;
  /** The current planting (每茬) or monthly collection: its number and, for crops, planting and harvest dates. */
  season_no: Generated<number>;
  planted_on: string | null;
  harvest_on: string | null;
  /** The last unchanged re-import that confirmed the record. */
  confirmed_at: Timestamp | null;
  /** Imported without coordinates: to be completed on site (现场补充点位). */
  site_pending: Generated<boolean>;
  visited_at: Timestamp | null;
  submitted_at: Timestamp | null;
  /** 'YYYY-MM-DD': the review is due (submitted) / the correction is due (returned), in working days. */
  review_due: string | null;
  correction_due: string | null;
  /** Resubmitted after its correction deadline (counted against the unit). */
  corrected_late: Generated<boolean>;
  /** How many times the county returned it (repeated returns make credit records, seed 000 art. 19). */
  returns: Generated<number>;
  certifications: Generated<OriginCertification[]>;
}

/** Earlier plantings / monthly collections of a record (closed when a new one is collected). */
export interface OriginRecordSeasonTable {
  id: Generated<string>;
  record_id: string;
  season_no: number;
  planted_on: string | null;
  harvest_on: string | null;
  scale: ColumnType<string, number | string, number | string>;
  market_start: string | null;
  market_end: string | null;
  collected_at: Timestamp;
  closed_by: string | null;
  closed_at: Generated<Timestamp>;
}

/** A county's authorisation of a third-party collector (seed 004 五(三)), with its confidentiality agreement. */
export interface OriginCollectorGrantTable {
  id: Generated<string>;
  agency_org_id: string;
  county_code: string;
  confidentiality_no: string;
  /** 'YYYY-MM-DD'. */
  confidentiality_signed_on: string;
  confidentiality_file: string | null;
  granted_by: string;
  granted_at: Generated<Timestamp>;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface OriginCellTable {
  level: number;
  cx: number;
  cy: number;
  product_code: OriginProductCode;
  county_code: string;
  n: number;
  sum_lng: number;
  sum_lat: number;
  sum_scale: number;
}

/**
 * The filtered "一张图" rollup: on-map records per cell, product, province, scale band and market months (maintained
 * by statement triggers on origin_record; migration 202612030501).
 */
export interface OriginCellBandTable {
  level: number;
  cx: number;
  cy: number;
  product_code: string;
  province_code: string;
  scale_band: number;
  start_month: number;
  end_month: number;
  n: number;
  sum_lng: number;
  sum_lat: number;
  sum_scale: number;
}

/** The band rollup without market months: a scale filter alone (migration 202612100201). */
export type OriginCellScaleTable = Omit<OriginCellBandTable, 'start_month' | 'end_month'>;
/** The band rollup without scale bands: a market period alone (migration 202612100201). */
export type OriginCellMonthTable = Omit<OriginCellBandTable, 'scale_band'>;

/** Imports before the shared pipeline (kernel/imports.ts) kept their file and outcome here; no longer written. */
export interface OriginImportTable {
  id: Generated<string>;
  file_name: string;
  content: Buffer;
  job_id: string | null;
  division_code: string;
  created_by: string;
  created_at: Generated<Timestamp>;
  status: Generated<'queued' | 'done' | 'failed'>;
  total_rows: number | null;
  created_rows: number | null;
  updated_rows: number | null;
  unchanged_rows: number | null;
  error_rows: number | null;
  errors: Json<unknown> | null;
  error_file: Buffer | null;
}

export interface OriginFlagTable {
  id: Generated<string>;
  record_id: string;
  kind: OriginFlagKind;
  detail: string;
  division_code: string;
  status: Generated<OriginFlagStatus>;
  created_at: Generated<Timestamp>;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: string | null;
}

export interface OriginNotificationTable {
  id: Generated<string>;
  account_id: string | null;
  division_code: string | null;
  title: string;
  body: string;
  flag_count: Generated<number>;
  created_at: Generated<Timestamp>;
  read_at: Timestamp | null;
}

/** Tables owned by the originmap module (the only module that writes them). */
export interface OriginmapTables {
  origin_product: OriginProductTable;
  origin_threshold: OriginThresholdTable;
  origin_record: OriginRecordTable;
  origin_record_season: OriginRecordSeasonTable;
  origin_collector_grant: OriginCollectorGrantTable;
  origin_cell: OriginCellTable;
  origin_cell_band: OriginCellBandTable;
  origin_cell_scale: OriginCellScaleTable;
  origin_cell_month: OriginCellMonthTable;
  origin_import: OriginImportTable;
  origin_flag: OriginFlagTable;
  origin_notification: OriginNotificationTable;
}
