import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Config } from '../../config.js';
import { inScope } from '../../kernel/auth/scope.js';
import { chinaDate } from '../../kernel/calendar.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { fileStore, registerFileOwner, saveFile } from '../../kernel/files.js';
import { type JobContext, registerJob } from '../../kernel/jobs.js';
import { Problem } from '../../kernel/problems.js';
import type { CertType, DB, Industry, SubjectOrgForm, SubjectTable, SubjectType } from '../../schema.js';
import { link as linkDirectory } from '../directory/repo.js';
import { identityCode, identitySecret } from './identity.js';
import { CERTIFICATIONS, CERT_TYPES, INDUSTRIES, ORG_FORMS, type SubjectFields, SUBJECT_TYPES, normaliseFields } from './service.js';
import { FINAL_STATUSES } from './states.js';

/**
 * 历史数据导入 importSubjects: registrations from another platform (seed 003: 历史注册主体一次性导入并去重).
 * Template with Chinese headers and dropdowns → background job (progress on GET /jobs/:id) → per-row validation
 * with the same rules as self-registration → de-duplication against live subjects (and within the file) → new
 * subjects are created approved (they were reviewed on the old platform) with identity codes; duplicates are merged
 * (existing values win, empty fields are filled) and listed in a merge report; failed rows come back in an error
 * workbook with a 错误说明 column. Imported producers have no login account yet (claimed through their county).
 */
export const JOB_KIND = 'subjects.import';
const BATCH = 2000;

const label = (m: Record<string, { zh: string }>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [v.zh, k]));
const ORG_FORM_IN: Record<string, SubjectOrgForm> = { ...label(ORG_FORMS), 企业: 'enterprise', 个体工商户: 'enterprise', 合作社: 'cooperative', 农民专业合作社: 'cooperative', 家庭农场: 'family_farm', 农户: 'individual', 个人: 'individual' } as never;
const SUBJECT_TYPE_IN = label(SUBJECT_TYPES) as Record<string, SubjectType>;
const INDUSTRY_IN = label(INDUSTRIES) as Record<string, Industry>;
const CERT_TYPE_IN: Record<string, CertType> = { ...(label(CERT_TYPES) as Record<string, CertType>), 身份证: 'id_card', 信用代码: 'credit_code' };
const CERTIFICATION_IN: Record<string, string> = { ...label(CERTIFICATIONS), 绿色: 'green', 有机: 'organic', 地理标志: 'gi' };

export const COLUMNS = [
  { key: 'name', header: '主体名称*', width: 28 },
  { key: 'orgForm', header: '组织形式*', width: 12, list: ['企业', '合作社', '家庭农场', '农户'] },
  { key: 'subjectType', header: '主体类型*', width: 10, list: Object.values(SUBJECT_TYPES).map((v) => v.zh) },
  { key: 'isSlaughterhouse', header: '是否屠宰厂', width: 10, list: ['是', '否'] },
  { key: 'industries', header: '行业*（多个用、分隔）', width: 18, list: Object.values(INDUSTRIES).map((v) => v.zh), loose: true },
  { key: 'certType', header: '证件类型*', width: 18, list: Object.values(CERT_TYPES).map((v) => v.zh) },
  { key: 'certNo', header: '证件号码*', width: 22 },
  { key: 'legalPersonName', header: '法定代表人/负责人*', width: 14 },
  { key: 'legalPersonIdNo', header: '负责人身份证号（家庭农场必填）', width: 22 },
  { key: 'legalPersonPhone', header: '负责人电话', width: 14 },
  { key: 'contactName', header: '联系人*', width: 10 },
  { key: 'contactPhone', header: '联系电话*', width: 14 },
  { key: 'contactEmail', header: '电子邮箱', width: 18 },
  { key: 'address', header: '地址*', width: 30 },
  { key: 'divisionCode', header: '行政区划代码*（6/9/12 位）', width: 16 },
  { key: 'longitude', header: '经度', width: 10 },
  { key: 'latitude', header: '纬度', width: 10 },
  { key: 'certifications', header: '认证（多个用、分隔）', width: 18, list: Object.values(CERTIFICATIONS).map((v) => v.zh), loose: true },
  { key: 'sourceRef', header: '原平台编号', width: 16 },
] as const;
type ColKey = (typeof COLUMNS)[number]['key'];

/** The template: headers, dropdowns on 2,000 rows, an example row and an instructions sheet. */
export async function templateWorkbook(rows = 2000): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('主体信息');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.addRow({ name: '（示例，导入前请删除）从化荔枝专业合作社', orgForm: '合作社', subjectType: '生产', isSlaughterhouse: '否', industries: '种植业', certType: '统一社会信用代码', certNo: '93440117MA5XXXXXXX', legalPersonName: '李大山', contactName: '李大山', contactPhone: '13800138000', address: '广州市从化区温泉镇石海村', divisionCode: '440117103', longitude: 113.6, latitude: 23.6, certifications: '绿色食品', sourceRef: 'GD-2019-000123' });
  COLUMNS.forEach((c, i) => {
    if (!('list' in c)) return;
    const letter = ws.getColumn(i + 1).letter;
    for (let r = 2; r <= rows + 1; r++) {
      ws.getCell(`${letter}${r}`).dataValidation = {
        type: 'list', allowBlank: true, formulae: [`"${c.list.join(',')}"`],
        showErrorMessage: !('loose' in c), errorStyle: 'stop', errorTitle: '请从下拉列表选择', error: `可选：${c.list.join('、')}`,
      };
    }
  });
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '说明', key: 'a', width: 100 }];
  for (const line of [
    '带 * 的列必填；一行一个生产经营主体。',
    '企业、合作社填写 18 位统一社会信用代码；农户填写 18 位居民身份证号；家庭农场两者皆可，但须填负责人身份证号（用于查重）。',
    '证件号码会校验校验位；行政区划代码至少到县（6 位），可填乡镇（9 位）或村（12 位）。',
    '与平台已有主体重复（企业/合作社按信用代码，家庭农场/农户按身份证号）的行不会重复创建，而是合并：平台已有信息为准，只补充空缺字段，见合并报告。',
    '导入失败的行会生成“错误行”工作簿，改正后可再次导入。支持 .xlsx 与 UTF-8 编码的 .csv（表头相同）。',
  ]) help.addRow({ a: line });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ── reading ──────────────────────────────────────────────────────────────────
export interface RawRow {
  rowNo: number;
  cells: string[];
}

function cellText(v: ExcelJS.CellValue): string {
  if (v == null) return '';
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text.trim();
    if ('result' in v) return String(v.result ?? '').trim();
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v).trim();
}

/** Streams the rows of the first worksheet of an .xlsx (row 1 = headers). */
export async function* readXlsx(data: Buffer): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(data), { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
  for await (const ws of reader) {
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { rowNo: row.number, cells };
    }
    break; // first sheet only
  }
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF), UTF-8 with or without BOM. */
export function* readCsv(data: Buffer): Generator<RawRow> {
  const text = data.toString('utf8').replace(/^\uFEFF/, '');
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let rowNo = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell.trim());
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell.trim());
      yield { rowNo: rowNo++, cells: row };
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell.trim());
    yield { rowNo, cells: row };
  }
}

// ── mapping and validation ───────────────────────────────────────────────────
export function headerMap(headers: string[]): Map<ColKey, number> {
  const map = new Map<ColKey, number>();
  const norm = (s: string) => s.replace(/[*＊\s]|（.*?）|\(.*?\)/g, '');
  COLUMNS.forEach((c) => {
    const i = headers.findIndex((h) => norm(h) === norm(c.header));
    if (i >= 0) map.set(c.key, i);
  });
  return map;
}

const split = (s: string) => s.split(/[、,，;；/\s]+/).map((x) => x.trim()).filter(Boolean);

export class RowError extends Error {}

/** One row → registration fields (or a RowError in plain Chinese naming the column). */
export function rowToFields(cells: string[], map: Map<ColKey, number>): SubjectFields & { sourceRef: string | null } {
  const get = (k: ColKey) => {
    const i = map.get(k);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const header = (k: ColKey) => COLUMNS.find((c) => c.key === k)?.header.replace(/[*＊]|（.*?）/g, '') ?? k;
  const required = (k: ColKey) => {
    const v = get(k);
    if (!v) throw new RowError(`“${header(k)}”不能为空`);
    return v;
  };
  const pick = <T>(k: ColKey, table: Record<string, T>) => {
    const v = required(k);
    const out = table[v];
    if (out === undefined) throw new RowError(`“${header(k)}”的值“${v}”无效，可选：${Object.keys(table).join('、')}`);
    return out;
  };
  const num = (k: ColKey) => {
    const v = get(k);
    if (!v) return null;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new RowError(`“${header(k)}”不是数字：${v}`);
    return n;
  };
  const industries = split(required('industries')).map((v) => {
    const x = INDUSTRY_IN[v];
    if (!x) throw new RowError(`“行业”的值“${v}”无效，可选：种植业、畜牧业、渔业`);
    return x;
  });
  const certifications = split(get('certifications')).map((v) => {
    const x = CERTIFICATION_IN[v];
    if (!x) throw new RowError(`“认证”的值“${v}”无效，可选：${Object.keys(label(CERTIFICATIONS)).join('、')}`);
    return x;
  });
  const slaughter = get('isSlaughterhouse');
  const longitude = num('longitude');
  const latitude = num('latitude');
  if (longitude !== null && (longitude < 73 || longitude > 136)) throw new RowError(`“经度”超出中国范围（73–136）：${longitude}`);
  if (latitude !== null && (latitude < 3 || latitude > 54)) throw new RowError(`“纬度”超出中国范围（3–54）：${latitude}`);
  const phone = required('contactPhone');
  if (!/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/.test(phone)) throw new RowError(`“联系电话”格式不正确：${phone}`);
  const division = required('divisionCode');
  if (!/^(\d{6}|\d{9}|\d{12})$/.test(division)) throw new RowError(`“行政区划代码”须为 6、9 或 12 位数字：${division}`);
  return {
    name: required('name'),
    orgForm: pick('orgForm', ORG_FORM_IN),
    subjectType: pick('subjectType', SUBJECT_TYPE_IN),
    isSlaughterhouse: slaughter === '是',
    industries,
    certType: pick('certType', CERT_TYPE_IN),
    certNo: required('certNo'),
    legalPersonName: required('legalPersonName'),
    legalPersonIdNo: get('legalPersonIdNo') || null,
    legalPersonPhone: get('legalPersonPhone') || null,
    contactName: required('contactName'),
    contactPhone: phone,
    contactEmail: get('contactEmail') || null,
    address: required('address'),
    divisionCode: division,
    longitude,
    latitude,
    certifications,
    sourceRef: get('sourceRef') || null,
  };
}

// ── the job ──────────────────────────────────────────────────────────────────
interface Merge {
  rowNo: number;
  subjectId: string;
  name: string;
  identityCode: string | null;
  filled: string[];
  conflicts: { field: string; existing: string; imported: string }[];
}

export interface ImportResult {
  total: number;
  created: number;
  merged: number;
  failed: number;
  errorFileId: string | null;
  mergeReportFileId: string | null;
  seconds: number;
}

export async function runImport(db: Kysely<DB>, config: Config, payload: { fileId: string; scope: string }, job: Pick<JobContext, 'progress' | 'createdBy' | 'jobId'>): Promise<ImportResult> {
  const started = performance.now();
  const file = await db.selectFrom('stored_file').selectAll().where('id', '=', payload.fileId).executeTakeFirst();
  if (!file) throw new Error('import file not found');
  const data = await fileStore(config).get(file.storage_key);
  const rows = file.mime === 'text/csv' ? readCsv(data) : readXlsx(data);
  const secret = await identitySecret(db);
  const today = chinaDate();
  let header: string[] | null = null;
  let map = new Map<ColKey, number>();
  const errors: { rowNo: number; cells: string[]; error: string }[] = [];
  const merges: Merge[] = [];
  const seen = new Map<string, number>();
  let batch: { rowNo: number; cells: string[]; f: ReturnType<typeof rowToFields>; n: ReturnType<typeof normaliseFields> }[] = [];
  let total = 0;
  let created = 0;
  // The file's row count for the progress bar: the xlsx dimension is unknown when streaming, so estimate by size.
  const estimate = file.mime === 'text/csv' ? data.toString('utf8').split('\n').length - 1 : null;
  if (estimate) await job.progress(0, estimate);

  const flush = async () => {
    if (!batch.length) return;
    const current = batch;
    batch = [];
    // Divisions must exist and be inside the importer's jurisdiction.
    const codes = [...new Set(current.map((r) => r.n.values.division_code))];
    const known = new Set((await db.selectFrom('division').select('code').where('code', 'in', codes).execute()).map((d) => d.code));
    const keys = current.map((r) => r.n.values.dedup_key);
    const credits = current.map((r) => r.n.creditCode).filter((c): c is string => !!c);
    // Two index look-ups (dedup key, credit code) with array parameters rather than one OR over 2,000 values.
    const live = (q: ReturnType<typeof db.selectFrom<'subject'>>) => q.selectAll().where('status', 'not in', FINAL_STATUSES as never);
    const [byDedup, byCredit] = await Promise.all([
      live(db.selectFrom('subject')).where(sql<boolean>`dedup_key = ANY(${keys}::text[])`).execute(),
      credits.length ? live(db.selectFrom('subject')).where('cert_type', '=', 'credit_code').where(sql<boolean>`cert_no = ANY(${credits}::text[])`).execute() : Promise.resolve([]),
    ]);
    const existing = [...byDedup, ...byCredit];
    const byKey = new Map<string, (typeof existing)[number]>();
    for (const e of existing) {
      byKey.set(e.dedup_key, e);
      if (e.cert_type === 'credit_code') byKey.set(`credit:${e.cert_no}`, e);
    }
    const fresh: typeof current = [];
    for (const r of current) {
      const v = r.n.values;
      if (!known.has(v.division_code)) {
        errors.push({ rowNo: r.rowNo, cells: r.cells, error: `行政区划代码 ${v.division_code} 不存在` });
        continue;
      }
      if (!inScope(payload.scope, v.division_code)) {
        errors.push({ rowNo: r.rowNo, cells: r.cells, error: `行政区划 ${v.division_code} 不在您的管辖范围内` });
        continue;
      }
      const dup = byKey.get(v.dedup_key) ?? (r.n.creditCode ? byKey.get(`credit:${r.n.creditCode}`) : undefined);
      if (dup) {
        merges.push(await merge(db, dup, r.rowNo, v));
        continue;
      }
      fresh.push(r);
    }
    if (fresh.length) {
      const now = new Date();
      const orgIds = fresh.map(() => randomUUID());
      const subjectIds = fresh.map(() => randomUUID());
      const col = <T>(fn: (r: (typeof fresh)[number], i: number) => T) => fresh.map(fn);
      await sql`INSERT INTO organisation (id, name, kind, division_code, contact_name, contact_phone, address, created_by)
        SELECT id, name, 'producer', div, cn, cp, addr, ${job.createdBy}::uuid
        FROM unnest(${orgIds}::uuid[], ${col((r) => r.n.values.name)}::text[], ${col((r) => r.n.values.division_code)}::text[],
                    ${col((r) => r.n.values.contact_name)}::text[], ${col((r) => r.n.values.contact_phone)}::text[], ${col((r) => r.n.values.address)}::text[])
             AS t(id, name, div, cn, cp, addr)`.execute(db);
      const codes2 = col((r) =>
        identityCode({ orgForm: r.n.values.org_form, certType: r.n.values.cert_type, certNo: r.n.values.cert_no, personalIdNo: r.n.values.legal_person_id_no, countyCode: r.n.values.division_code, secret }),
      );
      await sql`INSERT INTO subject (id, org_id, name, org_form, subject_type, is_slaughterhouse, industries, cert_type, cert_no, dedup_key,
          legal_person_name, legal_person_id_no, legal_person_phone, contact_name, contact_phone, contact_email, address, division_code,
          longitude, latitude, certifications, status, identity_code, approved_at, source, source_ref, created_by)
        SELECT id, org, name, form, stype, slaughter, string_to_array(ind, ','), ctype, cno, dkey, lpn, lpid, lpp, cn, cp, ce, addr, div, lon, lat,
               string_to_array(certs, ','), 'approved', icode, ${now}::timestamptz, 'import', sref, ${job.createdBy}::uuid
        FROM unnest(${subjectIds}::uuid[], ${orgIds}::uuid[], ${col((r) => r.n.values.name)}::text[], ${col((r) => r.n.values.org_form)}::text[],
                    ${col((r) => r.n.values.subject_type)}::text[], ${col((r) => r.n.values.is_slaughterhouse)}::boolean[], ${col((r) => r.n.values.industries.join(','))}::text[],
                    ${col((r) => r.n.values.cert_type)}::text[], ${col((r) => r.n.values.cert_no)}::text[], ${col((r) => r.n.values.dedup_key)}::text[],
                    ${col((r) => r.n.values.legal_person_name)}::text[], ${col((r) => r.n.values.legal_person_id_no)}::text[], ${col((r) => r.n.values.legal_person_phone)}::text[],
                    ${col((r) => r.n.values.contact_name)}::text[], ${col((r) => r.n.values.contact_phone)}::text[], ${col((r) => r.n.values.contact_email)}::text[],
                    ${col((r) => r.n.values.address)}::text[], ${col((r) => r.n.values.division_code)}::text[], ${col((r) => r.n.values.longitude)}::float8[],
                    ${col((r) => r.n.values.latitude)}::float8[], ${col((r) => r.n.values.certifications.join(','))}::text[], ${codes2}::text[], ${col((r) => r.f.sourceRef)}::text[])
             AS t(id, org, name, form, stype, slaughter, ind, ctype, cno, dkey, lpn, lpid, lpp, cn, cp, ce, addr, div, lon, lat, certs, icode, sref)`.execute(db);
      await sql`INSERT INTO subject_application (subject_id, kind, status, data, reason, division_code, submitted_at, submitted_by, due_date, decided_at, decided_by, decision_note)
        SELECT sid, 'register', 'approved', jsonb_build_object('import', true, 'jobId', ${job.jobId}::text, 'row', rn), '历史数据导入', div, ${now}::timestamptz, ${job.createdBy}::uuid,
               ${today}::date, ${now}::timestamptz, ${job.createdBy}::uuid, '历史注册数据导入（原平台已审核）'
        FROM unnest(${subjectIds}::uuid[], ${col((r) => r.n.values.division_code)}::text[], ${col((r) => r.rowNo)}::int[]) AS t(sid, div, rn)`.execute(db);
      created += fresh.length;
    }
  };

  for await (const raw of rows) {
    if (!header) {
      header = raw.cells;
      map = headerMap(header);
      const missing = COLUMNS.filter((c) => c.header.includes('*') && !map.has(c.key)).map((c) => c.header.replace(/[*＊]|（.*?）/g, ''));
      if (missing.length) throw new Problem('IMPORT_BAD_HEADERS', { columns: missing.join('、') });
      continue;
    }
    if (raw.cells.every((c) => c === '')) continue;
    if ((raw.cells[map.get('name') ?? 0] ?? '').startsWith('（示例')) continue;
    total++;
    try {
      const f = rowToFields(raw.cells, map);
      let n: ReturnType<typeof normaliseFields>;
      try {
        n = normaliseFields(f);
      } catch (err) {
        if (err instanceof Problem) throw new RowError(`${fieldZh(err.field)}${err.message.replace(/^字段“[^”]*”/, '')}`);
        throw err;
      }
      const prev = seen.get(n.values.dedup_key) ?? (n.creditCode ? seen.get(`credit:${n.creditCode}`) : undefined);
      if (prev !== undefined) throw new RowError(`与本文件第 ${prev} 行是同一主体（证件号码重复）`);
      seen.set(n.values.dedup_key, raw.rowNo);
      if (n.creditCode) seen.set(`credit:${n.creditCode}`, raw.rowNo);
      batch.push({ rowNo: raw.rowNo, cells: raw.cells, f, n });
    } catch (err) {
      if (!(err instanceof RowError)) throw err;
      errors.push({ rowNo: raw.rowNo, cells: raw.cells, error: err.message });
    }
    if (batch.length >= BATCH) {
      await db.transaction().execute(async (trx) => {
        const outer = db;
        db = trx;
        try {
          await flush();
        } finally {
          db = outer;
        }
      });
      await job.progress(total, estimate ?? undefined);
    }
  }
  if (!header) throw new Problem('IMPORT_BAD_HEADERS', { columns: '（文件是空的）' });
  await db.transaction().execute(async (trx) => {
    const outer = db;
    db = trx;
    try {
      await flush();
    } finally {
      db = outer;
    }
  });
  await job.progress(total, total);
  const linked = await linkDirectory(db, payload.scope);

  const ctx: Ctx<Actor | null> = { db, actor: job.createdBy ? ({ id: job.createdBy } as Actor) : null, ip: null, config };
  let errorFileId: string | null = null;
  let mergeReportFileId: string | null = null;
  await db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    if (errors.length) {
      const saved = await saveFile(tctx, { name: '导入错误行.xlsx', data: await errorWorkbook(header as string[], errors), rule: 'spreadsheet' });
      await trx.updateTable('stored_file').set({ owner_type: 'subject_import', owner_id: job.jobId }).where('id', '=', saved.id).execute();
      errorFileId = saved.id;
    }
    if (merges.length) {
      const saved = await saveFile(tctx, { name: '合并报告.xlsx', data: await mergeWorkbook(merges), rule: 'spreadsheet' });
      await trx.updateTable('stored_file').set({ owner_type: 'subject_import', owner_id: job.jobId }).where('id', '=', saved.id).execute();
      mergeReportFileId = saved.id;
    }
    await trx
      .insertInto('audit_log')
      .values({ actor_id: job.createdBy, actor_name: null, org_id: null, on_behalf_of: null, verb: 'subject.import', target_type: 'job', target_id: job.jobId, division_code: payload.scope, ip: null, summary: JSON.stringify({ total, created, merged: merges.length, failed: errors.length, linked }) })
      .execute();
  });
  return { total, created, merged: merges.length, failed: errors.length, errorFileId, mergeReportFileId, seconds: Math.round((performance.now() - started) / 10) / 100 };
}

const FIELD_ZH: Record<string, string> = { certNo: '证件号码', certType: '证件类型', legalPersonIdNo: '负责人身份证号', divisionCode: '行政区划代码', name: '主体名称', longitude: '经度', latitude: '纬度' };
const fieldZh = (f?: string) => (f ? `“${FIELD_ZH[f] ?? f}”` : '');

/** Existing values win; the import fills empty fields and adds certifications. Conflicts are reported, not applied. */
async function merge(db: Kysely<DB>, e: Selectable<SubjectTable>, rowNo: number, v: ReturnType<typeof normaliseFields>['values']): Promise<Merge> {
  const filled: string[] = [];
  const conflicts: Merge['conflicts'] = [];
  const patch: Record<string, unknown> = {};
  const fillable = ['legal_person_phone', 'contact_email', 'longitude', 'latitude', 'legal_person_id_no'] as const;
  for (const k of fillable) {
    if ((e[k] === null || e[k] === '') && v[k] !== null) {
      patch[k] = v[k];
      filled.push(k);
    }
  }
  const newCerts = v.certifications.filter((c) => !e.certifications.includes(c));
  if (newCerts.length) {
    patch.certifications = [...e.certifications, ...newCerts];
    filled.push('certifications');
  }
  for (const k of ['name', 'contact_name', 'contact_phone', 'address', 'division_code'] as const) {
    if (String(e[k] ?? '') !== String(v[k] ?? '')) conflicts.push({ field: k, existing: String(e[k] ?? ''), imported: String(v[k] ?? '') });
  }
  if (filled.length) await db.updateTable('subject').set({ ...patch, updated_at: new Date(), version: e.version + 1 }).where('id', '=', e.id).execute();
  return { rowNo, subjectId: e.id, name: e.name, identityCode: e.identity_code, filled, conflicts };
}

async function errorWorkbook(header: string[], errors: { rowNo: number; cells: string[]; error: string }[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('错误行');
  ws.addRow(['原行号', '错误说明', ...header]).font = { bold: true };
  for (const e of errors) ws.addRow([e.rowNo, e.error, ...e.cells]);
  ws.getColumn(2).width = 50;
  ws.getColumn(2).font = { color: { argb: 'FFC00000' } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const COL_ZH: Record<string, string> = {
  legal_person_phone: '负责人电话', contact_email: '电子邮箱', longitude: '经度', latitude: '纬度', legal_person_id_no: '负责人身份证号', certifications: '认证',
  name: '主体名称', contact_name: '联系人', contact_phone: '联系电话', address: '地址', division_code: '行政区划代码',
};
async function mergeWorkbook(merges: Merge[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('合并报告');
  ws.addRow(['原行号', '已有主体', '主体身份码', '补充的字段', '不一致的字段（保留平台已有值）']).font = { bold: true };
  for (const m of merges)
    ws.addRow([m.rowNo, m.name, m.identityCode ?? '', m.filled.map((f) => COL_ZH[f] ?? f).join('、'), m.conflicts.map((c) => `${COL_ZH[c.field] ?? c.field}：平台“${c.existing}”，导入“${c.imported}”`).join('；')]);
  ws.getColumn(2).width = 28;
  ws.getColumn(5).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

registerJob(JOB_KIND, (job) => runImport(job.db, job.config, job.payload as { fileId: string; scope: string }, job));

// Import reports belong to the job: its starter and officers whose jurisdiction contains it may read them.
registerFileOwner('subject_import', async (ctx, jobId) => {
  const j = await ctx.db.selectFrom('job').select(['created_by', 'division_code']).where('id', '=', jobId).executeTakeFirst();
  return !!j && (j.created_by === ctx.actor.id || (ctx.actor.orgKind !== 'producer' && ctx.actor.verbs.has('subject.import') && inScope(ctx.actor.scope, j.division_code)));
});

/** Reads only the header row (to refuse a wrong file at once, before queueing the job). */
export async function checkHeaders(data: Buffer, mime: string): Promise<void> {
  const rows = mime === 'text/csv' ? readCsv(data) : readXlsx(data);
  let header: string[] | null = null;
  try {
    for await (const r of rows) {
      header = r.cells;
      break;
    }
  } catch {
    throw new Problem('IMPORT_BAD_HEADERS', { columns: '（文件无法读取）', field: 'fileId' });
  }
  if (!header) throw new Problem('IMPORT_BAD_HEADERS', { columns: '（文件是空的）', field: 'fileId' });
  const map = headerMap(header);
  const missing = COLUMNS.filter((c) => c.header.includes('*') && !map.has(c.key)).map((c) => c.header.replace(/[*＊]|（.*?）/g, ''));
  if (missing.length) throw new Problem('IMPORT_BAD_HEADERS', { columns: missing.join('、'), field: 'fileId' });
}
