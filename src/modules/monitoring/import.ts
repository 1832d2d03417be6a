import { newWorkbook } from '../../kernel/excel.js';
import { Type } from 'typebox';
import type { Ctx } from '../../kernel/context.js';
import { type ImportDef, type ImportRow, importReportWith } from '../../kernel/imports.js';
import { Problem } from '../../kernel/problems.js';
import { Nullable, Uuid } from '../../kernel/schemas.js';
import { type FieldError, type SheetColumn, workbookBuffer } from '../../kernel/spreadsheet.js';
import * as repo from './repo.js';
import type { ResultInput } from './schemas.js';
import { judge, submitTestResults } from './service/results.js';

/**
 * Excel import of test results (检测结果批量导入) through the import pipeline (kernel/imports.ts): rows for many
 * sampling sheets in one workbook; all rows valid, or nothing is written — invalid rows are refused at once (400
 * IMPORT_ROWS_INVALID, a detail per row), then the job enters the results sheet by sheet (a failed item opens the
 * risk case as with single entry).
 */
type Key = 'sampleCode' | 'item' | 'value' | 'unit' | 'limit' | 'standard' | 'result';
const COLUMNS: SheetColumn<Key>[] = [
  { key: 'sampleCode', header: '样品编号', en: 'sampleCode', required: true },
  { key: 'item', header: '检测项目', en: 'item', required: true },
  { key: 'value', header: '检测值', en: 'value', required: true },
  { key: 'unit', header: '单位', en: 'unit', required: true },
  { key: 'limit', header: '限量', en: 'limit' },
  { key: 'standard', header: '判定依据', en: 'standard', required: true },
  { key: 'result', header: '判定结果', en: 'result' },
];

interface Row {
  sampleCode: string;
  input: ResultInput;
}
interface State {
  bySheet: Map<string, { sampleCode: string; results: ResultInput[] }>;
  written: { sheetId: string; sampleCode: string; status: string; riskCaseId: string | null }[];
}

const err = (field: Key, zh: string, en: string): { errors: FieldError[] } => ({ errors: [{ field, zh, en }] });

/** The row validator: one result, or the first problem of the row. */
function parse(get: (k: Key) => string): { value: Row } | { errors: FieldError[] } {
  const r = Object.fromEntries(COLUMNS.map((c) => [c.key, get(c.key)])) as Record<Key, string>;
  if (!r.item) return err('item', '必填', 'required');
  const num = Number(r.value);
  const value = r.value !== '' && Number.isFinite(num) ? num : null;
  const limNum = Number(r.limit);
  const limit = r.limit !== '' && Number.isFinite(limNum) ? limNum : null;
  if (r.limit !== '' && limit === null) return err('limit', `“${r.limit}”不是数字`, `"${r.limit}" is not a number`);
  const res = r.result.toLowerCase();
  const passed =
    r.result === '合格' || res === 'pass' ? true : r.result === '不合格' || res === 'fail' ? false : undefined;
  const input: ResultInput = {
    item: r.item,
    value,
    valueText: value === null ? r.value || null : null,
    unit: r.unit,
    limit,
    standard: r.standard,
    passed,
  };
  try {
    if (!r.unit || !r.standard) return err('result', '单位和判定依据必填', 'unit and standard are required');
    judge(input, 'x');
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    return err('result', e.message, e.messageEn);
  }
  return { value: { sampleCode: r.sampleCode, input } };
}

/** The sheets must exist, be this lab's and still await results; an item once per sheet. */
async function check(ctx: Ctx, rows: ImportRow<Row>[], state: State) {
  const sheets = new Map(
    (await repo.sheetsByCodes(ctx.db, [...new Set(rows.map((r) => r.value.sampleCode))])).map((s) => [
      s.sample_code,
      s,
    ]),
  );
  return rows.map(({ value: r }): FieldError[] | undefined => {
    const s = sheets.get(r.sampleCode);
    if (!s) return err('sampleCode', `样品编号“${r.sampleCode}”不存在`, `no sample "${r.sampleCode}"`).errors;
    if (s.testing_org_id !== ctx.actor.orgId && ctx.actor.orgKind === 'testing')
      return err('sampleCode', '不是本机构的样品', 'not a sample of your organisation').errors;
    if (s.status !== 'sampled') return err('sampleCode', '该样品已录入过结果', 'results already entered').errors;
    const sheet = state.bySheet.get(s.id) ?? { sampleCode: s.sample_code, results: [] };
    if (sheet.results.some((x) => x.item === r.input.item))
      return err('item', `“${r.input.item}”重复`, `"${r.input.item}" repeated`).errors;
    sheet.results.push(r.input);
    state.bySheet.set(s.id, sheet);
    return undefined;
  });
}

export const ResultsReport = importReportWith(
  Type.Object({
    imported: Type.Integer(),
    sheets: Type.Array(
      Type.Object({ sheetId: Uuid, sampleCode: Type.String(), status: Type.String(), riskCaseId: Nullable(Uuid) }),
    ),
  }),
);

export const resultsImport: ImportDef<Key, State, Row, { imported: number; sheets: State['written'] }> = {
  kind: 'monitoring.results-import',
  name: { zh: 'Excel 批量导入检测结果（全部正确才导入）', en: 'Import test results from Excel (all rows or none)' },
  verb: 'monitoring.test',
  ownerType: 'test_results_import',
  columns: COLUMNS,
  atOnce: 'rows',
  atomic: true,
  batchSize: Number.POSITIVE_INFINITY,
  errorFileName: '检测结果导入错误行.xlsx',
  begin: async () => ({ bySheet: new Map(), written: [] }),
  parse: (row) => parse(row.get),
  check,
  async write(ctx, rows, state) {
    for (const [sheetId, s] of state.bySheet) {
      const r = await submitTestResults(ctx, sheetId, s.results);
      state.written.push({ sheetId, sampleCode: r.sampleCode, status: r.status, riskCaseId: r.riskCaseId });
    }
    return rows.map(() => 'inserted' as const);
  },
  finish: async (_ctx, state, report) => ({ imported: report.inserted, sheets: state.written }),
};

export async function resultsTemplate(): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('检测结果');
  ws.addRow(COLUMNS.map((c) => c.header));
  ws.addRow(['JC20264401170001-0001', '毒死蜱', 0.12, 'mg/kg', 0.02, 'GB 2763-2021', '']);
  ws.addRow(['JC20264401170001-0001', '克百威', '未检出', 'mg/kg', 0.02, 'GB 2763-2021', '合格']);
  ws.columns.forEach((c) => {
    c.width = 22;
  });
  return await workbookBuffer(wb);
}
