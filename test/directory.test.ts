import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { type TestApp, makeUser, testApp, proofFiles } from './helpers.js';

let t: TestApp;
let town: string;
let county: string;
let outside: string;

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  county = (
    await makeUser(t, admin, {
      username: 'ch_dir',
      orgName: '从化区监管站',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  town = (
    await makeUser(t, admin, {
      username: 'wq_dir',
      orgName: '温泉镇农业服务中心',
      divisionCode: '440117103',
      roles: ['collector'],
    })
  ).token;
  outside = (
    await makeUser(t, admin, {
      username: 'pj_dir',
      orgName: '蒲江县监管站',
      divisionCode: '510131',
      roles: ['supervisor'],
    })
  ).token;
});
afterAll(() => t?.close());

describe('supervision directory (监管名录)', () => {
  const certNo = makeCreditCode('93440117MA5DRT001');
  it('township staff record census entries inside their township only', async () => {
    const ok = await t.req(town, {
      method: 'POST',
      url: '/api/v1/directory',
      payload: {
        divisionCode: '440117103',
        name: '石海荔枝合作社',
        orgForm: 'cooperative',
        industries: ['planting'],
        certNo,
        contactPhone: '13800000077',
        products: '荔枝',
        scale: '300 亩',
        longitude: 113.6,
        latitude: 23.6,
      },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().registered).toBe(false);
    await t.req(town, {
      method: 'POST',
      url: '/api/v1/directory',
      payload: {
        divisionCode: '440117103',
        name: '钟伯养鸡场',
        orgForm: 'individual',
        industries: ['livestock'],
        scale: '1200 只',
      },
    });
    const out = await t.req(town, {
      method: 'POST',
      url: '/api/v1/directory',
      payload: { divisionCode: '440117104', name: '外镇主体', orgForm: 'individual' },
    });
    expect(out.statusCode).toBe(403);
    const bad = await t.req(town, {
      method: 'POST',
      url: '/api/v1/directory',
      payload: { divisionCode: '440117103', name: '缺纬度', orgForm: 'individual', longitude: 113.6 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('latitude');
    const county6 = await t.req(county, {
      method: 'POST',
      url: '/api/v1/directory',
      payload: { divisionCode: '440117', name: '只到县', orgForm: 'individual' },
    });
    expect(county6.json().field).toBe('divisionCode');
    const schema = await t.req(town, {
      method: 'POST',
      url: '/api/v1/directory',
      payload: { divisionCode: '440117103', name: 'x', orgForm: 'alien' },
    });
    expect(schema.statusCode).toBe(400);
  });

  it('links the entry when the producer registers and is approved; lists the unregistered', async () => {
    const reg = await t.req(null, {
      method: 'POST',
      url: '/api/v1/subjects/registrations',
      payload: {
        files: await proofFiles(t, 'credit_code'),
        orgForm: 'cooperative',
        subjectType: 'production',
        industries: ['planting'],
        name: '从化石海荔枝专业合作社',
        certType: 'credit_code',
        certNo,
        legalPersonName: '李',
        contactName: '李',
        contactPhone: '13800000077',
        address: '温泉镇石海村',
        divisionCode: '440117103',
        username: 'dirlink',
        password: 'Farmer123',
      },
    });
    expect(reg.statusCode).toBe(201);
    await t.req(county, {
      method: 'POST',
      url: `/api/v1/subject-applications/${reg.json().applicationId}/approve`,
      payload: {},
    });
    const unreg = await t.req(town, { method: 'GET', url: '/api/v1/directory?registered=false' });
    expect(unreg.json().items.map((e: { name: string }) => e.name)).toEqual(['钟伯养鸡场']);
    const reged = await t.req(county, { method: 'GET', url: '/api/v1/directory?registered=true' });
    expect(reged.json().items[0].subjectName).toBe('从化石海荔枝专业合作社');
    const stats = await t.req(county, { method: 'GET', url: '/api/v1/directory/stats' });
    expect(stats.json()).toEqual([{ code: '440117103', name: '温泉镇', total: 2, registered: 1, unregistered: 1 }]);
    expect((await t.req(outside, { method: 'GET', url: '/api/v1/directory' })).json().total).toBe(0);
    expect((await t.req(outside, { method: 'GET', url: '/api/v1/directory?within=440117' })).statusCode).toBe(403);
  });

  it('updates entries and exports Excel', async () => {
    const e = (await t.req(town, { method: 'GET', url: '/api/v1/directory?registered=false' })).json().items[0];
    const up = await t.req(town, {
      method: 'PATCH',
      url: `/api/v1/directory/${e.id}`,
      payload: { contactPhone: '13900000088' },
    });
    expect(up.json().contactPhone).toBe('13900000088');
    expect((await t.req(town, { method: 'PATCH', url: `/api/v1/directory/${e.id}`, payload: {} })).statusCode).toBe(
      400,
    );
    expect(
      (await t.req(outside, { method: 'PATCH', url: `/api/v1/directory/${e.id}`, payload: { note: 'x' } })).statusCode,
    ).toBe(403);
    const x = await t.req(county, { method: 'GET', url: '/api/v1/directory/export.xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as never);
    expect(wb.worksheets[0].rowCount).toBe(3);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('名称');
  });
});
