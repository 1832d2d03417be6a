import type { CertType, SubjectFileKind } from '../../schema.js';

/**
 * Registration review rules of seed 001 第八条 (pure): which proof files (证明材料) a registration must carry, and
 * the catalogue of standard reasons a reviewer picks from when returning one (plus free text).
 */

/** Proofs by certificate: a credit code is proved by the business licence, an ID number by both sides of the card. */
export const REQUIRED_PROOFS: Record<CertType, readonly SubjectFileKind[]> = {
  credit_code: ['licence'],
  id_card: ['id_front', 'id_back'],
};

/** The required proof kinds missing from `kinds` (the files sent now plus those already on the record). */
export function missingProofs(certType: CertType, kinds: readonly string[]): SubjectFileKind[] {
  return REQUIRED_PROOFS[certType].filter((k) => !kinds.includes(k));
}

/** Standard rejection reasons (驳回原因), each with the field it concerns when there is one. */
export const REJECT_REASON_VALUES = [
  'proof_missing',
  'proof_unclear',
  'cert_mismatch',
  'name_mismatch',
  'legal_person_mismatch',
  'address_incomplete',
  'division_wrong',
  'contact_invalid',
  'industry_wrong',
  'duplicate',
  'other',
] as const;
export type RejectReasonCode = (typeof REJECT_REASON_VALUES)[number];
export const REJECT_REASONS: Record<RejectReasonCode, { zh: string; en: string; field?: string }> = {
  proof_missing: { zh: '证明材料缺失', en: 'Proof files are missing', field: 'files' },
  proof_unclear: { zh: '证明材料不清晰或已过期', en: 'Proof files are unreadable or expired', field: 'files' },
  cert_mismatch: {
    zh: '证件号码与证明材料不一致',
    en: 'The certificate number does not match the proof',
    field: 'certNo',
  },
  name_mismatch: { zh: '主体名称与证照不一致', en: 'The name does not match the licence', field: 'name' },
  legal_person_mismatch: {
    zh: '法定代表人信息与证照不一致',
    en: 'The legal person does not match the licence',
    field: 'legalPersonName',
  },
  address_incomplete: { zh: '地址不详细（请写到村组门牌）', en: 'The address is incomplete', field: 'address' },
  division_wrong: { zh: '所属行政区划有误', en: 'The division is wrong', field: 'divisionCode' },
  contact_invalid: { zh: '联系电话无法接通', en: 'The contact phone cannot be reached', field: 'contactPhone' },
  industry_wrong: { zh: '所属行业或主体类型有误', en: 'The industry or subject type is wrong', field: 'industries' },
  duplicate: { zh: '主体已注册（重复申请）', en: 'The producer is already registered' },
  other: { zh: '其他', en: 'Other' },
};

/** A reason as the reviewer sends it: a code from the list, free text, or both ('other' needs the text). */
export interface ReasonInput {
  code?: RejectReasonCode;
  field?: string;
  reason?: string;
}

/** The stored reason: the list's wording first, then the reviewer's text; `null` when it says nothing. */
export function reasonText(r: ReasonInput): { code: RejectReasonCode | null; field?: string; reason: string } | null {
  const text = r.reason?.trim() ?? '';
  const listed = r.code ? REJECT_REASONS[r.code] : null;
  if (!text && (!listed || r.code === 'other')) return null;
  const reason = listed && r.code !== 'other' ? (text ? `${listed.zh}：${text}` : listed.zh) : text;
  const field = r.field ?? listed?.field;
  return { code: r.code ?? null, ...(field ? { field } : {}), reason };
}
