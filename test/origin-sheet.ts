import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { expect } from 'vitest';
import type { TestApp } from './helpers.js';

/** Origin-map import fixtures (采集表) shared by the origin-map test files. */

/** The downloaded template (headers, dropdowns, hidden option sheet) with `rows` from row 2. */
export async function originWorkbook(
  t: TestApp,
  token: string,
  rows: (string | number | null | undefined)[][],
): Promise<Buffer> {
  const res = await t.req(token, { method: 'GET', url: '/api/v1/origin/import-template.xlsx' });
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as never);
  const ws = wb.getWorksheet('采集表') as ExcelJS.Worksheet;
  rows.forEach((r, i) => {
    ws.getRow(i + 2).values = r as ExcelJS.CellValue[];
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A good template row in `town` (columns as in the template); `over` replaces cells by index. */
export function originRow(town: string, over: Partial<Record<number, string | number | null>> = {}) {
  const base: (string | number | null | undefined)[] = [
    null,
    town,
    '张三',
    '农户',
    null,
    '豇豆',
    '白豆角',
    '无',
    '温泉镇石坑村3号地',
    113.58,
    23.55,
    '张三',
    '13712345678',
    3,
    '亩',
    '2026-06-01',
    '2026-10-31',
    '露地',
    '承诺达标合格证、追溯码',
    '未评级',
    '罗芳',
    '13900139000',
    '钟叔',
    '13600136000',
  ];
  for (const [k, v] of Object.entries(over)) base[Number(k)] = v;
  return base;
}
