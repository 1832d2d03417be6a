import ExcelJS from 'exceljs';
import type { Insertable, Kysely } from 'kysely';
import { inScope } from '../../kernel/auth/scope.js';
import type { JobContext } from '../../kernel/jobs.js';
import type { DB, OriginRecordTable } from '../../schema.js';
import { CERTIFICATIONS, CREDIT_RATINGS, type Enum, PRODUCTION_METHODS, STATUSES, SUBJECT_TYPES, TRACE_METHODS, UNITS, codeOfLabel } from './reference.js';
import * as repo from './repo.js';
import { matchSubjects, toColumns } from './service.js';
import { type FieldError, type RecordInput, checkRecord } from './validate.js';

/**
 * The spreadsheet (采集表): one sheet "采集表" with these columns (Chinese headers, units in the header, dropdowns
 * for every enumeration from the hidden sheet "选项"), and a sheet "填写说明". Export writes the same columns
 * (plus status), so an exported table can be corrected and imported again.
 */
interface Column {
  key: keyof RecordInput | 'unit';
  header: string;
  width: number;
  required?: boolean;
  list?: Enum | 'products';
  kind?: 'number' | 'date' | 'text' | 'multi';
  note?: string;
}
export const COLUMNS: Column[] = [
  { key: 'recordKey', header: '记录编号', width: 22, note: '选填。导出的表格带有编号；再次导入时按编号更新原记录。不填时按“乡镇代码+信用代码（无则主体名称）+品种+基地地址”更新' },
  { key: 'divisionCode', header: '乡镇（街道）代码', width: 16, required: true, kind: 'text', note: '9 位乡镇（街道）或 12 位村代码，如 440117103' },
  { key: 'subjectName', header: '种养殖主体名称', width: 24, required: true },
  { key: 'subjectType', header: '主体类型', width: 16, required: true, list: SUBJECT_TYPES },
  { key: 'creditCode', header: '统一社会信用代码', width: 22, kind: 'text', note: '企业、合作社必填' },
  { key: 'productCode', header: '产品名称', width: 12, required: true, list: 'products' },
  { key: 'alias', header: '别名', width: 12 },
  { key: 'certification', header: '产品认证类型', width: 14, list: CERTIFICATIONS },
  { key: 'baseAddress', header: '基地地址', width: 30, required: true },
  { key: 'longitude', header: '经度（度）', width: 12, required: true, kind: 'number', note: '如 113.586700，中国境内 73.4–135.1' },
  { key: 'latitude', header: '纬度（度）', width: 12, required: true, kind: 'number', note: '如 23.548700，中国境内 3.8–53.6' },
  { key: 'contactName', header: '主体联系人', width: 12, required: true },
  { key: 'contactPhone', header: '主体联系方式', width: 16, required: true, kind: 'text', note: '11 位手机号或 020-87654321' },
  { key: 'scale', header: '种养规模', width: 10, required: true, kind: 'number', note: '种植亩数、存栏头数或只数、养殖亩数' },
  { key: 'unit', header: '规模单位', width: 10, list: UNITS, note: '按品种：种植与水产为亩，牛羊猪为头，鸡为只' },
  { key: 'marketStart', header: '上市时间', width: 12, required: true, kind: 'date', note: '日期，如 2026-05-01' },
  { key: 'marketEnd', header: '下市时间', width: 12, required: true, kind: 'date' },
  { key: 'productionMethod', header: '生产方式', width: 10, required: true, list: PRODUCTION_METHODS },
  { key: 'traceMethods', header: '追溯方式', width: 24, required: true, list: TRACE_METHODS, kind: 'multi', note: '可多选，用顿号“、”分隔' },
  { key: 'creditRating', header: '信用等级', width: 10, list: CREDIT_RATINGS },
  { key: 'gridWorkerName', header: '网格员姓名', width: 12, required: true },
  { key: 'gridWorkerPhone', header: '网格员联系方式', width: 16, required: true, kind: 'text' },
  { key: 'collectorName', header: '信息采集员姓名', width: 12, required: true },
  { key: 'collectorPhone', header: '信息采集员联系方式', width: 16, required: true, kind: 'text' },
];
const ERROR_HEADER = '错误说明（请按说明修改后重新导入）';
const TEMPLATE_ROWS = 2000;

function addOptionsSheet(wb: ExcelJS.Workbook, productNames: string[]) {
  const opt = wb.addWorksheet('选项', { state: 'veryHidden' });
  const ranges = new Map<string, string>();
  COLUMNS.forEach((c, i) => {
    if (!c.list) return;
    const labels = c.list === 'products' ? productNames : Object.values(c.list).map((v) => v[0]);
    const col = opt.getColumn(i + 1);
    labels.forEach((l, j) => {
      opt.getCell(j + 1, i + 1).value = l;
    });
    ranges.set(c.key, `'选项'!$${col.letter}$1:$${col.letter}$${labels.length}`);
  });
  return ranges;
}

function headerSheet(wb: ExcelJS.Workbook, productNames: string[], extra: string[] = [], validationRows = TEMPLATE_ROWS) {
  const ws = wb.addWorksheet('采集表', { views: [{ state: 'frozen', ySplit: 1 }] });
  const ranges = addOptionsSheet(wb, productNames);
  ws.columns = [...COLUMNS.map((c) => ({ header: c.required ? `*${c.header}` : c.header, key: c.key, width: c.width })), ...extra.map((h) => ({ header: h, key: h, width: 40 }))];
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.height = 30;
  COLUMNS.forEach((c, i) => {
    const cell = head.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFFE699' : 'FFDDEBF7' } };
    if (c.note) cell.note = c.note;
    if (c.kind === 'text') ws.getColumn(i + 1).numFmt = '@';
  });
  for (let r = 2; r <= validationRows + 1; r++) {
    COLUMNS.forEach((c, i) => {
      const cell = ws.getCell(r, i + 1);
      if (c.list) {
        cell.dataValidation = {
          type: 'list', allowBlank: !c.required, formulae: [ranges.get(c.key) as string], showErrorMessage: c.kind !== 'multi',
          errorStyle: c.kind === 'multi' ? 'information' : 'stop', errorTitle: '请从下拉列表选择', error: `请从下拉列表中选择${c.header}`,
        };
      } else if (c.kind === 'number') {
        cell.dataValidation = { type: 'decimal', operator: 'greaterThan', allowBlank: !c.required, formulae: [0], showErrorMessage: true, error: `${c.header}须为数字` };
      } else if (c.kind === 'date') {
        cell.dataValidation = { type: 'date', operator: 'greaterThan', allowBlank: !c.required, formulae: [new Date(2000, 0, 1)], showErrorMessage: true, error: `${c.header}须为日期` };
        cell.numFmt = 'yyyy-mm-dd';
      }
    });
  }
  return ws;
}

function instructions(wb: ExcelJS.Workbook, products: { name: string; threshold: number; facilityThreshold: number | null; unit: string }[]) {
  const ws = wb.addWorksheet('填写说明');
  ws.getColumn(1).width = 100;
  const lines = [
    '重点农产品产地溯源信息采集表 填写说明',
    '1. 带 * 的列必须填写；信息不全、不准的，不得上传（《推广应用实施方案》五（四））。',
    '2. 主体类型、产品名称、认证类型、规模单位、生产方式、追溯方式、信用等级请从下拉列表选择；追溯方式可多选，用顿号“、”分隔。',
    '3. 经纬度为十进制度数，须在所填乡镇所属区县范围内。',
    '4. 同一主体有多个基地或地块的，每个基地（地块）填一行。',
    '5. 采集范围（规模标准，低于标准的不予导入）：',
    ...products.map((p) => `   ${p.name}：${p.threshold} ${p.unit}以上${p.facilityThreshold !== null ? `（工程化/设施养殖 ${p.facilityThreshold} 亩以上）` : ''}`),
    '6. 导入有错误的行会返回“错误表”，修改后可直接再次导入；已导入的行按记录编号（或主体+品种+基地）更新，不会重复。',
  ];
  lines.forEach((l, i) => {
    ws.getCell(i + 1, 1).value = l;
  });
  ws.getRow(1).font = { bold: true, size: 14 };
}

export async function template(db: Kysely<DB>, divisionCode: string): Promise<Buffer> {
  const rules = await repo.Rules.load(db);
  const wb = new ExcelJS.Workbook();
  const products = rules.productCodes.map((c) => {
    const r = rules.at(c, divisionCode);
    if (!r) throw new Error('unreachable');
    return { name: r.name, threshold: r.threshold, facilityThreshold: r.facilityThreshold, unit: UNITS[r.unit][0] };
  });
  headerSheet(wb, products.map((p) => p.name));
  instructions(wb, products);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ── reading ──────────────────────────────────────────────────────────────────
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text);
    return '';
  }
  return String(v).trim();
}

export interface ParsedRow {
  row: number;
  raw: string[];
  input: RecordInput;
  errors: FieldError[];
}

/** Maps sheet headers to columns (tolerates a leading '*' and missing optional columns). */
function headerMap(ws: ExcelJS.Worksheet): Map<number, Column> {
  const map = new Map<number, Column>();
  ws.getRow(1).eachCell((cell, col) => {
    const h = cellText(cell.value).replace(/^\*/, '').trim();
    const c = COLUMNS.find((x) => x.header === h || h.startsWith(x.header.replace(/（.*$/, '')) && h.replace(/（.*$/, '') === x.header.replace(/（.*$/, ''));
    if (c) map.set(col, c);
  });
  return map;
}

export function parseSheet(ws: ExcelJS.Worksheet, rules: repo.Rules): { rows: ParsedRow[]; missingHeaders: string[] } {
  const map = headerMap(ws);
  const present = new Set([...map.values()].map((c) => c.key));
  const missingHeaders = COLUMNS.filter((c) => c.required && !present.has(c.key)).map((c) => c.header);
  const rows: ParsedRow[] = [];
  const productByName = new Map<string, string>();
  for (const code of rules.productCodes) {
    const p = rules.product(code);
    if (p) {
      productByName.set(p.name, code);
      productByName.set(code, code);
    }
  }
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n === 1) return;
    const raw: string[] = COLUMNS.map(() => '');
    const errors: FieldError[] = [];
    const input: Record<string, unknown> = { geoSource: 'import' };
    let any = false;
    for (const [col, c] of map) {
      const text = cellText(row.getCell(col).value);
      raw[COLUMNS.indexOf(c)] = text;
      if (text) any = true;
      if (!text) continue;
      if (c.key === 'unit') continue;
      if (c.list === 'products') {
        const code = productByName.get(text);
        if (!code) errors.push({ field: c.key, zh: `“${text}”不是 12 个重点品种之一`, en: `"${text}" is not a key product` });
        input[c.key] = code ?? text;
      } else if (c.kind === 'multi' && c.list) {
        const parts = text.split(/[、,，;；\s]+/).filter(Boolean);
        const codes = parts.map((p) => codeOfLabel(c.list as Enum, p));
        parts.forEach((p, i) => {
          if (!codes[i]) errors.push({ field: c.key, zh: `“${p}”不是下拉列表中的选项`, en: `"${p}" is not an allowed value` });
        });
        input[c.key] = codes.filter(Boolean);
      } else if (c.list) {
        const code = codeOfLabel(c.list as Enum, text);
        if (!code) errors.push({ field: c.key, zh: `“${text}”不是下拉列表中的选项`, en: `"${text}" is not an allowed value` });
        input[c.key] = code ?? text;
      } else if (c.kind === 'number') {
        const v = Number(text);
        if (!Number.isFinite(v)) errors.push({ field: c.key, zh: `“${text}”不是数字`, en: `"${text}" is not a number` });
        input[c.key] = Number.isFinite(v) ? v : null;
      } else if (c.kind === 'date') {
        const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
        input[c.key] = m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : text;
      } else input[c.key] = text;
    }
    if (!any) return;
    // The unit column, when filled, must be the product's unit.
    const unitText = raw[COLUMNS.findIndex((c) => c.key === 'unit')];
    const rule = rules.at(String(input.productCode ?? ''), String(input.divisionCode ?? ''));
    if (unitText && rule && codeOfLabel(UNITS, unitText) !== rule.unit)
      errors.push({ field: 'unit', zh: `${rule.name}的规模单位应为“${UNITS[rule.unit][0]}”`, en: `the unit of ${rule.code} is ${rule.unit}` });
    const rec = { subjectName: '', subjectType: '', productCode: '', baseAddress: '', contactName: '', contactPhone: '', productionMethod: '', divisionCode: '', ...input, scale: input.scale ?? Number.NaN } as RecordInput;
    const checked = checkRecord(rec, rule, true).filter((e) => !errors.some((x) => x.field === e.field));
    rows.push({ row: n, raw, input: rec, errors: [...errors, ...checked] });
  });
  return { rows, missingHeaders };
}

const headerOf = (field: string) => COLUMNS.find((c) => c.key === field)?.header ?? field;
export const describeErrors = (errs: FieldError[]) => errs.map((e) => `【${headerOf(e.field)}】${e.zh}`).join('；');

async function errorWorkbook(rules: repo.Rules, bad: ParsedRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = headerSheet(wb, rules.productCodes.map((c) => rules.product(c)?.name ?? c), [ERROR_HEADER], Math.min(bad.length, TEMPLATE_ROWS));
  for (const [i, r] of bad.entries()) {
    const row = ws.getRow(i + 2);
    row.values = [...r.raw, describeErrors(r.errors)];
    const errCell = row.getCell(COLUMNS.length + 1);
    errCell.font = { color: { argb: 'FFC00000' } };
    for (const e of r.errors) {
      const i = COLUMNS.findIndex((c) => c.key === e.field);
      if (i >= 0) row.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ── the import job ─────────────────────────────────────────────────────────────
async function readRows(content: Buffer, rules: repo.Rules): Promise<{ rows: ParsedRow[]; missingHeaders: string[] } | null> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(content as never);
  } catch {
    return null;
  }
  const ws = wb.getWorksheet('采集表') ?? wb.worksheets[0];
  return ws ? parseSheet(ws, rules) : { rows: [], missingHeaders: COLUMNS.filter((c) => c.required).map((c) => c.header) };
}

const BATCH = 1000;
const COMPARED = [
  'division_code', 'subject_name', 'subject_type', 'credit_code', 'product_code', 'alias', 'certification', 'base_address', 'longitude', 'latitude',
  'contact_name', 'contact_phone', 'scale', 'market_start', 'market_end', 'production_method', 'trace_methods', 'credit_rating', 'grid_worker_name',
  'grid_worker_phone', 'collector_name', 'collector_phone',
] as const;
const same = (a: unknown, b: unknown) => {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return (a ?? null) === (b ?? null);
};

export interface ImportOutcome {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  firstErrors: { row: number; message: string }[];
}

/**
 * Runs an import (job kind `origin.import`, payload {importId}). Every row is validated; good rows are inserted or
 * updated by key in batches of 1,000 (one transaction each, so a crash leaves whole batches and a re-import
 * completes the rest); bad rows go to the error workbook. Updated records re-enter review.
 */
export async function runImport(job: Pick<JobContext, 'db' | 'payload' | 'progress'>): Promise<ImportOutcome> {
  const db = job.db;
  const imp = await repo.importById(db, String(job.payload.importId));
  if (!imp) throw new Error('import not found');
  const actor = await db.selectFrom('account as a').innerJoin('organisation as o', 'o.id', 'a.org_id').select(['a.id', 'a.username', 'a.org_id']).where('a.id', '=', imp.created_by).executeTakeFirstOrThrow();
  const scope = imp.division_code;
  const rules = await repo.Rules.load(db);
  // Read in a helper so the workbook (the bulk of the memory) is garbage as soon as the rows are out of it.
  const read = await readRows(imp.content, rules);
  imp.content = Buffer.alloc(0);
  if (!read) {
    await db.updateTable('origin_import').set({ status: 'failed', errors: JSON.stringify([{ row: 0, message: '文件不是有效的 .xlsx 表格' }]) }).where('id', '=', imp.id).execute();
    await job.progress(0, 0);
    return { total: 0, created: 0, updated: 0, unchanged: 0, errors: 1, firstErrors: [{ row: 0, message: '文件不是有效的 .xlsx 表格' }] };
  }
  const { rows, missingHeaders } = read;
  if (missingHeaders.length) {
    const message = `缺少必填列：${missingHeaders.join('、')}（请使用系统下载的模板）`;
    await db.updateTable('origin_import').set({ status: 'failed', total_rows: rows.length, errors: JSON.stringify([{ row: 1, message }]) }).where('id', '=', imp.id).execute();
    await job.progress(0, 0);
    return { total: rows.length, created: 0, updated: 0, unchanged: 0, errors: 1, firstErrors: [{ row: 1, message }] };
  }
  await job.progress(0, rows.length);
  // Divisions: existence and jurisdiction, in one query.
  const divs = await repo.existingDivisions(db, [...new Set(rows.map((r) => r.input.divisionCode).filter((c) => /^\d{9}(\d{3})?$/.test(c)))]);
  const seen = new Map<string, number>();
  const colsOf = new Map<ParsedRow, ReturnType<typeof toColumns>>();
  for (const r of rows) {
    const code = r.input.divisionCode;
    if (code && /^\d{9}(\d{3})?$/.test(code)) {
      if (!divs.has(code)) r.errors.push({ field: 'divisionCode', zh: `区划代码 ${code} 不存在`, en: `division ${code} does not exist` });
      else if (!inScope(scope, code)) r.errors.push({ field: 'divisionCode', zh: `${code} 不在您的管辖范围内`, en: `${code} is outside your jurisdiction` });
    }
    if (r.errors.length) continue;
    const cols = toColumns(r.input, rules);
    const prev = seen.get(cols.record_key);
    if (prev !== undefined) {
      r.errors.push({ field: 'baseAddress', zh: `与第 ${prev} 行是同一主体、品种、基地（重复行）`, en: `duplicates row ${prev} (same subject, product and base)` });
      continue;
    }
    seen.set(cols.record_key, r.row);
    colsOf.set(r, cols);
  }
  const good = rows.filter((r) => !r.errors.length);
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  const touchedCounties = new Set<string>();
  for (let i = 0; i < good.length; i += BATCH) {
    const batch = good.slice(i, i + BATCH);
    await db.transaction().execute(async (trx) => {
      const existing = new Map((await repo.recordsByKeys(trx, batch.map((r) => (colsOf.get(r) as ReturnType<typeof toColumns>).record_key))).map((e) => [e.record_key, e]));
      const write: Insertable<OriginRecordTable>[] = [];
      const subjects = await matchSubjects(trx, batch.map((r) => {
        const c = colsOf.get(r) as ReturnType<typeof toColumns>;
        return { creditCode: c.credit_code, subjectName: c.subject_name, countyCode: c.county_code };
      }));
      batch.forEach((r, j) => {
        const { _industry, ...cols } = colsOf.get(r) as ReturnType<typeof toColumns>;
        const old = existing.get(cols.record_key);
        if (old && !inScope(scope, old.division_code)) {
          r.errors.push({ field: 'recordKey', zh: '该记录属于其他辖区，不能由您更新', en: 'this record belongs to another jurisdiction' });
          return;
        }
        if (old && COMPARED.every((k) => same(old[k], cols[k]))) {
          unchanged++;
          return;
        }
        if (old) {
          updated++;
          if (old.approved_at) touchedCounties.add(old.county_code).add(cols.county_code);
        } else created++;
        write.push({ ...cols, subject_id: subjects[j], status: 'submitted', collected_at: new Date(), created_by: imp.created_by, updated_by: imp.created_by });
      });
      // Large multi-row statements: keep each under PostgreSQL's 65,535 parameters.
      for (let k = 0; k < write.length; k += 1500) await repo.upsertRecords(trx, write.slice(k, k + 1500));
    });
    await job.progress(Math.min(i + BATCH, good.length), rows.length);
  }
  if (touchedCounties.size) await repo.refreshCells(db, [...touchedCounties]);
  const bad = rows.filter((r) => r.errors.length);
  const errorFile = bad.length ? await errorWorkbook(rules, bad) : null;
  const firstErrors = bad.slice(0, 200).map((r) => ({ row: r.row, message: describeErrors(r.errors) }));
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('origin_import').set({
      status: 'done', total_rows: rows.length, created_rows: created, updated_rows: updated, unchanged_rows: unchanged, error_rows: bad.length,
      errors: JSON.stringify(firstErrors), error_file: errorFile,
    }).where('id', '=', imp.id).execute();
    await trx.insertInto('audit_log').values({
      actor_id: actor.id, actor_name: actor.username, org_id: actor.org_id, on_behalf_of: null, verb: 'origin.collect', target_type: 'origin_import', target_id: imp.id,
      division_code: scope, ip: null, summary: JSON.stringify({ action: 'import', file: imp.file_name, total: rows.length, created, updated, unchanged, errors: bad.length }),
    }).execute();
  });
  await job.progress(rows.length, rows.length);
  return { total: rows.length, created, updated, unchanged, errors: bad.length, firstErrors: firstErrors.slice(0, 20) };
}

// ── export ("一张表") ─────────────────────────────────────────────────────────
export const EXPORT_LIMIT = 200_000;
export async function exportTable(db: Kysely<DB>, f: repo.RecordFilter): Promise<{ buffer: Buffer; rows: number }> {
  const rules = await repo.Rules.load(db);
  const wb = new ExcelJS.Workbook();
  const ws = headerSheet(wb, rules.productCodes.map((c) => rules.product(c)?.name ?? c), ['所属乡镇', '状态', '审核意见', '采集时间'], 0);
  const lbl = (e: Enum, c: string | null) => (c && e[c] ? e[c][0] : '');
  let after: string | null = null;
  let n = 0;
  for (;;) {
    const page = await repo.exportPage(db, f, after, 5000);
    for (const r of page) {
      ws.addRow([
        r.record_key, r.division_code, r.subject_name, lbl(SUBJECT_TYPES, r.subject_type), r.credit_code ?? '', r.product_name, r.alias ?? '', lbl(CERTIFICATIONS, r.certification),
        r.base_address, r.longitude, r.latitude, r.contact_name, r.contact_phone, Number(r.scale), lbl(UNITS, r.unit), r.market_start ?? '', r.market_end ?? '',
        lbl(PRODUCTION_METHODS, r.production_method), r.trace_methods.map((t) => lbl(TRACE_METHODS, t)).join('、'), lbl(CREDIT_RATINGS, r.credit_rating),
        r.grid_worker_name ?? '', r.grid_worker_phone ?? '', r.collector_name ?? '', r.collector_phone ?? '',
        r.division_name ?? '', lbl(STATUSES, r.status), r.review_comment ?? '', r.collected_at.toISOString().slice(0, 10),
      ]);
      n++;
    }
    if (page.length < 5000 || n >= EXPORT_LIMIT) break;
    after = page[page.length - 1].id;
  }
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows: n };
}

