import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from '../../kernel/db/types.js';
import { INDUSTRIES, INDUSTRY_VALUES, type Industry } from '../directory/tables.js';

/**
 * The subjects module's tables and enumerations: each enumeration is one `as const` array (the column's type and the
 * API's union both derive from it) with its zh/en labels.
 */
export interface Label {
  zh: string;
  en: string;
}

// ── enumerations ─────────────────────────────────────────────────────────────────────────────────────────────────
export const ORG_FORM_VALUES = ['enterprise', 'cooperative', 'family_farm', 'individual'] as const;
export type SubjectOrgForm = (typeof ORG_FORM_VALUES)[number];
export const ORG_FORMS: Record<SubjectOrgForm, Label> = {
  enterprise: { zh: '企业（含个体工商户）', en: 'enterprise / individual business' },
  cooperative: { zh: '合作社', en: 'cooperative' },
  family_farm: { zh: '家庭农场', en: 'family farm' },
  individual: { zh: '农户（个人）', en: 'individual farmer' },
};

export const SUBJECT_TYPE_VALUES = ['production', 'operation', 'both'] as const;
export type SubjectType = (typeof SUBJECT_TYPE_VALUES)[number];
export const SUBJECT_TYPES: Record<SubjectType, Label> = {
  production: { zh: '生产', en: 'production' },
  operation: { zh: '经营', en: 'operation' },
  both: { zh: '生产经营', en: 'production and operation' },
};

export { INDUSTRIES, INDUSTRY_VALUES, type Industry };

export const CERT_TYPE_VALUES = ['credit_code', 'id_card'] as const;
export type CertType = (typeof CERT_TYPE_VALUES)[number];
export const CERT_TYPES: Record<CertType, Label> = {
  credit_code: { zh: '统一社会信用代码', en: 'unified social credit code' },
  id_card: { zh: '居民身份证', en: 'resident ID card' },
};

export const CERTIFICATION_VALUES = ['green', 'organic', 'gi', 'gap'] as const;
export type Certification = (typeof CERTIFICATION_VALUES)[number];
export const CERTIFICATIONS: Record<Certification, Label> = {
  green: { zh: '绿色食品', en: 'green food' },
  organic: { zh: '有机农产品', en: 'organic' },
  gi: { zh: '农产品地理标志', en: 'geographical indication' },
  gap: { zh: '良好农业规范', en: 'GAP' },
};

export const SUBJECT_STATUS_VALUES = [
  'pending',
  'approved',
  'rejected',
  'change_pending',
  'cancel_pending',
  'revoke_pending',
  'revoked',
  'cancelled',
] as const;
export type SubjectStatus = (typeof SUBJECT_STATUS_VALUES)[number];

export const SUBJECT_ACTION_VALUES = [
  'resubmit',
  'requestChange',
  'requestCancel',
  'requestRevoke',
  'approve',
  'reject',
] as const;
export type SubjectAction = (typeof SUBJECT_ACTION_VALUES)[number];

/** Who may take a transition, relative to the subject (see states.ts). */
export const WHO_VALUES = ['owner', 'reviewer', 'regulator'] as const;
export type Who = (typeof WHO_VALUES)[number];

export const APPLICATION_KIND_VALUES = ['register', 'change', 'cancel', 'revoke'] as const;
export type ApplicationKind = (typeof APPLICATION_KIND_VALUES)[number];
export const APPLICATION_KINDS: Record<ApplicationKind, Label> = {
  register: { zh: '注册', en: 'registration' },
  change: { zh: '变更', en: 'change' },
  cancel: { zh: '注销', en: 'cancellation' },
  revoke: { zh: '撤销', en: 'revocation' },
};

export const APPLICATION_STATUS_VALUES = ['pending', 'approved', 'rejected', 'superseded'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUS_VALUES)[number];
export const APPLICATION_STATUSES: Record<ApplicationStatus, Label> = {
  pending: { zh: '审核中', en: 'pending' },
  approved: { zh: '通过', en: 'approved' },
  rejected: { zh: '驳回', en: 'rejected' },
  superseded: { zh: '已替代', en: 'superseded' },
};

export const SOURCE_VALUES = ['self', 'import', 'agency'] as const;
export type SubjectSource = (typeof SOURCE_VALUES)[number];
export const SOURCES: Record<SubjectSource, Label> = {
  self: { zh: '自主注册', en: 'self-registered' },
  import: { zh: '历史导入', en: 'imported' },
  agency: { zh: '服务机构代填', en: 'entered by an agency' },
};

export const FILE_KIND_VALUES = ['licence', 'id_front', 'id_back', 'other'] as const;
export type SubjectFileKind = (typeof FILE_KIND_VALUES)[number];
export const FILE_KINDS: Record<SubjectFileKind, Label> = {
  licence: { zh: '营业执照', en: 'Business licence' },
  id_front: { zh: '身份证正面', en: 'ID card front' },
  id_back: { zh: '身份证反面', en: 'ID card back' },
  other: { zh: '其他证明', en: 'Other proof' },
};

export interface SubjectTable {
  id: Generated<string>;
  org_id: string;
  name: string;
  org_form: SubjectOrgForm;
  subject_type: SubjectType;
  is_slaughterhouse: Generated<boolean>;
  industries: ColumnType<Industry[], Industry[], Industry[]>;
  cert_type: CertType;
  cert_no: string;
  dedup_key: string;
  legal_person_name: string;
  legal_person_id_no: string | null;
  legal_person_phone: string | null;
  contact_name: string;
  contact_phone: string;
  contact_email: string | null;
  address: string;
  division_code: string;
  longitude: number | null;
  latitude: number | null;
  certifications: ColumnType<Certification[], Certification[] | undefined, Certification[]>;
  status: Generated<SubjectStatus>;
  identity_code: string | null;
  approved_at: Timestamp | null;
  source: Generated<SubjectSource>;
  source_ref: string | null;
  created_at: Generated<Timestamp>;
  created_by: string | null;
  updated_at: Generated<Timestamp>;
  version: Generated<number>;
  /** Keyed hashes of the duplicate keys (subjects/identity.ts `registryHashes`), for the national registry. */
  registry_hashes: ColumnType<string[], string[] | undefined, string[]>;
}

export interface SubjectApplicationTable {
  id: Generated<string>;
  subject_id: string;
  kind: ApplicationKind;
  status: Generated<ApplicationStatus>;
  data: Json;
  reason: string | null;
  division_code: string;
  submitted_at: Generated<Timestamp>;
  submitted_by: string | null;
  /** 'YYYY-MM-DD' (date column; pg type parser returns strings for dates in this project). */
  due_date: ColumnType<string, string, string>;
  decided_at: Timestamp | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decision_note: string | null;
  reasons: Json<{ code?: string | null; field?: string; reason: string }[]>;
  /** When the county reviewer was reminded of the deadline / the level above was told it passed. */
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
}

export interface SubjectFileTable {
  subject_id: string;
  file_id: string;
  kind: SubjectFileKind;
  added_at: Generated<Timestamp>;
}

/** Tables owned by the subjects module (the only module that writes them). */
export interface SubjectsTables {
  subject: SubjectTable;
  subject_application: SubjectApplicationTable;
  subject_file: SubjectFileTable;
}
