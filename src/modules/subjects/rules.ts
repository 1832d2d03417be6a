import type { Selectable } from 'kysely';
import { isAtOrBelow } from '../../kernel/auth/scope.js';
import { ID_CODE_REASONS, creditCodeError, idNumberError, maskIdNumber, normaliseCode } from '../../kernel/idcodes.js';
import { pointError } from '../../kernel/point-rule.js';
import { type Problem, problems } from '../../kernel/problems.js';
import type { CertType, Certification, SubjectOrgForm, SubjectTable } from '../../schema.js';
import type { Changeable, RegistrationFields } from './schemas.js';

/**
 * The registration rules shared by self-registration, resubmission, changes and the historic import: field
 * normalisation and validation, the duplicate key, the application snapshot. Pure functions, no database.
 */

/**
 * Registration fields as `normaliseFields` takes them: the request body's fields; the import maps its spreadsheet
 * labels to the same codes (certifications arrive as plain strings from there).
 */
export type SubjectFields = Omit<RegistrationFields, 'certifications'> & { certifications?: readonly string[] };

/** A subject's registration fields as stored: the subject row less its identity, state and bookkeeping columns. */
export type SubjectValues = Omit<
  Selectable<SubjectTable>,
  | 'id'
  | 'org_id'
  | 'status'
  | 'identity_code'
  | 'approved_at'
  | 'source'
  | 'source_ref'
  | 'created_at'
  | 'created_by'
  | 'updated_at'
  | 'version'
  | 'registry_hashes'
>;

export interface Normalised {
  values: SubjectValues;
  creditCode: string | null;
}

function badCode(field: string, which: 'credit' | 'id', err: keyof typeof ID_CODE_REASONS): Problem {
  const label = which === 'credit' ? ['统一社会信用代码', 'unified social credit code'] : ['身份证号码', 'ID number'];
  return problems.invalid(
    field,
    `（${label[0]}）${ID_CODE_REASONS[err].zh}`,
    `(${label[1]}) ${ID_CODE_REASONS[err].en}`,
  );
}

/** The duplicate key: credit code for enterprises and cooperatives, the ID number for family farms and farmers. */
export function dedupKeyOf(
  orgForm: SubjectOrgForm,
  certType: CertType,
  certNo: string,
  personalId: string | null,
): string {
  if (orgForm === 'enterprise' || orgForm === 'cooperative') return `C${certNo}`;
  return `I${certType === 'id_card' ? certNo : (personalId ?? certNo)}`;
}

/** Validates and normalises registration fields (shared by registration, resubmission and import). */
export function normaliseFields(f: SubjectFields): Normalised {
  const certNo = normaliseCode(f.certNo);
  const personalId = f.legalPersonIdNo ? normaliseCode(f.legalPersonIdNo) : null;
  if ((f.orgForm === 'enterprise' || f.orgForm === 'cooperative') && f.certType !== 'credit_code')
    throw problems.invalid(
      'certType',
      '：企业和合作社须使用统一社会信用代码',
      ': enterprises and cooperatives register with their unified social credit code',
    );
  if (f.orgForm === 'individual' && f.certType !== 'id_card')
    throw problems.invalid(
      'certType',
      '：农户（个人）须使用居民身份证',
      ': individual farmers register with their resident ID card',
    );
  if (f.certType === 'credit_code') {
    const e = creditCodeError(certNo);
    if (e) throw badCode('certNo', 'credit', e);
  } else {
    const e = idNumberError(certNo);
    if (e) throw badCode('certNo', 'id', e);
  }
  if (personalId) {
    const e = idNumberError(personalId);
    if (e) throw badCode('legalPersonIdNo', 'id', e);
  }
  if (f.orgForm === 'family_farm' && f.certType === 'credit_code' && !personalId)
    throw problems.invalid(
      'legalPersonIdNo',
      '：家庭农场须填写经营者身份证号码（用于查重）',
      ': a family farm must give the operator’s ID number (used to detect duplicates)',
    );
  if (!isAtOrBelow(f.divisionCode, 'county'))
    throw problems.invalid('divisionCode', '：所在地区至少要选到县（区）', ': choose at least the county (district)');
  if ((f.longitude == null) !== (f.latitude == null))
    throw problems.invalid(
      f.longitude == null ? 'longitude' : 'latitude',
      '：经度和纬度须同时填写',
      ': give both longitude and latitude',
    );
  // The coordinate rule of the origin map's form and import (kernel/point-rule.ts): not far from the division.
  const pointWrong =
    f.longitude == null || f.latitude == null ? null : pointError(f.divisionCode, [f.longitude, f.latitude]);
  if (pointWrong) throw problems.invalid(pointWrong.field, `：${pointWrong.zh}`, `: ${pointWrong.en}`);
  const industries = [...new Set(f.industries)];
  const name = f.name.trim();
  if (name.length < 2) throw problems.invalid('name', '：名称至少 2 个字', ': at least 2 characters');
  return {
    creditCode: f.certType === 'credit_code' ? certNo : null,
    values: {
      name,
      org_form: f.orgForm,
      subject_type: f.subjectType,
      is_slaughterhouse: f.isSlaughterhouse ?? false,
      industries,
      cert_type: f.certType,
      cert_no: certNo,
      dedup_key: dedupKeyOf(f.orgForm, f.certType, certNo, personalId),
      legal_person_name: f.legalPersonName.trim(),
      legal_person_id_no: personalId ?? (f.certType === 'id_card' ? certNo : null),
      legal_person_phone: f.legalPersonPhone ?? null,
      contact_name: f.contactName.trim(),
      contact_phone: f.contactPhone,
      contact_email: f.contactEmail ?? null,
      address: f.address.trim(),
      division_code: f.divisionCode,
      longitude: f.longitude ?? null,
      latitude: f.latitude ?? null,
      // Registration validates the codes by schema, the import by its label table.
      certifications: [...new Set(f.certifications ?? [])] as Certification[],
    },
  };
}

/** The fields of an application snapshot (camelCase, the ID number never in clear beyond the subject row). */
export function snapshot(n: Normalised) {
  const v = n.values;
  return {
    name: v.name,
    orgForm: v.org_form,
    subjectType: v.subject_type,
    isSlaughterhouse: v.is_slaughterhouse,
    industries: v.industries,
    certType: v.cert_type,
    certNo: v.cert_type === 'id_card' ? maskIdNumber(v.cert_no) : v.cert_no,
    legalPersonName: v.legal_person_name,
    contactName: v.contact_name,
    contactPhone: v.contact_phone,
    contactEmail: v.contact_email,
    address: v.address,
    divisionCode: v.division_code,
    longitude: v.longitude,
    latitude: v.latitude,
    certifications: v.certifications,
  };
}

/** The subject column of each changeable field. */
export const COLUMN: Record<Changeable, keyof SubjectValues> = {
  name: 'name',
  subjectType: 'subject_type',
  isSlaughterhouse: 'is_slaughterhouse',
  industries: 'industries',
  legalPersonName: 'legal_person_name',
  legalPersonPhone: 'legal_person_phone',
  contactName: 'contact_name',
  contactPhone: 'contact_phone',
  contactEmail: 'contact_email',
  address: 'address',
  divisionCode: 'division_code',
  longitude: 'longitude',
  latitude: 'latitude',
  certifications: 'certifications',
};

/** The subject columns an approved change sets, from the application's data (its `before` values are ignored). */
export function changePatch(data: Record<string, unknown>): Partial<SubjectValues> {
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(COLUMN) as Changeable[]) if (k in data) patch[COLUMN[k]] = data[k];
  return patch as Partial<SubjectValues>;
}
