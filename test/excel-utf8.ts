/**
 * Workbooks written by a test are correct UTF-8, as Excel writes them: the test's own `exceljs` gets the fix the
 * server applies when it first loads the library (src/kernel/excel.ts). Without it, whether a test's workbook kept
 * its 4-byte characters depended on whether the server had written a workbook earlier in the same process.
 */
import { excel } from '../src/kernel/excel.js';

excel();
