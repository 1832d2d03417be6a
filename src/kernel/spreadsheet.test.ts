import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { excel } from './excel.js';
import { readXlsx } from './spreadsheet.js';

excel();

/** A workbook with a hidden option sheet first and the data sheet second, a shared string, a date and a number. */
async function workbook(rows = 3): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const opts = wb.addWorksheet('选项', { state: 'hidden' });
  opts.addRow(['露地', '设施']);
  const ws = wb.addWorksheet('采集表');
  ws.addRow(['*乡镇', '*采收日期', '面积']);
  for (let i = 0; i < rows; i++) {
    const row = ws.addRow([`温泉镇${i}号地`, new Date(Date.UTC(2026, 5, 1 + (i % 28))), i + 0.5]);
    row.getCell(2).numFmt = 'yyyy-mm-dd';
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same workbook with its zip entries stored in `order` (paths matched by prefix), the rest after them. */
async function reordered(data: Buffer, order: string[]): Promise<Buffer> {
  const src = await JSZip.loadAsync(data);
  const names = Object.keys(src.files).filter((n) => !src.files[n].dir);
  const rank = (n: string) => {
    const i = order.findIndex((p) => n.startsWith(p));
    return i < 0 ? order.length : i;
  };
  const out = new JSZip();
  for (const n of names.sort((a, b) => rank(a) - rank(b))) out.file(n, await src.files[n].async('uint8array'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const rowsOf = async (data: Buffer, opts: { sheet?: string; dates?: boolean }) => {
  const rows: string[][] = [];
  for await (const r of readXlsx(data, opts)) rows.push(r.cells);
  return rows;
};

describe('readXlsx: zip entry order is the writer’s choice', () => {
  it('styles stored after the sheet: a date cell is still read as a date', async () => {
    const data = await reordered(await workbook(), [
      '[Content_Types].xml',
      'xl/_rels/workbook.xml.rels',
      'xl/workbook.xml',
      'xl/sharedStrings.xml',
      'xl/worksheets/',
      'xl/styles.xml',
    ]);
    const rows = await rowsOf(data, { sheet: '采集表', dates: true });
    expect(rows[0]).toEqual(['*乡镇', '*采收日期', '面积']);
    expect(rows[1]).toEqual(['温泉镇0号地', '2026-06-01', '0.5']);
  });

  it('the workbook part stored last: the named sheet is found, every time (exceljs issue #3064)', async () => {
    // A race, not an order: exceljs's own single pass lost entries pushed while its iterator paused the unzip stream,
    // and the workbook part (sheet names) went missing in 1 to 6 reads in 600 of the origin-map template (measured
    // 2026-12-01). Many reads give the race its chances; the order above is the one those failures had.
    const data = await reordered(await workbook(2_000), [
      '[Content_Types].xml',
      'xl/_rels/workbook.xml.rels',
      'xl/worksheets/',
      'xl/sharedStrings.xml',
      'xl/styles.xml',
      'docProps/',
      'xl/workbook.xml',
    ]);
    for (let i = 0; i < 100; i++) {
      const rows = await rowsOf(data, { sheet: '采集表' });
      expect(rows).toHaveLength(2_001);
      expect(rows[2_000][0]).toBe('温泉镇1999号地');
    }
  });

  it('without a sheet name, the first visible sheet is read and the hidden one skipped', async () => {
    const rows = await rowsOf(await workbook(1), {});
    expect(rows[0][0]).toBe('*乡镇');
  });
});
