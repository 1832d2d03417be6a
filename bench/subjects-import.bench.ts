/**
 * Historic import (importSubjects) of 50,000 rows on PGlite, in process:
 * - the .xlsx is generated once (valid credit codes / ID numbers, the demo counties' townships);
 * - floor: exceljs's bare streaming read of the same file (every row materialised, nothing else), before and
 *   after the import, averaged;
 * - total: the whole import job (read, validate, de-duplicate, identity codes, batched inserts of organisations,
 *   subjects and application history, reports) — ratio total / floor, goal ≤ 4.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/kernel/db/connect.js';
import { migrate } from '../src/kernel/db/migrate.js';
import { saveFile } from '../src/kernel/files.js';
import { makeCreditCode, makeIdNumber } from '../src/kernel/idcodes.js';
import { ensureDivisions } from '../src/modules/regions/loader.js';
import { runImportJob } from '../src/kernel/imports.js';
import { COLUMNS, subjectsImport as importDef } from '../src/modules/subjects/import.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const TOWNS = ['440117103', '440117104', '440117001', '510131001', '510131002', '510131101'];
const ALNUM = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export async function makeImportFile(rows: number): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('主体信息');
  ws.addRow(COLUMNS.map((c) => c.header));
  for (let i = 0; i < rows; i++) {
    const town = TOWNS[i % TOWNS.length];
    const person = i % 3 === 0;
    let body = '';
    for (let n = i, k = 0; k < 7; k++, n = Math.floor(n / 31)) body = ALNUM[n % 31] + body;
    const birth = new Date(Date.UTC(1950, 0, 1 + Math.floor(i / 1000))).toISOString().slice(0, 10).replace(/-/g, '');
    const uniq = person
      ? makeIdNumber(town.slice(0, 6), birth, String(i % 1000).padStart(3, '0'))
      : makeCreditCode(`93${town.slice(0, 6)}MA${body}`);
    ws.addRow([
      `历史主体${i}号${person ? '农户' : '合作社'}`,
      person ? '农户' : '合作社',
      '生产',
      '否',
      i % 5 === 0 ? '种植业、畜牧业' : '种植业',
      person ? '居民身份证' : '统一社会信用代码',
      uniq,
      `负责人${i}`,
      '',
      '',
      `联系人${i}`,
      `139${String(i).padStart(8, '0')}`,
      '',
      `某镇某村${i}号`,
      town,
      113 + (i % 100) / 100,
      23 + (i % 100) / 100,
      i % 7 === 0 ? '绿色食品' : '',
      `OLD-${i}`,
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function bareRead(data: Buffer): Promise<number> {
  let n = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from(data), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'ignore',
    hyperlinks: 'ignore',
  });
  for await (const ws of reader) {
    for await (const row of ws as AsyncIterable<ExcelJS.Row>) if (row.values) n++;
    break;
  }
  return n;
}

export default async function subjectsImport() {
  const dir = mkdtempSync(path.join(tmpdir(), 'suyuan-bench-import-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const database = await connect({ dataDir: 'memory://' });
  await migrate(database);
  await ensureDivisions(database);
  const file = await makeImportFile(ROWS);
  const stored = await database.db
    .transaction()
    .execute((trx) =>
      saveFile({ db: trx, actor: null, ip: null, config }, { name: 'bench.xlsx', data: file, rule: 'spreadsheet' }),
    );

  const t0 = performance.now();
  const readRows = await bareRead(file);
  const bareMs = performance.now() - t0;

  const t1 = performance.now();
  const result = await runImportJob(importDef, {
    db: database.db,
    config,
    payload: {
      fileId: stored.id,
      fileName: 'bench.xlsx',
      scope: '',
      actor: {
        id: '00000000-0000-4000-8000-000000000002',
        username: 'bench',
        displayName: 'bench',
        orgId: '00000000-0000-4000-8000-000000000003',
        orgName: 'bench',
        orgKind: 'supervision',
        scope: '',
        roles: ['platform_admin'],
        verbs: ['subject.import'],
      },
    },
    progress: async () => {},
    jobId: '00000000-0000-4000-8000-000000000001',
  });
  const importMs = performance.now() - t1;
  // The floor is measured before and after the import and averaged, so load drifting during the run (a shared
  // machine) weighs on both sides of the ratio alike.
  const t2 = performance.now();
  await bareRead(file);
  const bareAfterMs = performance.now() - t2;
  const floorMs = (bareMs + bareAfterMs) / 2;
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    rows: ROWS,
    'file size (MB)': file.length / 1024 / 1024,
    'exceljs bare read before (s)': bareMs / 1000,
    'exceljs bare read after (s)': bareAfterMs / 1000,
    'rows read bare': readRows - 1,
    'import total (s)': importMs / 1000,
    'import rows/s': ROWS / (importMs / 1000),
    created: result.created,
    merged: result.merged,
    failed: result.failed,
    'ratio import / mean bare read (goal ≤ 4)': importMs / floorMs,
  };
}
