/**
 * Enumerations of the origin record (seed 004 四、采集内容), with their Chinese labels (template dropdowns, UI)
 * and English labels. Codes are stored; labels are shown.
 */
export const SUBJECT_TYPES = {
  enterprise: ['农产品生产企业', 'Producer enterprise'],
  cooperative: ['农民专业合作社', "Farmers' cooperative"],
  family_farm: ['家庭农场', 'Family farm'],
  farmer: ['农户', 'Farmer'],
  broker: ['农村经纪人', 'Rural broker'],
} as const;
export const INDUSTRIES = { planting: ['种植业', 'Planting'], livestock: ['畜牧业', 'Livestock'], fishery: ['渔业', 'Fishery'] } as const;
export const UNITS = { mu: ['亩', 'mu'], head: ['头', 'head'], bird: ['只', 'birds'] } as const;
export const CERTIFICATIONS = {
  none: ['无', 'None'],
  green: ['绿色食品', 'Green food'],
  organic: ['有机农产品', 'Organic'],
  gi: ['农产品地理标志', 'Geographical indication'],
  gap: ['良好农业规范', 'GAP'],
  other: ['其他', 'Other'],
} as const;
export const PRODUCTION_METHODS = { open_field: ['露地', 'Open field'], facility: ['设施', 'Facility'] } as const;
export const TRACE_METHODS = {
  certificate: ['承诺达标合格证', 'Compliance certificate'],
  trace_code: ['追溯码', 'Trace code'],
  ear_tag: ['耳标', 'Ear tag'],
  quarantine: ['动物检疫合格证', 'Animal quarantine certificate'],
  package_label: ['包装标识', 'Package label'],
  other: ['其他', 'Other'],
} as const;
export const CREDIT_RATINGS = { A: ['A级', 'A'], B: ['B级', 'B'], C: ['C级', 'C'], D: ['D级', 'D'], none: ['未评级', 'Not rated'] } as const;
export const STATUSES = {
  draft: ['草稿', 'Draft'],
  submitted: ['待审核', 'Awaiting review'],
  approved: ['已通过', 'Approved'],
  returned: ['已退回', 'Returned'],
} as const;
export const FLAG_KINDS = {
  stale: ['未按频次更新', 'Not updated on time'],
  incomplete: ['信息不完整', 'Incomplete'],
  far: ['点位偏离所属区划', 'Point outside its division'],
  scale: ['规模明显不合理', 'Implausible scale'],
  duplicate: ['疑似重复采集', 'Possible duplicate'],
} as const;

export type Enum = Record<string, readonly [string, string]>;
export const codes = (e: Enum) => Object.keys(e);
/** Code of a Chinese (or English, or code) label; undefined when unknown. */
export function codeOfLabel(e: Enum, label: string): string | undefined {
  const l = label.trim();
  for (const [code, [zh, en]] of Object.entries(e)) if (l === zh || l === code || l.toLowerCase() === en.toLowerCase()) return code;
  return undefined;
}

export const MOBILE_OR_LANDLINE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
/** 统一社会信用代码: 18 characters, digits and upper-case letters without I, O, Z, S, V. */
export const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
