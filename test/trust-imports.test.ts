import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { drain } from '../src/kernel/jobs.js';
import { COLUMNS as ORIGIN_COLUMNS } from '../src/modules/originmap/sheet.js';
import { COLUMNS as SUBJECT_COLUMNS } from '../src/modules/subjects/import.js';
import { type TestApp, makeProducer, makeUser, multipartFile, proofFiles, testApp } from './helpers.js';

/**
 * Issue 12, item 11 (import fidelity) and the rest of item 12 (the mistyped-code page offers the report button):
 * every imported character round-trips through the streamed .xlsx reader; CSV in GBK / GB18030 is detected; imports
 * hold rows to the single-entry rules; no export lets a cell run as a formula.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TOWN = '440117103'; // 从化区温泉镇
const FORMULA = '=HYPERLINK("http://x","y")';

let t: TestApp;
let county: string;
let collector: string;

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  county = (
    await makeUser(t, admin, {
      username: 'ti_county',
      orgName: '从化区监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  collector = (
    await makeUser(t, admin, {
      username: 'ti_town',
      orgName: '温泉镇农业服务中心',
      divisionCode: TOWN,
      roles: ['collector'],
    })
  ).token;
});
afterAll(() => t?.close());

/** Uploads a file to an import endpoint, runs the job and returns its report. */
async function runImport(token: string, url: string, name: string, data: Buffer, mime: string) {
  const res = await t.req(token, { method: 'POST', url, ...multipartFile(name, data, mime) });
  expect(res.statusCode, res.body).toBe(202);
  await drain(t.database.db, t.app.config);
  const job = await t.req(token, { method: 'GET', url: res.json().statusUrl });
  expect(job.json().status, JSON.stringify(job.json())).toBe('done');
  return job.json().result;
}

/** A deterministic random source (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
// Common hanzi (3 bytes in UTF-8), CJK extension B and emoji (4 bytes), full-width punctuation, a little ASCII.
const HANZI = [
  ...'温泉镇石坑村良口鳌头太平江埔街口城郊吕田荔枝豇豆菜心番茄生猪鸡鸭鱼虾合作社家庭农场种植养殖专业有限公司广州从化区',
];
const WIDE = [...'𠀀𠮷𡃁𩸽𪚥😀🍎🌾🥬🐖🐟'];
const PUNCT = [...'（）、，·“”《》'];
function textOf(r: () => number, min: number, max: number) {
  const n = min + Math.floor(r() * (max - min + 1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = r();
    out.push(
      x < 0.75
        ? HANZI[Math.floor(r() * HANZI.length)]
        : x < 0.88
          ? WIDE[Math.floor(r() * WIDE.length)]
          : x < 0.95
            ? PUNCT[Math.floor(r() * PUNCT.length)]
            : 'Ab1'[Math.floor(r() * 3)],
    );
  }
  // Starts and ends with a hanzi: cells are trimmed, and a name must not look like a formula.
  out[0] = '甲';
  out[out.length - 1] = '乙';
  return out.join('');
}

function subjectRow(o: Record<string, unknown>) {
  return SUBJECT_COLUMNS.map((c) => (o[c.key] ?? '') as ExcelJS.CellValue);
}
const baseSubject = {
  orgForm: '合作社',
  subjectType: '生产',
  industries: '种植业',
  certType: '统一社会信用代码',
  contactPhone: '13800000000',
  divisionCode: TOWN,
};

describe('item 11: every imported character round-trips', () => {
  // 4,000 rows through the whole import pipeline: minutes on a loaded 2-core machine, so its own time limit.
  it(
    'stores thousands of rows of mixed Chinese text (with 4-byte characters and emoji) exactly as in the .xlsx',
    { timeout: 400_000 },
    async () => {
      const r = rng(12);
      const expected = new Map<string, { name: string; address: string; contact: string; legal: string }>();
      const sheet = (from: number, to: number) => {
        const wb = new ExcelJS.Workbook();
        const ws = wb.addWorksheet('主体信息');
        ws.addRow(SUBJECT_COLUMNS.map((c) => c.header));
        for (let i = from; i < to; i++) {
          const v = {
            name: textOf(r, 20, 98),
            address: textOf(r, 120, 198),
            contact: textOf(r, 2, 12),
            legal: textOf(r, 2, 40),
          };
          expected.set(`R${i}`, v);
          ws.addRow(
            subjectRow({
              ...baseSubject,
              name: v.name,
              address: v.address,
              contactName: v.contact,
              legalPersonName: v.legal,
              certNo: makeCreditCode(`93440117MA${String(i).padStart(7, '0')}`),
              sourceRef: `R${i}`,
            }),
          );
        }
        return wb;
      };
      // Shared strings (xl/sharedStrings.xml), as Excel writes them …
      const shared = Buffer.from(await sheet(0, 2500).xlsx.writeBuffer());
      // … and inline strings inside the worksheet XML, as other tools write them.
      const inline = Buffer.from(
        await sheet(2500, 4000).xlsx.writeBuffer({ useSharedStrings: false } as ExcelJS.XlsxWriteOptions),
      );
      const a = await runImport(county, '/api/v1/subjects/imports', '历史主体.xlsx', shared, XLSX);
      expect(a).toMatchObject({ total: 2500, created: 2500, failed: 0 });
      const b = await runImport(county, '/api/v1/subjects/imports', '历史主体2.xlsx', inline, XLSX);
      expect(b).toMatchObject({ total: 1500, created: 1500, failed: 0 });

      const stored = await t.database.db
        .selectFrom('subject')
        .select(['source_ref', 'name', 'address', 'contact_name', 'legal_person_name'])
        .where('source_ref', 'like', 'R%')
        .execute();
      expect(stored).toHaveLength(4000);
      const wrong: string[] = [];
      for (const s of stored) {
        const v = expected.get(s.source_ref as string);
        if (
          !v ||
          s.name !== v.name ||
          s.address !== v.address ||
          s.contact_name !== v.contact ||
          s.legal_person_name !== v.legal
        )
          wrong.push(`${s.source_ref}: ${s.name}`);
      }
      expect(wrong).toEqual([]);
      expect(stored.some((s) => `${s.name}${s.address}`.includes('\uFFFD'))).toBe(false);
    },
  );
});

describe('item 11: CSV saved in GBK / GB18030 (Excel on Chinese Windows)', () => {
  const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
  const isUtf8 = (b: Buffer) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(b);
      return true;
    } catch {
      return false;
    }
  };

  it('the subjects import reads a GBK file (CRLF, quoted fields)', async () => {
    const data = fixture('subjects-gbk.csv'); // made with `iconv -f UTF-8 -t GBK`
    expect(isUtf8(data)).toBe(false);
    const rep = await runImport(county, '/api/v1/subjects/imports', '历史主体.csv', data, 'text/csv');
    expect(rep).toMatchObject({ total: 2, created: 2, failed: 0 });
    const rows = await t.database.db
      .selectFrom('subject')
      .select(['name', 'address', 'legal_person_name', 'industries'])
      .where('cert_no', 'in', [makeCreditCode('93440117MA5GBK001'), makeCreditCode('91440117MA5GBK002')])
      .orderBy('cert_no')
      .execute();
    expect(rows.map((s) => [s.name, s.address, s.legal_person_name])).toEqual([
      ['从化区鳌头镇荔枝企业（有限公司）', '鳌头镇龙潭村', '欧阳修'],
      ['温泉镇国标编码合作社', '温泉镇石坑村“新村”一队', '黄德明'],
    ]);
    expect(rows[0].industries).toEqual(['planting', 'fishery']);
  });

  it('the origin-map import reads a GB18030 file (with characters outside GBK)', async () => {
    const data = fixture('origin-gb18030.csv'); // made with `iconv -f UTF-8 -t GB18030`
    expect(isUtf8(data)).toBe(false);
    const rep = await runImport(collector, '/api/v1/origin/imports', '采集表.csv', data, 'text/csv');
    expect(rep, JSON.stringify(rep.errors)).toMatchObject({ total: 1, inserted: 1, rejected: 0 });
    const rec = await t.database.db
      .selectFrom('origin_record')
      .select(['subject_name', 'alias', 'base_address', 'contact_name', 'trace_methods'])
      .where('credit_code', '=', makeCreditCode('93440117MA5GBK003'))
      .executeTakeFirstOrThrow();
    expect(rec).toMatchObject({
      subject_name: '温泉镇国标编码合作社',
      alias: '白豆角𠀀䶮',
      base_address: '温泉镇石坑村8号地',
      contact_name: '黄德明',
    });
    expect(rec.trace_methods).toHaveLength(2);
  });

  it('the header check made at once reads GBK too (no “missing columns”)', async () => {
    const up = await t.req(county, {
      method: 'POST',
      url: '/api/v1/files?purpose=spreadsheet',
      ...multipartFile('h.csv', fixture('subjects-gbk.csv'), 'text/csv'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const res = await t.req(county, {
      method: 'POST',
      url: '/api/v1/subjects/imports',
      payload: { fileId: up.json().id },
    });
    expect(res.statusCode, res.body).toBe(202);
    await drain(t.database.db, t.app.config);
  });
});

describe('item 11: imports apply the single-entry rules', () => {
  it('subjects: a 5,000-character name and coordinates far from the stated division are row errors', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('主体信息');
    ws.addRow(SUBJECT_COLUMNS.map((c) => c.header));
    const row = (n: number, o: Record<string, unknown>) =>
      ws.addRow(
        subjectRow({
          ...baseSubject,
          name: `规则合作社${n}`,
          legalPersonName: '甲',
          contactName: '甲',
          address: '温泉镇',
          certNo: makeCreditCode(`93440117MA5RUL${String(n).padStart(3, '0')}`),
          ...o,
        }),
      );
    row(1, {});
    row(2, { name: '长'.repeat(5000) });
    row(3, { longitude: 116.4, latitude: 39.9 }); // Beijing, stated as 温泉镇
    row(4, { longitude: 113.58, latitude: 23.55 }); // inside 温泉镇
    row(5, { contactName: '联'.repeat(51) });
    const rep = await runImport(
      county,
      '/api/v1/subjects/imports',
      '规则.xlsx',
      Buffer.from(await wb.xlsx.writeBuffer()),
      XLSX,
    );
    expect(rep).toMatchObject({ total: 5, created: 2, failed: 3 });
    const byRow = new Map<number, { fields: { field: string }[]; message: string }>(
      rep.errors.map((e: { row: number }) => [e.row, e]),
    );
    expect(byRow.get(3)?.fields.map((f) => f.field)).toEqual(['name']);
    expect(byRow.get(3)?.message).toContain('100');
    expect(byRow.get(4)?.fields.map((f) => f.field)).toEqual(['longitude']);
    expect(byRow.get(4)?.message).toContain('公里');
    expect(byRow.get(6)?.fields.map((f) => f.field)).toEqual(['contactName']);
    const long = await t.database.db.selectFrom('subject').select('id').where('name', '=', '长'.repeat(5000)).execute();
    expect(long).toHaveLength(0);
  });

  it('single entry applies the same coordinate rule (one rule for both)', async () => {
    const res = await t.req(null, {
      method: 'POST',
      url: '/api/v1/subjects/registrations',
      payload: {
        files: await proofFiles(t, 'credit_code'),
        orgForm: 'cooperative',
        subjectType: 'production',
        industries: ['planting'],
        name: '北京坐标合作社',
        certType: 'credit_code',
        certNo: makeCreditCode('93440117MA5RUL099'),
        legalPersonName: '王',
        contactName: '王',
        contactPhone: '13800000001',
        address: '从化区',
        divisionCode: TOWN,
        longitude: 116.4,
        latitude: 39.9,
        username: 'beijing1',
        password: 'Farmer123',
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('longitude');
  });

  it('origin map: GB 32100 check of credit codes, field lengths of the form, coordinates against the township', async () => {
    const header = ORIGIN_COLUMNS.map((c) => c.header).join(',');
    const good = makeCreditCode('93440117MA5RUL101');
    const badCheck = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const line = (o: Record<number, string>) => {
      const v = [
        '',
        TOWN,
        '温泉镇规则合作社',
        '农民专业合作社',
        good,
        '豇豆',
        '',
        '无',
        '温泉镇石坑村9号地',
        '113.58',
        '23.55',
        '黄',
        '13712345678',
        '3',
        '亩',
        '2026-06-01',
        '2026-10-31',
        '露地',
        '承诺达标合格证',
        '未评级',
        '罗芳',
        '13900139000',
        '钟叔',
        '13600136000',
      ];
      for (const [k, x] of Object.entries(o)) v[Number(k)] = x;
      return v.join(',');
    };
    const csv = [
      header,
      line({}), // row 2: good
      line({ 2: '校验位错合作社', 4: badCheck, 8: '温泉镇石坑村10号地' }), // row 3
      line({ 2: '长地址合作社', 4: makeCreditCode('93440117MA5RUL103'), 8: `温泉镇${'长'.repeat(5000)}` }), // row 4
      line({ 2: '北京坐标合作社', 4: makeCreditCode('93440117MA5RUL104'), 9: '116.4', 10: '39.9' }), // row 5
      line({ 2: '长'.repeat(5000), 4: makeCreditCode('93440117MA5RUL105') }), // row 6
    ].join('\r\n');
    const rep = await runImport(collector, '/api/v1/origin/imports', '规则.csv', Buffer.from(csv), 'text/csv');
    expect(rep, JSON.stringify(rep.errors)).toMatchObject({ total: 5, inserted: 1, rejected: 4 });
    const fieldOf = (row: number) =>
      rep.errors
        .find((e: { row: number }) => e.row === row)
        ?.fields.map((f: { field: string }) => f.field)
        .sort();
    expect(fieldOf(3)).toEqual(['creditCode']);
    expect(fieldOf(4)).toEqual(['baseAddress']);
    expect(fieldOf(5)).toEqual(['longitude']);
    expect(fieldOf(6)).toEqual(['subjectName']);

    // The form refuses the same credit code (one validator: kernel/idcodes.ts).
    const form = await t.req(collector, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: {
        divisionCode: TOWN,
        subjectName: '校验位错合作社',
        subjectType: 'cooperative',
        creditCode: badCheck,
        productCode: 'cowpea',
        baseAddress: '温泉镇石坑村11号地',
        contactName: '黄',
        contactPhone: '13712345678',
        scale: 3,
        productionMethod: 'open_field',
      },
    });
    expect(form.statusCode).toBe(400);
    expect(form.json().field).toBe('creditCode');
  });
});

describe('item 11: exports never let a cell run as a formula', () => {
  const isSafe = (v: unknown) => typeof v === 'string' && !/^[=+\-@\t\r]/.test(v) && v.includes('HYPERLINK');
  /** Every cell of every sheet holding the text; none is a formula, each is neutralised. */
  async function cellsWith(data: Buffer) {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(data as never);
    const found: ExcelJS.Cell[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          if (cell.type === ExcelJS.ValueType.Formula) found.push(cell);
          else if (String(cell.text).includes('HYPERLINK')) found.push(cell);
        }),
      ),
    );
    return found;
  }
  /** No formula cell; every cell with the text is a string Excel will not evaluate; the name itself is `'=…`. */
  const expectNeutralised = (cells: ExcelJS.Cell[]) => {
    for (const c of cells) {
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(isSafe(c.value), String(c.value)).toBe(true);
    }
    expect(cells.map((c) => c.value)).toContain(`'${FORMULA}`);
  };

  it('the batch code table (CSV and Excel), the directory, the origin table and the import error workbook', async () => {
    // A producer whose product is named like a formula.
    const farmer = await makeProducer(t, { username: 'ti_farmer', name: '温泉镇公式合作社', divisionCode: TOWN });
    const product = await t.req(farmer.token, {
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: FORMULA, industry: 'planting', keyProduct: '豇豆' },
    });
    expect(product.statusCode, product.body).toBe(201);
    const base = await t.req(farmer.token, {
      method: 'POST',
      url: '/api/v1/bases',
      payload: {
        name: '公式基地',
        divisionCode: TOWN,
        area: 3,
        longitude: 113.6,
        latitude: 23.6,
        method: 'open_field',
      },
    });
    expect(base.statusCode, base.body).toBe(201);
    const batch = await t.req(farmer.token, {
      method: 'POST',
      url: '/api/v1/batches',
      payload: {
        productId: product.json().id,
        baseId: base.json().id,
        quantity: 10,
        producedAt: '2026-11-19T08:00:00+08:00',
        selfCheck: 'pass',
      },
    });
    expect(batch.statusCode, batch.body).toBe(201);
    const id = batch.json().id;
    await t.req(farmer.token, {
      method: 'POST',
      url: `/api/v1/batches/${id}/labels`,
      payload: { size: '40x30', copies: 2, unique: true },
    });
    // 1. CSV
    const csv = await t.req(farmer.token, { method: 'GET', url: `/api/v1/batches/${id}/codes?format=csv` });
    expect(csv.statusCode, csv.body).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n')
      .slice(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
      expect(l.split(',').some((f) => /^[=+\-@]/.test(f))).toBe(false);
    }
    // 2. Excel
    const xlsx = await t.req(farmer.token, { method: 'GET', url: `/api/v1/batches/${id}/codes?format=xlsx` });
    expect(xlsx.statusCode).toBe(200);
    expectNeutralised(await cellsWith(xlsx.rawPayload));

    // 3. The supervision directory (监管名录).
    const entry = await t.req(collector, {
      method: 'POST',
      url: '/api/v1/directory',
      payload: { divisionCode: TOWN, name: FORMULA, orgForm: 'individual', industries: ['planting'] },
    });
    expect(entry.statusCode, entry.body).toBe(201);
    const dir = await t.req(county, { method: 'GET', url: '/api/v1/directory/export.xlsx' });
    expect(dir.statusCode, dir.body).toBe(200);
    expectNeutralised(await cellsWith(dir.rawPayload));

    // 4. The origin table (一张表).
    const rec = await t.req(collector, {
      method: 'POST',
      url: '/api/v1/origin/records',
      payload: {
        divisionCode: TOWN,
        subjectName: FORMULA,
        subjectType: 'farmer',
        productCode: 'cowpea',
        baseAddress: '@SUM(1+1)',
        contactName: '黄',
        contactPhone: '13712345678',
        scale: 3,
        productionMethod: 'open_field',
      },
    });
    expect(rec.statusCode, rec.body).toBe(201);
    const table = await t.req(county, { method: 'GET', url: '/api/v1/origin/export' });
    expect(table.statusCode, table.body).toBe(200);
    const cells = await cellsWith(table.rawPayload);
    expectNeutralised(cells);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(table.rawPayload as never);
    const texts: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((r) => r.eachCell((c) => texts.push(String(c.text)))));
    expect(texts).toContain("'@SUM(1+1)");
    expect(texts.some((x) => x.startsWith('@SUM'))).toBe(false);

    // 5. The error workbook of an import echoes the rejected row's cells.
    const bad = new ExcelJS.Workbook();
    const ws = bad.addWorksheet('主体信息');
    ws.addRow(SUBJECT_COLUMNS.map((c) => c.header));
    ws.addRow(subjectRow({ ...baseSubject, name: FORMULA, certNo: 'not-a-code', legalPersonName: '甲' }));
    const rep = await runImport(
      county,
      '/api/v1/subjects/imports',
      '公式.xlsx',
      Buffer.from(await bad.xlsx.writeBuffer()),
      XLSX,
    );
    expect(rep.failed).toBe(1);
    const errs = await t.req(county, { method: 'GET', url: `/api/v1/files/${rep.errorFileId}` });
    expect(errs.statusCode).toBe(200);
    expectNeutralised(await cellsWith(errs.rawPayload));
  });
});

describe('item 12: the mistyped-code page offers the report button', () => {
  it('a code with a wrong check digit shows the hint, the suggestions and the complaint link', async () => {
    const farmer = await makeProducer(t, { username: 'ti_farmer2', name: '温泉镇查询合作社', divisionCode: TOWN });
    const p = await t.req(farmer.token, {
      method: 'POST',
      url: '/api/v1/products',
      payload: { name: '韭菜', industry: 'planting', keyProduct: '韭菜' },
    });
    expect(p.statusCode, p.body).toBe(201);
    const b = await t.req(farmer.token, {
      method: 'POST',
      url: '/api/v1/batches',
      payload: { productId: p.json().id, quantity: 5, producedAt: '2026-11-19T08:00:00+08:00', selfCheck: 'pass' },
    });
    expect(b.statusCode, b.body).toBe(201);
    const code: string = b.json().code;
    const wrong = code.slice(0, 10) + ((Number(code[10]) + 1) % 10) + code.slice(11);
    const res = await t.req(null, { method: 'GET', url: `/t/${wrong}` });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('校验位不符');
    expect(res.body).toContain('id="complain"');
    expect(res.body).toContain(`href="/t/${wrong}/complaint"`);
    const form = await t.req(null, { method: 'GET', url: `/t/${wrong}/complaint` });
    expect(form.statusCode).toBe(200);
    // A code of the wrong length too.
    const short = await t.req(null, { method: 'GET', url: `/t/${code.slice(0, 19)}` });
    expect(short.statusCode).toBe(404);
    expect(short.body).toContain('id="complain"');
  });
});
