import { inflateRawSync, constants as zlibConstants } from 'node:zlib';
import { createRequire } from 'node:module';
import type * as ExcelJS from 'exceljs';
import { excel, newWorkbook } from './excel.js';

/**
 * Reading and writing the spreadsheets of the import pipeline (kernel/imports.ts): .xlsx streamed row by row with
 * exceljs (the sheet is never held whole in memory) and RFC 4180 CSV, header rows mapped to columns by name, and
 * the error workbook (the original rows plus an error column naming the column and the reason in Chinese and
 * English).
 */
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_MIME = 'text/csv';

export interface RawRow {
  /** 1-based row number in the sheet (row 1 = headers). */
  rowNo: number;
  cells: string[];
}

/** A problem with one field of a row: the column key and the reason in Chinese and English. */
export interface FieldError {
  field: string;
  zh: string;
  en: string;
}

/** A column of an import sheet. */
export interface SheetColumn<K extends string = string> {
  key: K;
  /** The Chinese header of the template (a leading or trailing `*` and a note in brackets are allowed). */
  header: string;
  /** English name: accepted as a header too, and used in English error messages. */
  en?: string;
  /** Other accepted headers. */
  aliases?: readonly string[];
  /** The column must be present in the file. */
  required?: boolean;
}

/** The text of a cell as the user sees it: dates as YYYY-MM-DD, formulas by their result, trimmed. */
export function cellText(v: ExcelJS.CellValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((t) => t.text)
        .join('')
        .trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text).trim();
    return '';
  }
  return String(v).trim();
}

/**
 * Decodes the UTF-8 bytes of a zip entry to text across chunk boundaries: one streaming TextDecoder per entry, so a
 * character whose bytes straddle two inflated chunks comes out whole. (exceljs 4.4 decodes each chunk on its own with
 * a non-streaming decoder, turning a split multi-byte character into U+FFFD — 9 in 2,000 rows of Chinese text.)
 */
export async function* decodeUtf8Chunks(chunks: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const c of chunks) {
    const text = typeof c === 'string' ? c : decoder.decode(c, { stream: true });
    if (text) yield text;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

type EntryStream = NodeJS.ReadableStream & { setEncoding(e: BufferEncoding): unknown };
/** The internals of exceljs's streaming reader that receive a zip entry's bytes (exceljs 4.4, lib/stream/xlsx). */
interface ReaderInternals {
  _parseRels(entry: EntryStream): Promise<void>;
  _parseWorkbook(entry: EntryStream): Promise<void>;
  _parseStyles(entry: EntryStream): Promise<void>;
  _parseSharedStrings(entry: EntryStream): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}
type Reader = ExcelJS.stream.xlsx.WorkbookReader & ReaderInternals;
type ReaderClass = new (input: Buffer, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) => Reader;
/** What `unzipper.Open.buffer` gives (unzipper 0.10: the zip's central directory, each entry inflated on demand). */
interface ZipDirectory {
  files: { path: string; type: string; stream(): EntryStream & AsyncIterable<Buffer> }[];
}
let utf8Reader: ReaderClass | undefined;

const SHEET_PART = /^xl\/worksheets\/sheet(\d+)\.xml$/;

/**
 * exceljs's streaming workbook reader, corrected twice:
 * - The parts are found through the zip's central directory and read in the order they depend on each other — the
 *   workbook's relationships, the workbook (sheet names and states), shared strings, styles (which cells are dates),
 *   then each worksheet, inflated as it is read. exceljs reads the entries in the order they are stored, in one pass
 *   whose iterator pauses the unzip stream between entries, and entries pushed meanwhile are lost (exceljs issue
 *   #3064): the workbook part, stored last by most writers, went missing in 2 of 300 uploads of the same template,
 *   refused as unreadable.
 * - Every XML part is decoded as a whole text stream: entries read by exceljs directly get `setEncoding('utf8')` (a
 *   StringDecoder keeps split characters), worksheet chunks go through `decodeUtf8Chunks`. exceljs passes strings
 *   through untouched.
 * The whole upload is in memory already; its sheets are still parsed row by row, never held as a workbook model.
 * Made once, when the first sheet is read (exceljs loads on first use: kernel/excel.ts).
 */
function Utf8WorkbookReader(): ReaderClass {
  if (utf8Reader) return utf8Reader;
  const BaseReader = excel().stream.xlsx.WorkbookReader as unknown as new (
    input: unknown,
    options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>,
  ) => Reader;
  const unzipper = createRequire(import.meta.url)('unzipper') as {
    Open: { buffer(data: Buffer): Promise<ZipDirectory> };
  };
  utf8Reader = class extends BaseReader {
    readonly #data: Buffer;
    constructor(data: Buffer, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) {
      super(null, options);
      this.#data = data;
    }
    async *parse(): AsyncGenerator<unknown> {
      const zip = await unzipper.Open.buffer(this.#data);
      const part = (path: string) => {
        const f = zip.files.find((x) => x.path === path && x.type === 'File');
        if (!f) return undefined;
        const stream = f.stream();
        stream.setEncoding('utf8');
        return stream;
      };
      const rels = part('xl/_rels/workbook.xml.rels');
      if (rels) await this._parseRels(rels);
      const workbook = part('xl/workbook.xml');
      if (workbook) await this._parseWorkbook(workbook);
      const strings = part('xl/sharedStrings.xml');
      if (strings) yield* this._parseSharedStrings(strings);
      const styles = part('xl/styles.xml');
      if (styles) await this._parseStyles(styles);
      const sheets = zip.files
        .flatMap((f) => {
          const m = f.type === 'File' ? SHEET_PART.exec(f.path) : null;
          return m ? [{ no: m[1], f }] : [];
        })
        .sort((a, b) => Number(a.no) - Number(b.no));
      for (const { no, f } of sheets) yield* this._parseWorksheet(decodeUtf8Chunks(f.stream()), no);
    }
  } as unknown as ReaderClass;
  return utf8Reader;
}

export const isXlsxBytes = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;

/**
 * Streams the rows of one worksheet of an .xlsx: the sheet named `sheet` when the workbook has one, else the first
 * visible sheet. `dates` reads the styles so that date-formatted numbers come back as dates (a little slower).
 */
export async function* readXlsx(data: Buffer, opts: { sheet?: string; dates?: boolean } = {}): AsyncGenerator<RawRow> {
  const reader = new (Utf8WorkbookReader())(data, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: opts.dates ? 'cache' : 'ignore',
    hyperlinks: 'ignore',
  });
  for await (const ws of reader as AsyncIterable<ExcelJS.Worksheet & { state?: string }>) {
    const sheets = (reader as unknown as { model?: { sheets?: { name: string }[] } }).model?.sheets ?? [];
    const wanted = opts.sheet && sheets.some((s) => s.name === opts.sheet) ? opts.sheet : undefined;
    const skip = wanted ? ws.name !== wanted : ws.state === 'hidden' || ws.state === 'veryHidden';
    for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
      if (skip) continue;
      const values = row.values as ExcelJS.CellValue[];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i]));
      yield { rowNo: row.number, cells };
    }
    if (!skip) return;
  }
}

/**
 * The text of an uploaded CSV file, its encoding detected: a UTF-16 byte-order mark → UTF-16; valid UTF-8 (with or
 * without BOM) → UTF-8; anything else → GB18030, the superset of GBK and GB2312 that Excel on Chinese Windows saves
 * CSV in (“CSV (逗号分隔)”). Chinese GBK text is practically never valid UTF-8 by accident.
 */
export function decodeCsvText(data: Uint8Array): string {
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

/** RFC 4180 CSV (quotes, doubled quotes, CRLF) in UTF-8 (with or without BOM), GBK/GB18030 or UTF-16. */
export function* readCsv(data: Buffer): Generator<RawRow> {
  const text = decodeCsvText(data).replace(/^\uFEFF/, '');
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

/** Rows of an uploaded spreadsheet by its (sniffed) type. */
export function readSheet(
  data: Buffer,
  mime: string,
  opts: { sheet?: string; dates?: boolean } = {},
): AsyncIterable<RawRow> | Iterable<RawRow> {
  return mime.startsWith(CSV_MIME) ? readCsv(data) : readXlsx(data, opts);
}

/** A header without its `*`, blanks and bracketed notes, lower-cased: `*经度（度）` → `经度`. */
export const normHeader = (s: string) => s.replace(/[*＊\s]|（.*?）|\(.*?\)/g, '').toLowerCase();

/** Column positions by key (first match wins) and the required columns the header row lacks. */
export function mapHeaders<K extends string>(columns: readonly SheetColumn<K>[], header: readonly string[]) {
  const norm = header.map(normHeader);
  const index = new Map<K, number>();
  for (const c of columns) {
    const names = [c.header, ...(c.en ? [c.en] : []), ...(c.aliases ?? [])].map(normHeader);
    const i = norm.findIndex((h) => h !== '' && names.includes(h));
    if (i >= 0) index.set(c.key, i);
  }
  const missing = columns.filter((c) => c.required && !index.has(c.key));
  return { index, missing };
}

/** The plain column name (no `*`, no bracketed note) for messages. */
export const columnName = (c: SheetColumn) => c.header.replace(/[*＊]|（.*?）|\(.*?\)/g, '').trim();

/** One line per language naming each column and its problem: `“种养规模”须大于 0；…` / `"Scale" must be …; …`. */
export function describeErrors(
  errors: readonly FieldError[],
  columns: readonly SheetColumn[],
): { zh: string; en: string } {
  const col = (f: string) => columns.find((c) => c.key === f);
  return {
    zh: errors.map((e) => `“${col(e.field) ? columnName(col(e.field) as SheetColumn) : e.field}”${e.zh}`).join('；'),
    en: errors.map((e) => `"${col(e.field)?.en ?? e.field}" ${e.en}`).join('; '),
  };
}

// ── exports: formula injection (CSV/公式注入) ───────────────────────────────────────
/** Text a spreadsheet program may take for a formula or a command: `=`, `+`, `-`, `@`, or a tab/CR before them. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (`-12.5`, `+86`) or a lone dash is read as a number or text, never run. */
const HARMLESS = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|-)$/;

/**
 * The one rule every CSV and Excel export applies to text cells: text that a spreadsheet program could evaluate
 * (`=HYPERLINK(…)`, `+cmd|…`, `-2+3`, `@SUM(…)`, or those behind a tab or CR) gets a leading apostrophe, so it is
 * shown as the text it is. Idempotent.
 */
export function safeCellText(s: string): string {
  return FORMULA_START.test(s) && !HARMLESS.test(s) ? `'${s}` : s;
}

/** One CSV field: neutralised (`safeCellText`) and quoted when it holds a quote, comma or line break. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? safeCellText(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One CSV line (no line break): every field through `csvField`. */
export const csvLine = (values: readonly unknown[]) => values.map(csvField).join(',');

/**
 * Neutralises every text cell of a workbook (`safeCellText`: plain strings, rich text, hyperlink labels); formulas
 * the platform itself wrote (`{ formula }` values) and numbers, dates and booleans are left alone.
 */
export function neutraliseWorkbook(wb: ExcelJS.Workbook): ExcelJS.Workbook {
  wb.eachSheet((ws) => {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.type === excel().ValueType.Merge) return;
        const v = cell.value;
        if (typeof v === 'string') {
          const safe = safeCellText(v);
          if (safe !== v) cell.value = safe;
        } else if (v && typeof v === 'object' && 'richText' in v && v.richText.length) {
          const [first, ...rest] = v.richText;
          const safe = safeCellText(v.richText.map((t) => t.text).join(''));
          if (safe !== v.richText.map((t) => t.text).join(''))
            cell.value = { richText: [{ ...first, text: `'${first.text}` }, ...rest] };
        } else if (v && typeof v === 'object' && 'hyperlink' in v && typeof v.text === 'string') {
          const safe = safeCellText(v.text);
          if (safe !== v.text) cell.value = { ...v, text: safe };
        }
      });
    });
  });
  return wb;
}

/** The bytes of an exported workbook: every export writes through here, so no text cell can run as a formula. */
export async function workbookBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await neutraliseWorkbook(wb).xlsx.writeBuffer());
}

export const ERROR_COLUMN = '错误说明 Errors';

/**
 * The default error workbook: one sheet with the original row number, the error text (Chinese, then English on a
 * second line) and the row's cells under the file's own headers, so the corrected sheet can be imported again.
 */
export async function errorWorkbook(
  header: readonly string[],
  rows: readonly { rowNo: number; cells: readonly string[]; zh: string; en: string }[],
): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('错误行');
  ws.addRow(['原行号 Row', ERROR_COLUMN, ...header]).font = { bold: true };
  for (const r of rows) ws.addRow([r.rowNo, `${r.zh}\n${r.en}`, ...r.cells]);
  ws.getColumn(2).width = 60;
  ws.getColumn(2).font = { color: { argb: 'FFC00000' } };
  ws.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return workbookBuffer(wb);
}

/**
 * About how many data rows a spreadsheet has, for the progress bar, without reading it: CSV lines, or the
 * `<dimension ref="A1:X123">` at the head of the first worksheet of an .xlsx (inflating only its first few KB).
 * Null when unknown. Rows with formatting but no values count, so this is an upper bound.
 */
export function estimateRows(data: Buffer, mime: string): number | null {
  if (mime.startsWith(CSV_MIME)) {
    let n = 0;
    for (let i = data.indexOf(10); i >= 0; i = data.indexOf(10, i + 1)) n++;
    return Math.max(0, n - (data[data.length - 1] === 10 ? 1 : 0));
  }
  try {
    const head = firstSheetHead(data);
    const m = head && /<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"/.exec(head);
    return m?.[1] ? Math.max(0, Number(m[1]) - 1) : null;
  } catch {
    return null;
  }
}

/** The first few KB of `xl/worksheets/sheet1.xml` (zip central directory → local header → partial inflate). */
function firstSheetHead(zip: Buffer): string | null {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return null;
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries && zip.readUInt32LE(at) === 0x02014b50; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLen = zip.readUInt16LE(at + 28);
    const extraLen = zip.readUInt16LE(at + 30);
    const commentLen = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLen);
    at += 46 + nameLen + extraLen + commentLen;
    if (name !== 'xl/worksheets/sheet1.xml') continue;
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const chunk = zip.subarray(start, start + Math.min(size || 16384, 16384));
    const out = method === 0 ? chunk : inflateRawSync(chunk, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    return out.toString('utf8', 0, Math.min(out.length, 4096));
  }
  return null;
}
