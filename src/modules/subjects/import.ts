import { Type } from 'typebox';
import { inScope } from '../../kernel/auth/scope.js';
import { chinaDate } from '../../kernel/calendar.js';
import type { Ctx } from '../../kernel/context.js';
import type { OwnerCheck } from '../../kernel/files.js';
import {
  type ImportDef,
  type Parsed,
  type SheetRecord,
  importFileOwner,
  importReportWith,
  runImportJob,
} from '../../kernel/imports.js';
import type { JobDef } from '../../kernel/jobs.js';
import { Problem } from '../../kernel/problems.js';
import { Nullable } from '../../kernel/schemas.js';
import { schemaFieldErrors } from '../../kernel/validation.js';
import type { FieldError, SheetColumn } from '../../kernel/spreadsheet.js';
import type { CertType, Industry, SubjectOrgForm, SubjectType } from '../../schema.js';
import { linkEntriesIn } from '../directory/service.js';
import * as regions from '../regions/service.js';
import { identitySecret, registryHashes } from './identity.js';
import { ensureDerivedWithCurrentKey, lookUp, myPlatform } from './registry.js';
import { STATUS_LABELS } from './states.js';
import { RegistrationFields } from './schemas.js';
import { type Merge, type Outcome, existingByKeys, insertImported, merge, mergeReport } from './import-write.js';
import {
  CERTIFICATIONS,
  CERT_TYPES,
  INDUSTRIES,
  ORG_FORMS,
  SUBJECT_TYPES,
  type SubjectFields,
  normaliseFields,
} from './service.js';

/**
 * 历史数据导入 importSubjects: registrations from another platform (seed 003: 历史注册主体一次性导入并去重), through the
 * import pipeline (kernel/imports.ts). Each row is validated with the same rules as self-registration, then
 * de-duplicated against live subjects (and within the file): new subjects are created approved (they were reviewed
 * on the old platform) with identity codes; duplicates are merged (existing values win, empty fields are filled) and
 * listed in a merge report workbook; failed rows come back in the error workbook. Imported producers have no login
 * account yet (claimed through their county).
 */
export const JOB_KIND = 'subjects.import';

const label = (m: Record<string, { zh: string }>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v.zh, k]));
const ORG_FORM_IN: Record<string, SubjectOrgForm> = {
  ...(label(ORG_FORMS) as Record<string, SubjectOrgForm>),
  企业: 'enterprise',
  个体工商户: 'enterprise',
  合作社: 'cooperative',
  农民专业合作社: 'cooperative',
  家庭农场: 'family_farm',
  农户: 'individual',
  个人: 'individual',
};
const SUBJECT_TYPE_IN = label(SUBJECT_TYPES) as Record<string, SubjectType>;
const INDUSTRY_IN = label(INDUSTRIES) as Record<string, Industry>;
const CERT_TYPE_IN: Record<string, CertType> = {
  ...(label(CERT_TYPES) as Record<string, CertType>),
  身份证: 'id_card',
  信用代码: 'credit_code',
};
const CERTIFICATION_IN: Record<string, string> = {
  ...label(CERTIFICATIONS),
  绿色: 'green',
  有机: 'organic',
  地理标志: 'gi',
};

/** The template's columns (`*` = required value; the header check needs the required ones). */
export const COLUMNS = [
  { key: 'name', header: '主体名称*', en: 'name', required: true, width: 28 },
  {
    key: 'orgForm',
    header: '组织形式*',
    en: 'orgForm',
    required: true,
    width: 12,
    list: ['企业', '合作社', '家庭农场', '农户'],
  },
  {
    key: 'subjectType',
    header: '主体类型*',
    en: 'subjectType',
    required: true,
    width: 10,
    list: Object.values(SUBJECT_TYPES).map((v) => v.zh),
  },
  { key: 'isSlaughterhouse', header: '是否屠宰厂', en: 'isSlaughterhouse', width: 10, list: ['是', '否'] },
  {
    key: 'industries',
    header: '行业*（多个用、分隔）',
    en: 'industries',
    required: true,
    width: 18,
    list: Object.values(INDUSTRIES).map((v) => v.zh),
    loose: true,
  },
  {
    key: 'certType',
    header: '证件类型*',
    en: 'certType',
    required: true,
    width: 18,
    list: Object.values(CERT_TYPES).map((v) => v.zh),
  },
  { key: 'certNo', header: '证件号码*', en: 'certNo', required: true, width: 22 },
  { key: 'legalPersonName', header: '法定代表人/负责人*', en: 'legalPersonName', required: true, width: 14 },
  { key: 'legalPersonIdNo', header: '负责人身份证号（家庭农场必填）', en: 'legalPersonIdNo', width: 22 },
  { key: 'legalPersonPhone', header: '负责人电话', en: 'legalPersonPhone', width: 14 },
  { key: 'contactName', header: '联系人*', en: 'contactName', required: true, width: 10 },
  { key: 'contactPhone', header: '联系电话*', en: 'contactPhone', required: true, width: 14 },
  { key: 'contactEmail', header: '电子邮箱', en: 'contactEmail', width: 18 },
  { key: 'address', header: '地址*', en: 'address', required: true, width: 30 },
  { key: 'divisionCode', header: '行政区划代码*（6/9/12 位）', en: 'divisionCode', required: true, width: 16 },
  { key: 'longitude', header: '经度', en: 'longitude', width: 10 },
  { key: 'latitude', header: '纬度', en: 'latitude', width: 10 },
  {
    key: 'certifications',
    header: '认证（多个用、分隔）',
    en: 'certifications',
    width: 18,
    list: Object.values(CERTIFICATIONS).map((v) => v.zh),
    loose: true,
  },
  { key: 'sourceRef', header: '原平台编号', en: 'sourceRef', width: 16 },
] as const satisfies readonly (SheetColumn & { width: number; list?: readonly string[]; loose?: boolean })[];
export type ColKey = (typeof COLUMNS)[number]['key'];

const split = (s: string) =>
  s
    .split(/[、,，;；/\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

export type ImportedFields = SubjectFields & { sourceRef: string | null };

/** One row → registration fields, or the problems of the row (each naming its column). */
export function rowToFields(row: Pick<SheetRecord<ColKey>, 'get'>): Parsed<ImportedFields> {
  const errors: FieldError[] = [];
  const fail = (field: ColKey, zh: string, en: string) => {
    errors.push({ field, zh, en });
    return undefined;
  };
  const get = (k: ColKey) => row.get(k).trim();
  const required = (k: ColKey) => get(k) || fail(k, '不能为空', 'is required');
  const pick = <T>(k: ColKey, table: Record<string, T>) => {
    const v = required(k);
    if (v === undefined) return undefined;
    const out = table[v];
    return out !== undefined
      ? out
      : fail(
          k,
          `的值“${v}”无效，可选：${Object.keys(table).join('、')}`,
          `"${v}" is not one of ${Object.keys(table).join(', ')}`,
        );
  };
  const num = (k: ColKey) => {
    const v = get(k);
    if (!v) return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : (fail(k, `不是数字：${v}`, `is not a number: ${v}`) ?? null);
  };
  const name = required('name');
  const orgForm = pick('orgForm', ORG_FORM_IN);
  const subjectType = pick('subjectType', SUBJECT_TYPE_IN);
  const industries: Industry[] = [];
  for (const v of split(required('industries') ?? '')) {
    const x = INDUSTRY_IN[v];
    if (x) industries.push(x);
    else
      fail('industries', `的值“${v}”无效，可选：种植业、畜牧业、渔业`, `"${v}" is not planting, livestock or fishery`);
  }
  const certifications: string[] = [];
  for (const v of split(get('certifications'))) {
    const x = CERTIFICATION_IN[v];
    if (x) certifications.push(x);
    else
      fail(
        'certifications',
        `的值“${v}”无效，可选：${Object.keys(label(CERTIFICATIONS)).join('、')}`,
        `"${v}" is not a certification`,
      );
  }
  const certType = pick('certType', CERT_TYPE_IN);
  const certNo = required('certNo');
  const legalPersonName = required('legalPersonName');
  const contactName = required('contactName');
  const address = required('address');
  const longitude = num('longitude');
  const latitude = num('latitude');
  if (longitude !== null && (longitude < 73 || longitude > 136))
    fail('longitude', `超出中国范围（73–136）：${longitude}`, `is outside China (73–136): ${longitude}`);
  if (latitude !== null && (latitude < 3 || latitude > 54))
    fail('latitude', `超出中国范围（3–54）：${latitude}`, `is outside China (3–54): ${latitude}`);
  const phone = required('contactPhone');
  if (phone && !/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/.test(phone))
    fail('contactPhone', `格式不正确：${phone}`, `is not a phone number: ${phone}`);
  const division = required('divisionCode');
  if (division && !/^(\d{6}|\d{9}|\d{12})$/.test(division))
    fail('divisionCode', `须为 6、9 或 12 位数字：${division}`, `must have 6, 9 or 12 digits: ${division}`);
  if (errors.length) return { errors: errors.slice(0, 1) };
  return {
    value: {
      name: name as string,
      orgForm: orgForm as SubjectOrgForm,
      subjectType: subjectType as SubjectType,
      isSlaughterhouse: get('isSlaughterhouse') === '是',
      industries,
      certType: certType as CertType,
      certNo: certNo as string,
      legalPersonName: legalPersonName as string,
      legalPersonIdNo: get('legalPersonIdNo') || null,
      legalPersonPhone: get('legalPersonPhone') || null,
      contactName: contactName as string,
      contactPhone: phone as string,
      contactEmail: get('contactEmail') || null,
      address: address as string,
      divisionCode: division as string,
      longitude,
      latitude,
      certifications,
      sourceRef: get('sourceRef') || null,
    },
  };
}

export interface Row {
  fields: ImportedFields;
  n: ReturnType<typeof normaliseFields>;
}
interface State {
  scope: string;
  jobId: string;
  secret: string;
  today: string;
  /** Duplicate keys seen in this file → row number. */
  seen: Map<string, number>;
  merges: Merge[];
  /** Every row's outcome for the merge report: new, merged here, registered on another platform, repeated in file. */
  outcomes: Outcome[];
  /** false when the national registry could not be asked for some batch (rows imported provisionally). */
  registryComplete: boolean;
}

/** The row validator: the sheet's own checks, then registration's rules, then duplicates within the file. */
function parse(rec: SheetRecord<ColKey>, state: State): Parsed<Row> {
  const f = rowToFields(rec);
  if ('errors' in f) return f;
  // The single-entry schema (lengths, formats, ranges), then registration's rules.
  const { sourceRef: _, ...fields } = f.value;
  const schemaErrors = schemaFieldErrors(RegistrationFields, fields);
  if (schemaErrors.length) return { errors: schemaErrors };
  let n: ReturnType<typeof normaliseFields>;
  try {
    n = normaliseFields(f.value);
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    return {
      errors: [
        {
          field: err.field ?? 'name',
          zh: err.message.replace(/^字段“[^”]*”/, ''),
          en: err.messageEn.replace(/^Field "[^"]*" /, ''),
        },
      ],
    };
  }
  const credit = n.creditCode ? `credit:${n.creditCode}` : null;
  const prev = state.seen.get(n.values.dedup_key) ?? (credit ? state.seen.get(credit) : undefined);
  if (prev !== undefined) {
    state.outcomes.push({ rowNo: rec.rowNo, name: n.values.name, kind: 'in_file', identityCode: null, row: prev });
    return {
      errors: [
        {
          field: 'certNo',
          zh: `与本文件第 ${prev} 行是同一主体（证件号码重复）`,
          en: `is the same producer as row ${prev} of this file`,
        },
      ],
    };
  }
  state.seen.set(n.values.dedup_key, rec.rowNo);
  if (credit) state.seen.set(credit, rec.rowNo);
  return { value: { fields: f.value, n } };
}

export const SubjectsReport = importReportWith(
  Type.Object({
    created: Type.Integer({ description: '= inserted' }),
    merged: Type.Integer({ description: 'duplicates merged into existing producers (= updated + unchanged)' }),
    failed: Type.Integer({ description: '= rejected' }),
    mergeReportFileId: Nullable(
      Type.String({
        description:
          'the merge report workbook (GET /files/{id}): every row new / merged / registered elsewhere / repeated',
      }),
    ),
    registeredElsewhere: Type.Integer({
      description: 'rows of producers registered on another platform (not imported)',
    }),
    duplicatesInFile: Type.Integer({ description: 'rows repeating an earlier row of the file (not imported)' }),
    registryComplete: Type.Boolean({
      description: 'false: the national registry could not be asked; rows were imported provisionally',
    }),
    linked: Type.Integer({ description: 'directory entries linked to the new producers' }),
  }),
);

export const subjectsImport: ImportDef<
  ColKey,
  State,
  Row,
  {
    created: number;
    merged: number;
    failed: number;
    mergeReportFileId: string | null;
    linked: number;
    registeredElsewhere: number;
    duplicatesInFile: number;
    registryComplete: boolean;
  }
> = {
  kind: JOB_KIND,
  name: { zh: '导入历史注册主体（去重合并）', en: 'Import historic registrations (de-duplicated and merged)' },
  verb: 'subject.import',
  ownerType: 'subject_import',
  columns: COLUMNS,
  atOnce: 'headers',
  batchSize: 2000,
  errorFileName: '导入错误行.xlsx',
  begin: async (ctx: Ctx, { scope, jobId }) => {
    await ensureDerivedWithCurrentKey(ctx);
    return {
      scope,
      jobId,
      secret: await identitySecret(ctx),
      today: chinaDate(),
      seen: new Map(),
      merges: [],
      outcomes: [],
      registryComplete: true,
    };
  },
  skip: (rec) => rec.get('name').startsWith('（示例'),
  parse,
  // Each row is also checked against the information resource catalogue in force, as a registration is.
  resource: 'subject',
  catalogRow: (row) => row.fields,
  // Divisions must exist and be inside the importer's jurisdiction.
  async check(ctx, rows, state) {
    const known = await regions.namesOf(ctx, [...new Set(rows.map((r) => r.value.n.values.division_code))]);
    // 全国查重: the batch's keyed hashes asked of the national registry at once (registry.ts).
    const hashes = rows.map((r) => registryHashes(state.secret, r.value.n.values));
    const found = await lookUp(ctx, [...new Set(hashes.flat())]);
    if (!found.complete) state.registryComplete = false;
    const me = myPlatform(ctx);
    return rows.map(({ rowNo, value: { n } }, i): FieldError[] | undefined => {
      const code = n.values.division_code;
      if (!known.has(code)) return [{ field: 'divisionCode', zh: `${code} 不存在`, en: `${code} does not exist` }];
      if (!inScope(state.scope, code))
        return [
          { field: 'divisionCode', zh: `${code} 不在您的管辖范围内`, en: `${code} is outside your jurisdiction` },
        ];
      const mine = new Set(hashes[i]);
      const other = found.matches.find((m) => m.platformId !== me && m.hashes.some((h) => mine.has(h)));
      if (other) {
        state.outcomes.push({
          rowNo,
          name: n.values.name,
          kind: 'elsewhere',
          identityCode: other.identityCode,
          platform: other.platformName,
        });
        return [
          {
            field: 'certNo',
            zh: `该主体已在${other.platformName}注册（${STATUS_LABELS[other.status].zh}），不重复导入`,
            en: `this producer is already registered on ${other.platformNameEn} (${STATUS_LABELS[other.status].en}); not imported again`,
          },
        ];
      }
      return undefined;
    });
  },
  async write(ctx, rows, state) {
    const byKey = await existingByKeys(ctx.db, rows);
    const out: ('inserted' | 'updated' | 'unchanged')[] = [];
    const fresh: typeof rows = [];
    for (const r of rows) {
      const v = r.value.n.values;
      const dup =
        byKey.get(v.dedup_key) ?? (r.value.n.creditCode ? byKey.get(`credit:${r.value.n.creditCode}`) : undefined);
      if (dup) {
        const m = await merge(ctx.db, dup, r.rowNo, v);
        state.merges.push(m);
        state.outcomes.push({ rowNo: r.rowNo, name: m.name, kind: 'merged', identityCode: m.identityCode, merge: m });
        out.push(m.filled.length ? 'updated' : 'unchanged');
      } else {
        fresh.push(r);
        out.push('inserted');
      }
    }
    const codes = await insertImported(ctx, fresh, state);
    for (const [i, r] of fresh.entries())
      state.outcomes.push({ rowNo: r.rowNo, name: r.value.n.values.name, kind: 'new', identityCode: codes[i] ?? null });
    return out;
  },
  async finish(ctx, state, report) {
    const linked = await linkEntriesIn(ctx.db, state.scope);
    const count = (k: Outcome['kind']) => state.outcomes.filter((o) => o.kind === k).length;
    return {
      created: report.inserted,
      merged: state.merges.length,
      failed: report.rejected,
      mergeReportFileId: state.outcomes.length ? await mergeReport(ctx, state.outcomes, state.jobId) : null,
      linked,
      registeredElsewhere: count('elsewhere'),
      duplicatesInFile: count('in_file'),
      registryComplete: state.registryComplete,
    };
  },
};

/** The job of kind `subjects.import` (declared in the ModuleDef). */
export const importJob: JobDef = { run: (job) => runImportJob(subjectsImport, job) };

/** Import files (the upload, error rows, merge report) belong to the job: its starter and officers in scope. */
export const mayReadImportFile: OwnerCheck = importFileOwner('subject.import');
