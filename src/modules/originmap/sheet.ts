import { PassThrough, type Writable } from 'node:stream';
import type * as ExcelJS from 'exceljs';
import { excel, newWorkbook } from '../../kernel/excel.js';
import type { Kysely } from 'kysely';
import type { RejectedRow } from '../../kernel/imports.js';
import { yieldToRequests } from '../../kernel/jobs.js';
import { type SheetColumn, mapHeaders, safeCellText, workbookBuffer } from '../../kernel/spreadsheet.js';
import type { DB } from '../../schema.js';
import * as repo from './repo.js';
import { Rules } from './rules.js';
import {
  CERTIFICATIONS,
  CERTIFICATION_LABELS,
  CREDIT_RATINGS,
  CREDIT_RATING_LABELS,
  type Label,
  PRODUCTION_METHODS,
  PRODUCTION_METHOD_LABELS,
  PRODUCT_CODES,
  PRODUCT_LABELS,
  SUBJECT_TYPES,
  SUBJECT_TYPE_LABELS,
  TRACE_METHODS,
  TRACE_METHOD_LABELS,
  UNITS,
  UNIT_LABELS,
} from './schemas.js';
import { recordFlow } from './states.js';
import type { RecordInput } from './validate.js';

/**
 * The spreadsheet (采集表): one sheet "采集表" with these columns (Chinese headers, units in the header, dropdowns
 * for every enumeration from the hidden sheet "选项"), and a sheet "填写说明". Export writes the same columns
 * (plus status), so an exported table can be corrected and imported again; so does the error workbook.
 */
export interface Choices {
  codes: readonly string[];
  labels: Record<string, Label>;
}
const choices = <T extends string>(codes: readonly T[], labels: Record<T, Label>): Choices => ({ codes, labels });
export const LISTS = {
  products: choices(PRODUCT_CODES, PRODUCT_LABELS),
  subjectTypes: choices(SUBJECT_TYPES, SUBJECT_TYPE_LABELS),
  certifications: choices(CERTIFICATIONS, CERTIFICATION_LABELS),
  units: choices(UNITS, UNIT_LABELS),
  productionMethods: choices(PRODUCTION_METHODS, PRODUCTION_METHOD_LABELS),
  traceMethods: choices(TRACE_METHODS, TRACE_METHOD_LABELS),
  creditRatings: choices(CREDIT_RATINGS, CREDIT_RATING_LABELS),
};
/** Code of a Chinese (or English, or code) label; undefined when unknown. */
export function codeOfLabel(list: Choices, label: string): string | undefined {
  const l = label.trim();
  return list.codes.find((c) => {
    const x = list.labels[c];
    return l === x.zh || l === c || l.toLowerCase() === x.en.toLowerCase();
  });
}

export type ColumnKey = Exclude<keyof RecordInput, 'geoSource' | 'gpsAccuracyM'> | 'unit';
export interface Column extends SheetColumn<ColumnKey> {
  width: number;
  list?: Choices;
  kind?: 'number' | 'date' | 'text' | 'multi';
  note?: string;
}
export const COLUMNS: Column[] = [
  {
    key: 'recordKey',
    header: '记录编号',
    en: 'Record number',
    width: 22,
    note: '选填。导出的表格带有编号；再次导入时按编号更新原记录。不填时按“乡镇代码+信用代码（无则主体名称）+品种+基地地址”更新',
  },
  {
    key: 'divisionCode',
    header: '乡镇（街道）代码',
    en: 'Township code',
    width: 16,
    required: true,
    kind: 'text',
    note: '9 位乡镇（街道）或 12 位村代码，如 440117103',
  },
  { key: 'subjectName', header: '种养殖主体名称', en: 'Producer', width: 24, required: true },
  {
    key: 'subjectType',
    header: '主体类型',
    en: 'Producer type',
    width: 16,
    required: true,
    list: LISTS.subjectTypes,
  },
  {
    key: 'creditCode',
    header: '统一社会信用代码',
    en: 'Credit code',
    width: 22,
    kind: 'text',
    note: '企业、合作社必填',
  },
  { key: 'productCode', header: '产品名称', en: 'Product', width: 12, required: true, list: LISTS.products },
  { key: 'alias', header: '别名', en: 'Alias', width: 12 },
  { key: 'certification', header: '产品认证类型', en: 'Certification', width: 14, list: LISTS.certifications },
  { key: 'baseAddress', header: '基地地址', en: 'Base address', width: 30, required: true },
  {
    key: 'longitude',
    header: '经度（度）',
    en: 'Longitude',
    width: 12,
    required: true,
    kind: 'number',
    note: '如 113.586700，中国境内 73.4–135.1',
  },
  {
    key: 'latitude',
    header: '纬度（度）',
    en: 'Latitude',
    width: 12,
    required: true,
    kind: 'number',
    note: '如 23.548700，中国境内 3.8–53.6',
  },
  { key: 'contactName', header: '主体联系人', en: 'Contact', width: 12, required: true },
  {
    key: 'contactPhone',
    header: '主体联系方式',
    en: 'Contact phone',
    width: 16,
    required: true,
    kind: 'text',
    note: '11 位手机号或 020-87654321',
  },
  {
    key: 'scale',
    header: '种养规模',
    en: 'Scale',
    width: 10,
    required: true,
    kind: 'number',
    note: '种植亩数、存栏头数或只数、养殖亩数',
  },
  {
    key: 'unit',
    header: '规模单位',
    en: 'Unit',
    width: 10,
    list: LISTS.units,
    note: '按品种：种植与水产为亩，牛羊猪为头，鸡为只',
  },
  {
    key: 'marketStart',
    header: '上市时间',
    en: 'Market start',
    width: 12,
    required: true,
    kind: 'date',
    note: '日期，如 2026-05-01',
  },
  { key: 'marketEnd', header: '下市时间', en: 'Market end', width: 12, required: true, kind: 'date' },
  {
    key: 'productionMethod',
    header: '生产方式',
    en: 'Production method',
    width: 10,
    required: true,
    list: LISTS.productionMethods,
  },
  {
    key: 'traceMethods',
    header: '追溯方式',
    en: 'Traceability',
    width: 24,
    required: true,
    list: LISTS.traceMethods,
    kind: 'multi',
    note: '可多选，用顿号“、”分隔',
  },
  { key: 'creditRating', header: '信用等级', en: 'Credit rating', width: 10, list: LISTS.creditRatings },
  { key: 'gridWorkerName', header: '网格员姓名', en: 'Grid worker', width: 12, required: true },
  {
    key: 'gridWorkerPhone',
    header: '网格员联系方式',
    en: 'Grid worker phone',
    width: 16,
    required: true,
    kind: 'text',
  },
  { key: 'collectorName', header: '信息采集员姓名', en: 'Collector', width: 12, required: true },
  {
    key: 'collectorPhone',
    header: '信息采集员联系方式',
    en: 'Collector phone',
    width: 16,
    required: true,
    kind: 'text',
  },
];
export const SHEET = '采集表';
const ERROR_HEADER = '错误说明（请按说明修改后重新导入）';
const TEMPLATE_ROWS = 2000;

function addOptionsSheet(wb: ExcelJS.Workbook) {
  const opt = wb.addWorksheet('选项', { state: 'veryHidden' });
  const ranges = new Map<string, string>();
  COLUMNS.forEach((c, i) => {
    if (!c.list) return;
    const list = c.list;
    const col = opt.getColumn(i + 1);
    list.codes.forEach((code, j) => {
      opt.getCell(j + 1, i + 1).value = list.labels[code].zh;
    });
    ranges.set(c.key, `'选项'!$${col.letter}$1:$${col.letter}$${list.codes.length}`);
  });
  return ranges;
}

function headerSheet(wb: ExcelJS.Workbook, extra: string[] = [], validationRows = TEMPLATE_ROWS) {
  const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  const ranges = addOptionsSheet(wb);
  ws.columns = [
    ...COLUMNS.map((c) => ({ header: c.required ? `*${c.header}` : c.header, key: c.key, width: c.width })),
    ...extra.map((h) => ({ header: h, key: h, width: 40 })),
  ];
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
          type: 'list',
          allowBlank: !c.required,
          formulae: [ranges.get(c.key) as string],
          showErrorMessage: c.kind !== 'multi',
          errorStyle: c.kind === 'multi' ? 'information' : 'stop',
          errorTitle: '请从下拉列表选择',
          error: `请从下拉列表中选择${c.header}`,
        };
      } else if (c.kind === 'number') {
        cell.dataValidation = {
          type: 'decimal',
          operator: 'greaterThan',
          allowBlank: !c.required,
          formulae: [0],
          showErrorMessage: true,
          error: `${c.header}须为数字`,
        };
      } else if (c.kind === 'date') {
        cell.dataValidation = {
          type: 'date',
          operator: 'greaterThan',
          allowBlank: !c.required,
          formulae: [new Date(2000, 0, 1)],
          showErrorMessage: true,
          error: `${c.header}须为日期`,
        };
        cell.numFmt = 'yyyy-mm-dd';
      }
    });
  }
  return ws;
}

function instructions(
  wb: ExcelJS.Workbook,
  products: { name: string; threshold: number; facilityThreshold: number | null; unit: string }[],
) {
  const ws = wb.addWorksheet('填写说明');
  ws.getColumn(1).width = 100;
  const lines = [
    '重点农产品产地溯源信息采集表 填写说明',
    '1. 带 * 的列必须填写；信息不全、不准的，不得上传（《推广应用实施方案》五（四））。',
    '2. 主体类型、产品名称、认证类型、规模单位、生产方式、追溯方式、信用等级请从下拉列表选择；追溯方式可多选，用顿号“、”分隔。',
    '3. 经纬度为十进制度数，须在所填乡镇所属区县范围内。',
    '4. 同一主体有多个基地或地块的，每个基地（地块）填一行。',
    '5. 采集范围（规模标准，低于标准的不予导入）：',
    ...products.map(
      (p) =>
        `   ${p.name}：${p.threshold} ${p.unit}以上${p.facilityThreshold !== null ? `（工程化/设施养殖 ${p.facilityThreshold} 亩以上）` : ''}`,
    ),
    '6. 导入有错误的行会返回“错误表”，修改后可直接再次导入；已导入的行按记录编号（或主体+品种+基地）更新，不会重复。',
  ];
  lines.forEach((l, i) => {
    ws.getCell(i + 1, 1).value = l;
  });
  ws.getRow(1).font = { bold: true, size: 14 };
}

/** The collection template with the standards in force at the caller's division. */
export async function template(db: Kysely<DB>, divisionCode: string): Promise<Buffer> {
  const rules = await Rules.load(db);
  const wb = newWorkbook();
  const products = rules.productCodes.flatMap((c) => {
    const r = rules.at(c, divisionCode);
    return r
      ? [{ name: r.name, threshold: r.threshold, facilityThreshold: r.facilityThreshold, unit: UNIT_LABELS[r.unit].zh }]
      : [];
  });
  headerSheet(wb);
  instructions(wb, products);
  return await workbookBuffer(wb);
}

/**
 * The error workbook: the template's sheet (dropdowns included) holding the rejected rows in the template's column
 * order, the reasons in a last column (Chinese, then English) and the faulty cells shaded, ready to fix and import.
 */
export async function errorWorkbook(header: readonly string[], bad: readonly RejectedRow[]): Promise<Buffer> {
  const { index } = mapHeaders(COLUMNS, header);
  const wb = newWorkbook();
  const ws = headerSheet(wb, [ERROR_HEADER], Math.min(bad.length, TEMPLATE_ROWS));
  for (const [i, r] of bad.entries()) {
    const row = ws.getRow(i + 2);
    const cells = COLUMNS.map((c) => {
      const at = index.get(c.key);
      return at === undefined ? '' : (r.cells[at] ?? '');
    });
    row.values = [...cells, `${r.zh}\n${r.en}`];
    const errCell = row.getCell(COLUMNS.length + 1);
    errCell.font = { color: { argb: 'FFC00000' } };
    errCell.alignment = { wrapText: true, vertical: 'top' };
    for (const e of r.errors) {
      const at = COLUMNS.findIndex((c) => c.key === e.field);
      if (at >= 0) row.getCell(at + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };
    }
  }
  return await workbookBuffer(wb);
}

// ── export ("一张表") ─────────────────────────────────────────────────────────
export const EXPORT_LIMIT = 200_000;
const EXPORT_PAGE = 2000;
const EXPORT_EXTRA = ['所属乡镇', '状态', '审核意见', '采集时间'];

/**
 * The filtered table as the template's sheet (same headers, so it imports again) plus township, status, review
 * comment and collection date — streamed: exceljs's WorkbookWriter writes each page of rows to `out` as it is read
 * (keyset pages of 2,000, each a short query, yielding between pages), so a province-wide export neither holds the
 * workbook in memory nor the database connection (issue 12 item 13). Returns the rows written.
 */
export async function exportTable(db: Kysely<DB>, f: repo.RecordFilter, out: Writable): Promise<number> {
  const wb = new (excel().stream.xlsx.WorkbookWriter)({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    ...COLUMNS.map((c) => ({
      header: c.required ? `*${c.header}` : c.header,
      key: c.key,
      width: c.width,
      ...(c.kind === 'text' ? { style: { numFmt: '@' } } : {}),
    })),
    ...EXPORT_EXTRA.map((h) => ({ header: h, key: h, width: 40 })),
  ];
  const head = ws.getRow(1);
  head.font = { bold: true };
  head.height = 30;
  COLUMNS.forEach((c, i) => {
    head.getCell(i + 1).fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: c.required ? 'FFFFE699' : 'FFDDEBF7' },
    };
  });
  head.commit();
  const lbl = (list: Choices, c: string | null) => (c && list.labels[c] ? list.labels[c].zh : '');
  let after: string | null = null;
  let n = 0;
  for (;;) {
    const page = await repo.exportPage(db, f, after, Math.min(EXPORT_PAGE, EXPORT_LIMIT - n));
    for (const r of page) {
      ws.addRow(
        [
          r.record_key,
          r.division_code,
          r.subject_name,
          lbl(LISTS.subjectTypes, r.subject_type),
          r.credit_code ?? '',
          lbl(LISTS.products, r.product_code),
          r.alias ?? '',
          lbl(LISTS.certifications, r.certification),
          r.base_address,
          r.longitude,
          r.latitude,
          r.contact_name,
          r.contact_phone,
          Number(r.scale),
          lbl(LISTS.units, r.unit),
          r.market_start ?? '',
          r.market_end ?? '',
          lbl(LISTS.productionMethods, r.production_method),
          r.trace_methods.map((t) => lbl(LISTS.traceMethods, t)).join('、'),
          lbl(LISTS.creditRatings, r.credit_rating),
          r.grid_worker_name ?? '',
          r.grid_worker_phone ?? '',
          r.collector_name ?? '',
          r.collector_phone ?? '',
          r.division_name ?? '',
          recordFlow.stateLabel(r.status).zh,
          r.review_comment ?? '',
          r.collected_at.toISOString().slice(0, 10),
        ].map((v) => (typeof v === 'string' ? safeCellText(v) : v)),
      ).commit();
      n++;
    }
    if (page.length < EXPORT_PAGE || n >= EXPORT_LIMIT) break;
    after = page[page.length - 1].id;
    // Let the rows written so far drain to the client, and waiting requests have the connection.
    await yieldToRequests();
  }
  ws.commit();
  await wb.commit();
  return n;
}

/** The export as a stream for the HTTP answer, with its row count known before the first byte (`x-row-count`). */
export async function exportStream(
  db: Kysely<DB>,
  f: repo.RecordFilter,
  log: { error: (o: object, m: string) => void },
): Promise<{ stream: PassThrough; rows: number }> {
  const rows = Math.min(await repo.exportCount(db, f), EXPORT_LIMIT);
  const stream = new PassThrough();
  exportTable(db, f, stream).catch((err) => {
    log.error({ err }, 'origin export failed');
    stream.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return { stream, rows };
}
