import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';

/**
 * Kinds in the certification registry: the 三品一标 certificates (green food 绿色食品, organic 有机, geographical
 * indication 地理标志, pollution-free 无公害) and the designations of seed 001 notice 三(三): leading enterprise
 * 龙头企业 and model cooperative 示范社.
 */
export const REGISTRY_KIND_VALUES = [
  'green',
  'organic',
  'gi',
  'pollution_free',
  'leading_enterprise',
  'model_coop',
] as const;
export type RegistryKind = (typeof REGISTRY_KIND_VALUES)[number];
export const REGISTRY_KINDS: Record<RegistryKind, { zh: string; en: string }> = {
  green: { zh: '绿色食品', en: 'Green food' },
  organic: { zh: '有机农产品', en: 'Organic' },
  gi: { zh: '农产品地理标志', en: 'Geographical indication' },
  pollution_free: { zh: '无公害农产品', en: 'Pollution-free' },
  leading_enterprise: { zh: '农业产业化龙头企业', en: 'Leading enterprise' },
  model_coop: { zh: '农民专业合作社示范社', en: 'Model cooperative' },
};

export interface CertRegistryTable {
  id: Generated<string>;
  dedup_key: string;
  kind: RegistryKind;
  cert_no: string | null;
  holder_name: string;
  holder_code: string | null;
  product_name: string | null;
  division_code: string;
  valid_until: ColumnType<string | null, string | null, string | null>;
  imported_at: Generated<Timestamp>;
  imported_by: string | null;
}

/** Tables owned by the certification module (the only module that writes them). */
export interface CertificationTables {
  cert_registry: CertRegistryTable;
}
