import { createRequire } from 'node:module';
import type * as ExcelJS from 'exceljs';

/**
 * exceljs, loaded on first use. Importing it costs about 0.8 s, a quarter of a restart (issue 19 item 3: restart to
 * healthy ≤ 3 s), and a process may serve for hours before anyone exports a workbook. Modules import its types with
 * `import type * as ExcelJS from 'exceljs'` and reach the library through `excel()` / `newWorkbook()`.
 */
const require = createRequire(import.meta.url);
let loaded: typeof ExcelJS | undefined;

export function excel(): typeof ExcelJS {
  if (!loaded) {
    loaded = require('exceljs') as typeof ExcelJS;
    writeUtf8Parts();
  }
  return loaded;
}

export const newWorkbook = (): ExcelJS.Workbook => new (excel().Workbook)();

/**
 * Writing: exceljs 4.4 hands each XML part to jszip as a JavaScript string, and jszip 3.10 encodes it to UTF-8 in
 * 16K-character slices, each on its own — a character outside the BMP (𠀀, 𠮷, emoji) whose surrogate pair straddles
 * a slice boundary is written as garbage. Parts are handed over as UTF-8 bytes instead (what exceljs does in
 * browsers), so every workbook the platform writes (exports, error workbooks, templates) keeps every character.
 */
function writeUtf8Parts() {
  type ZipAppend = (data: unknown, options: { name: string; base64?: boolean }) => void;
  const zipStream = require('exceljs/lib/utils/zip-stream.js') as {
    ZipWriter: { prototype: { append: ZipAppend } };
  };
  const jszipAppend = zipStream.ZipWriter.prototype.append;
  zipStream.ZipWriter.prototype.append = function (this: unknown, data, options) {
    jszipAppend.call(this, typeof data === 'string' && !options.base64 ? Buffer.from(data, 'utf8') : data, options);
  };
}
