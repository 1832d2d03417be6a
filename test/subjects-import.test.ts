import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drain } from '../src/kernel/jobs.js';
import { COLUMNS } from '../src/modules/subjects/import.js';
import { makeCreditCode, makeIdNumber } from '../src/kernel/idcodes.js';
import { type TestApp, makeUser, testApp, proofFiles } from './helpers.js';

function multipart(name: string, data: Buffer, mime: string) {
  const boundary = `----suyuan${Math.random().toString(16).slice(2)}`;
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`,
      ),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestApp;
let county: string;
let existingCode: string;

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  county = (
    await makeUser(t, admin, {
      username: 'ch_imp',
      orgName: '从化区监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  existingCode = makeCreditCode('93440117MA5EXTNT1');
  const reg = await t.req(null, {
    method: 'POST',
    url: '/api/v1/subjects/registrations',
    payload: {
      files: await proofFiles(t, 'credit_code'),
      orgForm: 'cooperative',
      subjectType: 'production',
      industries: ['planting'],
      name: '已注册合作社',
      certType: 'credit_code',
      certNo: existingCode,
      legalPersonName: '王',
      contactName: '王',
      contactPhone: '13800000001',
      address: '从化区',
      divisionCode: '440117103',
      username: 'existing1',
      password: 'Farmer123',
    },
  });
  expect(reg.statusCode).toBe(201);
});
afterAll(() => t?.close());

async function upload(token: string, name: string, data: Buffer, mime: string) {
  const res = await t.req(token, {
    method: 'POST',
    url: '/api/v1/files?purpose=spreadsheet',
    ...multipart(name, data, mime),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function runImport(fileId: string) {
  const start = await t.req(county, { method: 'POST', url: '/api/v1/subjects/imports', payload: { fileId } });
  expect(start.statusCode, start.body).toBe(202);
  await drain(t.database.db, t.app.config);
  const job = await t.req(county, { method: 'GET', url: start.json().statusUrl });
  expect(job.json().status, JSON.stringify(job.json())).toBe('done');
  return job.json();
}

async function workbookOf(fileId: string) {
  const res = await t.req(county, { method: 'GET', url: `/api/v1/files/${fileId}` });
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as never);
  return wb.worksheets[0];
}

describe('historic import', () => {
  it('serves a template with Chinese headers and dropdowns', async () => {
    const res = await t.req(county, { method: 'GET', url: '/api/v1/subjects/import-template.xlsx' });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as never);
    const ws = wb.getWorksheet('主体信息') as ExcelJS.Worksheet;
    expect(ws.getCell('A1').value).toBe('主体名称*');
    expect(ws.getCell('B2').dataValidation?.type).toBe('list');
    expect(ws.getCell('B2').dataValidation?.formulae?.[0]).toContain('合作社');
    expect(wb.getWorksheet('填写说明')).toBeTruthy();
  });

  it('imports valid rows, returns failed rows with reasons, merges duplicates', async () => {
    const tpl = await t.req(county, { method: 'GET', url: '/api/v1/subjects/import-template.xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(tpl.rawPayload as never);
    const ws = wb.getWorksheet('主体信息') as ExcelJS.Worksheet;
    const row = (o: Record<string, unknown>) => ({
      name: '导入合作社',
      orgForm: '合作社',
      subjectType: '生产',
      industries: '种植业、渔业',
      certType: '统一社会信用代码',
      legalPersonName: '甲',
      contactName: '甲',
      contactPhone: '13800000000',
      address: '从化区良口镇',
      divisionCode: '440117104',
      ...o,
    });
    const good1 = makeCreditCode('93440117MA5KMP001');
    const idNo = makeIdNumber('440117', '19700505', '321');
    let at = 3; // row 2 holds the example, which the import skips
    const add = (o: Record<string, unknown>) => {
      ws.getRow(at++).values = COLUMNS.map((c) => o[c.key] as ExcelJS.CellValue);
    };
    add(
      row({
        name: '良口导入合作社一',
        certNo: good1,
        longitude: 113.7,
        latitude: 23.7,
        certifications: '绿色食品',
        sourceRef: 'OLD-1',
      }),
    );
    add(row({ name: '良口导入农户', orgForm: '农户', certType: '居民身份证', certNo: idNo }));
    add(
      row({ name: '良口导入企业', orgForm: '企业', certNo: makeCreditCode('91440117MA5KMP003'), industries: '畜牧业' }),
    );
    add(row({ name: '校验位错误', certNo: `${good1.slice(0, 17)}${good1[17] === '0' ? '1' : '0'}` }));
    add(row({ name: '', certNo: makeCreditCode('93440117MA5KMP005') }));
    add(
      row({
        name: '与已注册重复',
        certNo: existingCode,
        longitude: 113.5,
        latitude: 23.5,
        certifications: '有机农产品',
      }),
    );
    add(row({ name: '文件内重复', certNo: good1 }));
    add(row({ name: '外县主体', certNo: makeCreditCode('93510131MA5KMP008'), divisionCode: '510131' }));
    add(row({ name: '行业错误', certNo: makeCreditCode('93440117MA5KMP009'), industries: '林业' }));
    const fileId = await upload(county, '历史主体.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), XLSX);
    const job = await runImport(fileId);
    expect(job.result, JSON.stringify(job.result)).toMatchObject({ total: 9, created: 3, merged: 1, failed: 5 });

    const errors = await workbookOf(job.result.errorFileId);
    const messages = errors.getColumn(2).values.slice(2).map(String);
    expect(messages).toHaveLength(5);
    expect(messages.join('|')).toContain('校验位');
    expect(messages.join('|')).toContain('“主体名称”不能为空');
    expect(messages.join('|')).toContain('第 3 行是同一主体');
    expect(messages.join('|')).toContain('不在您的管辖范围内');
    expect(messages.join('|')).toContain('林业');

    // The merge report: one line per data row, in row order, with its outcome.
    const report = await workbookOf(job.result.mergeReportFileId);
    const lines = report.getSheetValues().slice(2) as ExcelJS.CellValue[][];
    const merged = lines.find((l) => String(l[3]).startsWith('合并'));
    expect(merged?.[2]).toBe('已注册合作社');
    expect(String(merged?.[5])).toContain('经度');
    expect(String(merged?.[5])).toContain('主体名称');
    expect(lines.filter((l) => String(l[3]).startsWith('新增'))).toHaveLength(3);
    expect(lines.find((l) => String(l[3]).includes('重复'))?.[5]).toBe('与第 3 行是同一主体');
    expect(job.result).toMatchObject({ duplicatesInFile: 1, registeredElsewhere: 0, registryComplete: true });

    const list = await t.req(county, { method: 'GET', url: '/api/v1/subjects?source=import' });
    expect(list.json().total).toBe(3);
    expect(
      list
        .json()
        .items.every((s: { status: string; identityCode: string }) => s.status === 'approved' && s.identityCode),
    ).toBe(true);
    const existing = (await t.req(county, { method: 'GET', url: `/api/v1/subjects?code=${existingCode}` })).json()
      .items[0];
    expect(existing.longitude).toBe(113.5);
    expect(existing.name).toBe('已注册合作社');
    expect(existing.certifications).toEqual(['organic']);

    // Importing the same file again creates nothing new.
    const again = await upload(county, '历史主体.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), XLSX);
    const job2 = await runImport(again);
    expect(job2.result).toMatchObject({ created: 0, merged: 4 });
  });

  it('the county opens the main account of an imported producer', async () => {
    const s = (await t.req(county, { method: 'GET', url: '/api/v1/subjects?source=import&orgForm=enterprise' })).json()
      .items[0];
    const detail = await t.req(county, { method: 'GET', url: `/api/v1/subjects/${s.id}` });
    expect(detail.json().hasAccount).toBe(false);
    const weak = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subjects/${s.id}/account`,
      payload: { username: 'imported1', password: 'weakweak' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().field).toBe('password');
    const ok = await t.req(county, {
      method: 'POST',
      url: `/api/v1/subjects/${s.id}/account`,
      payload: { username: 'imported1', password: 'Opened123' },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(
      (
        await t.req(county, {
          method: 'POST',
          url: `/api/v1/subjects/${s.id}/account`,
          payload: { username: 'imported2', password: 'Opened123' },
        })
      ).statusCode,
    ).toBe(409);
    const tok = await t.login('imported1', 'Opened123');
    expect((await t.req(tok, { method: 'GET', url: '/api/v1/my-subject' })).json().code).toBe(
      'PASSWORD_CHANGE_REQUIRED',
    );
    const acc = await t.database.db
      .selectFrom('account')
      .select(['roles', 'user_code'])
      .where('username', '=', 'imported1')
      .executeTakeFirstOrThrow();
    expect(acc.roles).toEqual(['producer_admin']);
    expect(acc.user_code).toBe(`${s.identityCode}-00`);
  });

  it('imports CSV', async () => {
    const csv = [
      '主体名称*,组织形式*,主体类型*,行业*,证件类型*,证件号码*,法定代表人/负责人*,联系人*,联系电话*,地址*,行政区划代码*',
      `"温泉""石海""家庭农场",家庭农场,生产,种植业,居民身份证,${makeIdNumber('440117', '19800808', '111')},赵,赵,13800000009,温泉镇,440117103`,
    ].join('\r\n');
    const fileId = await upload(county, 'old.csv', Buffer.from(`\uFEFF${csv}\r\n`), 'text/csv');
    const job = await runImport(fileId);
    expect(job.result).toMatchObject({ total: 1, created: 1, failed: 0 });
    const s = (await t.req(county, { method: 'GET', url: `/api/v1/subjects?q=${encodeURIComponent('石海')}` })).json()
      .items[0];
    expect(s.name).toBe('温泉"石海"家庭农场');
  });

  it('refuses a file without the required columns at once, and files that are not the caller’s', async () => {
    const fileId = await upload(county, 'wrong.csv', Buffer.from('名称,电话\n甲,1\n'), 'text/csv');
    const res = await t.req(county, { method: 'POST', url: '/api/v1/subjects/imports', payload: { fileId } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('IMPORT_BAD_HEADERS');
    expect(res.json().field).toBe('fileId');
    expect(res.json().message).toContain('组织形式');
    const other = await t.req(county, {
      method: 'POST',
      url: '/api/v1/subjects/imports',
      payload: { fileId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(other.statusCode).toBe(400);
    expect((await t.req(county, { method: 'POST', url: '/api/v1/subjects/imports', payload: {} })).statusCode).toBe(
      400,
    );
    const jobs = await t.database.db
      .selectFrom('job')
      .select('id')
      .where('kind', '=', 'subjects.import')
      .where('status', '=', 'queued')
      .execute();
    expect(jobs).toHaveLength(0);
  });

  it('checks every row against the information resource catalogue in force, as a registration is (issue 13)', async () => {
    // A national catalogue 1.1 that allows addresses of at most 8 characters.
    const admin = await t.login('admin');
    const draft = await t.req(admin, {
      method: 'POST',
      url: '/api/v1/info-catalog/versions',
      payload: { version: '1.1', title: '地址不超过 8 个字' },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const content = draft.json().content;
    const subject = content.resources.find((r: { key: string }) => r.key === 'subject');
    subject.fields.find((f: { key: string }) => f.key === 'address').maxLength = 8;
    const put = await t.req(admin, { method: 'PATCH', url: '/api/v1/info-catalog/versions/1.1', payload: { content } });
    expect(put.statusCode, put.body).toBe(200);
    const line = (address: string, birth: string, who: string) =>
      `${address}${who}农场,家庭农场,生产,种植业,居民身份证,${makeIdNumber('440117', birth, '222')},${who},${who},13800000019,${address},440117103`;
    const file = (births: [string, string], who: string) =>
      Buffer.from(
        [
          '主体名称*,组织形式*,主体类型*,行业*,证件类型*,证件号码*,法定代表人/负责人*,联系人*,联系电话*,地址*,行政区划代码*',
          line('温泉镇短址', births[0], who),
          line('温泉镇石海村第十二经济合作社', births[1], who),
        ].join('\r\n'),
      );
    // Before 1.1 is in force, the long address is fine; afterwards the same kind of row is refused, naming the field.
    const before = await runImport(await upload(county, 'cat0.csv', file(['19810101', '19820202'], '孙'), 'text/csv'));
    expect(before.result).toMatchObject({ total: 2, failed: 0 });
    const pub = await t.req(admin, { method: 'POST', url: '/api/v1/info-catalog/versions/1.1/publish', payload: {} });
    expect(pub.statusCode, pub.body).toBe(200);
    const after = await runImport(await upload(county, 'cat1.csv', file(['19830303', '19840404'], '钱'), 'text/csv'));
    expect(after.result).toMatchObject({ total: 2, created: 1, failed: 1 });
    const errors = JSON.stringify(after.result.errors);
    expect(errors).toContain('address');
    expect(errors).toContain('最多 8 个字');
  });
});
