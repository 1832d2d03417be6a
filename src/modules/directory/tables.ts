import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from '../../kernel/db/types.js';
import type { SubjectOrgForm } from '../subjects/tables.js';

/**
 * Industries (行业) of producers: declared here, in the census that registrations build on, so that both the
 * directory and the subjects module (which re-exports them) use one list without importing each other in a circle.
 */
export const INDUSTRY_VALUES = ['planting', 'livestock', 'fishery'] as const;
export type Industry = (typeof INDUSTRY_VALUES)[number];
export const INDUSTRIES: Record<Industry, { zh: string; en: string }> = {
  planting: { zh: '种植业', en: 'planting' },
  livestock: { zh: '畜牧业', en: 'livestock' },
  fishery: { zh: '渔业', en: 'fishery' },
};
/** Forms of the census: the registration forms of a subject plus the rural broker (农村经纪人), who does not register. */
export const DIRECTORY_ORG_FORM_VALUES = [
  'enterprise',
  'cooperative',
  'family_farm',
  'individual',
  'broker',
] as const satisfies readonly (SubjectOrgForm | 'broker')[];
export type DirectoryOrgForm = (typeof DIRECTORY_ORG_FORM_VALUES)[number];
export const DIRECTORY_ORG_FORMS: Record<DirectoryOrgForm, { zh: string; en: string }> = {
  enterprise: { zh: '企业', en: 'enterprise' },
  cooperative: { zh: '合作社', en: 'cooperative' },
  family_farm: { zh: '家庭农场', en: 'family farm' },
  individual: { zh: '农户', en: 'farmer' },
  broker: { zh: '农村经纪人', en: 'rural broker' },
};

export interface DirectoryEntryTable {
  id: Generated<string>;
  division_code: string;
  name: string;
  org_form: DirectoryOrgForm;
  industries: ColumnType<Industry[], Industry[] | undefined, Industry[]>;
  cert_no: string | null;
  address: string | null;
  longitude: number | null;
  latitude: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  products: string | null;
  scale: string | null;
  note: string | null;
  subject_id: string | null;
  linked_at: Timestamp | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

/** Tables owned by the directory module (the only module that writes them). */
export interface DirectoryTables {
  directory_entry: DirectoryEntryTable;
}
