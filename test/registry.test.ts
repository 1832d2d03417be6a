/**
 * One registry, one identity (issue 15 item 1): national, Guangdong and Sichuan, each its own app and database on
 * 127.0.0.1, both provinces connected to national. The national identity key reaches both provinces sealed over the
 * connection, so identity codes are derived alike everywhere (and a code issued before the connection is re-issued);
 * a producer registered in Sichuan cannot register again in Guangdong and is told where it is registered; a
 * registration accepted while national was unreachable shows up at national as a duplicate to merge; Guangdong's
 * historical import is de-duplicated against the national registry, with a downloadable merge report.
 */
import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCreditCode, makeIdNumber } from '../src/kernel/idcodes.js';
import { drain } from '../src/kernel/jobs.js';
import { getSetting } from '../src/kernel/settings.js';
import { identityCode } from '../src/modules/subjects/identity.js';
import { COLUMNS } from '../src/modules/subjects/import.js';
import { drainOutbox, pushOnce } from '../src/modules/sharing/worker.js';
import { type TestApp, makeUser, multipartFile, proofFiles, testApp } from './helpers.js';

let national: TestApp;
let gd: TestApp;
let sc: TestApp;
const url = {} as Record<'national' | 'gd' | 'sc', string>;
const reviewer = {} as Record<'gd' | 'sc', string>;
let gdEarly: { subjectId: string; code: string };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
}

/** `lower` applies to national, which approves; the lower platform's heartbeat learns the approval and the key. */
async function connect(lower: TestApp, platformId: string) {
  const applied = await lower.req(await lower.login('admin'), {
    method: 'POST',
    url: '/api/v1/sharing/connections/apply',
    payload: { contactName: '对接人', contactPhone: '13800138000' },
  });
  expect(applied.statusCode, applied.body).toBe(200);
  const admin = await national.login('admin');
  const list = await national.req(admin, { method: 'GET', url: '/api/v1/sharing/connections' });
  const row = list.json().items.find((i: { platformId: string }) => i.platformId === platformId);
  const ok = await national.req(admin, {
    method: 'POST',
    url: `/api/v1/sharing/connections/${row.id}/actions`,
    payload: { action: 'approve' },
  });
  expect(ok.statusCode, ok.body).toBe(200);
  await pushOnce(lower.database.db, lower.app.config, true);
}

const push = async (t: TestApp) => {
  await pushOnce(t.database.db, t.app.config, true);
  await drainOutbox(t.database.db, t.app.config);
};

function farmer(name: string, idNo: string, divisionCode: string, username: string) {
  return {
    orgForm: 'individual',
    subjectType: 'production',
    industries: ['planting'],
    name,
    certType: 'id_card',
    certNo: idNo,
    legalPersonName: name.slice(0, 3),
    contactName: name.slice(0, 3),
    contactPhone: '13800138000',
    address: '村里',
    divisionCode,
    username,
    password: 'Farmer123',
  };
}
function coop(name: string, creditCode: string, divisionCode: string, username: string) {
  return {
    ...farmer(name, creditCode, divisionCode, username),
    orgForm: 'cooperative',
    certType: 'credit_code',
  };
}

async function register(t: TestApp, body: Record<string, unknown>) {
  return t.req(null, {
    method: 'POST',
    url: '/api/v1/subjects/registrations',
    payload: { ...body, files: await proofFiles(t, String(body.certType)) },
  });
}

/** Registers and has the county approve: the subject id and its identity code. */
async function registerApproved(t: TestApp, token: string, body: Record<string, unknown>) {
  const r = await register(t, body);
  expect(r.statusCode, r.body).toBe(201);
  const ok = await t.req(token, {
    method: 'POST',
    url: `/api/v1/subject-applications/${r.json().applicationId}/approve`,
    payload: {},
  });
  expect(ok.statusCode, ok.body).toBe(200);
  const s = await t.req(token, { method: 'GET', url: `/api/v1/subjects/${r.json().subjectId}` });
  return { subjectId: r.json().subjectId as string, code: s.json().identityCode as string };
}

const keyOf = async (t: TestApp) => (await getSetting<{ key: string }>(t.database.db, 'sharing.identityKey'))?.key;

beforeAll(async () => {
  national = await testApp({ PLATFORM_TIER: 'national' });
  url.national = await listen(national);
  gd = await testApp({ PLATFORM_TIER: 'province', PLATFORM_REGION: '44', UPPER_PLATFORM_URL: url.national });
  url.gd = await listen(gd);
  sc = await testApp({ PLATFORM_TIER: 'province', PLATFORM_REGION: '51', UPPER_PLATFORM_URL: url.national });
  url.sc = await listen(sc);
  for (const [t, k, division] of [
    [gd, 'gd', '440117'],
    [sc, 'sc', '510104'],
  ] as const)
    reviewer[k] = (
      await makeUser(t, await t.login('admin'), {
        username: `${k}_county`,
        orgName: `${k} 县监管站`,
        divisionCode: division,
        roles: ['supervisor'],
      })
    ).token;
  // Before Guangdong is connected, a farmer is approved there with Guangdong's own key.
  gdEarly = await registerApproved(
    gd,
    reviewer.gd,
    farmer('早期农户甲', makeIdNumber('440117', '19700101', '011'), '440117', 'gd_early'),
  );
  await connect(gd, 'province-44');
  await connect(sc, 'province-51');
}, 600_000);
afterAll(async () => {
  await sc?.close();
  await gd?.close();
  await national?.close();
});

describe('one registry, one identity', () => {
  it('hands the national identity key to both provinces over the connection', async () => {
    const fp = async (t: TestApp) => {
      const r = await t.req(await t.login('admin'), { method: 'GET', url: '/api/v1/sharing/connections' });
      return r.json().platform.identityKey;
    };
    const nat = await fp(national);
    expect(nat.source).toBe('national');
    expect(await fp(gd)).toEqual(nat);
    expect(await fp(sc)).toEqual(nat);
    const key = await keyOf(national);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await keyOf(gd)).toBe(key);
    expect(await keyOf(sc)).toBe(key);
    // Sealed to the receiver: the key itself never appears in the audit trail.
    const audits = await gd.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('verb', '=', 'sharing.identityKey')
      .execute();
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain(key);
  });

  it('derives identity codes alike on every platform and re-issues a code derived before the key came', async () => {
    const key = (await keyOf(national)) as string;
    // Guangdong's early farmer: re-issued under the national key by the rekey job (county part kept).
    await drain(gd.database.db, gd.app.config);
    const idNo = makeIdNumber('440117', '19700101', '011');
    const expected = identityCode({
      orgForm: 'individual',
      certType: 'id_card',
      certNo: idNo,
      personalIdNo: idNo,
      countyCode: '440117',
      secret: key,
    });
    const early = await gd.req(reviewer.gd, { method: 'GET', url: `/api/v1/subjects/${gdEarly.subjectId}` });
    expect(early.json().identityCode).toBe(expected);
    expect(gdEarly.code).not.toBe(expected);
    expect(expected.slice(0, 8)).toBe(gdEarly.code.slice(0, 8));
    // A Sichuan farmer's code is what national (or any platform) derives for the same ID number and county.
    const scId = makeIdNumber('510104', '19651212', '022');
    const s = await registerApproved(sc, reviewer.sc, farmer('川西农户乙', scId, '510104', 'sc_farmer'));
    expect(s.code).toBe(
      identityCode({
        orgForm: 'individual',
        certType: 'id_card',
        certNo: scId,
        personalIdNo: scId,
        countyCode: '510104',
        secret: key,
      }),
    );
    // National holds the same code in the shared-in record.
    await push(sc);
    const nat = await national.req(await national.login('admin'), {
      method: 'GET',
      url: `/api/v1/subjects?q=${encodeURIComponent('川西农户乙')}`,
    });
    expect(nat.json().items[0]).toMatchObject({ identityCode: s.code, originPlatform: 'province-51' });
    // Only keyed hashes of the ID number travel for de-duplication.
    const shared = await national.database.db
      .selectFrom('shared_record')
      .select('payload')
      .where('record_id', '=', s.subjectId)
      .execute();
    for (const r of shared)
      expect((r.payload as { registryHashes: string[] }).registryHashes[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses a producer registered in Sichuan when it registers again in Guangdong, saying where', async () => {
    const scId = makeIdNumber('510104', '19651212', '022');
    const again = await register(gd, farmer('川西农户乙', scId, '440117', 'gd_again'));
    expect(again.statusCode, again.body).toBe(409);
    const body = again.json();
    expect(body.code).toBe('SUBJECT_REGISTERED_ELSEWHERE');
    expect(body.field).toBe('certNo');
    expect(body.message).toContain('已在四川省平台注册');
    expect(body.message).toContain('身份证号码');
    expect(body.messageEn).toContain('already registered on the Sichuan platform');
    expect(body.details).toMatchObject({ platformId: 'province-51', platformName: '四川省平台' });
    // Nothing was written at Guangdong.
    const none = await gd.database.db.selectFrom('account').select('id').where('username', '=', 'gd_again').execute();
    expect(none).toHaveLength(0);
    // National refuses it too (checked locally against the shared-in subject), and so does a credit code.
    const atNational = await register(national, farmer('川西农户乙', scId, '110101', 'nat_again'));
    expect(atNational.statusCode).toBe(409);
    expect(atNational.json().message).toContain('四川省平台');
    const cc = makeCreditCode('93510104MA6RG0001');
    expect((await register(sc, coop('蜀南合作社', cc, '510104', 'sc_coop'))).statusCode).toBe(201);
    await push(sc);
    const gdCoop = await register(gd, coop('蜀南合作社', cc, '440117', 'gd_coop'));
    expect(gdCoop.statusCode).toBe(409);
    expect(gdCoop.json().message).toContain('统一社会信用代码');
    expect(gdCoop.json().message).toContain('待审核');
  });

  it('accepts provisionally while national is unreachable and lists the duplicate at national', async () => {
    const cc = makeCreditCode('93440117MA6RG0002');
    expect((await register(gd, coop('粤北合作社', cc, '440117', 'gd_coop2'))).statusCode).toBe(201);
    await push(gd);
    const upper = sc.app.config.upperPlatformUrl;
    try {
      sc.app.config.upperPlatformUrl = 'http://127.0.0.1:9'; // nothing listens there
      const r = await register(sc, coop('粤北合作社川分', cc, '510104', 'sc_coop2'));
      expect(r.statusCode, r.body).toBe(201);
      const app = await sc.database.db
        .selectFrom('subject_application')
        .select('data')
        .where('id', '=', r.json().applicationId)
        .executeTakeFirstOrThrow();
      expect(app.data).toMatchObject({ registryUnchecked: true });
    } finally {
      sc.app.config.upperPlatformUrl = upper;
    }
    await push(sc);
    const dup = await national.req(await national.login('admin'), {
      method: 'GET',
      url: '/api/v1/subjects/registry/duplicates',
    });
    expect(dup.statusCode, dup.body).toBe(200);
    const item = dup
      .json()
      .find((d: { records: { platformId: string }[] }) => d.records.some((x) => x.platformId === 'province-51'));
    expect(item.records.map((x: { platformId: string }) => x.platformId).sort()).toEqual([
      'province-44',
      'province-51',
    ]);
    expect(item.records.map((x: { platformName: string }) => x.platformName).sort()).toEqual([
      '四川省平台',
      '广东省平台',
    ]);
    // The reviewer sees each record's producer name and status in both languages; the records shared in are not local.
    expect(item.records.map((x: { name: string }) => x.name).sort()).toEqual(['粤北合作社', '粤北合作社川分']);
    for (const x of item.records) {
      expect(x).toMatchObject({ local: false });
      expect(x.statusZh).toMatch(/[\u4e00-\u9fa5]/);
      expect(x.statusEn).toMatch(/^[ -~]+$/);
    }
  });

  it("de-duplicates Guangdong's historical import against the national registry, with a merge report", async () => {
    const admin = await gd.login('admin');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('主体');
    ws.addRow(COLUMNS.map((c) => c.header));
    const defaults: Record<string, string> = {
      orgForm: '农户',
      subjectType: '生产',
      industries: '种植业',
      certType: '居民身份证',
      legalPersonName: '张',
      contactName: '张',
      contactPhone: '13800000001',
      address: '从化区',
      divisionCode: '440117',
    };
    const row = (o: Record<string, string>) => {
      const cells: Record<string, string> = { ...defaults, ...o };
      ws.addRow(COLUMNS.map((c) => cells[c.key] ?? ''));
    };
    const newId = makeIdNumber('440117', '19800808', '033');
    row({ name: '导入新农户', certNo: newId }); // row 2
    row({ name: '导入川西农户', certNo: makeIdNumber('510104', '19651212', '022') }); // row 3: registered in Sichuan
    row({ name: '导入新农户重复', certNo: newId }); // row 4: repeats row 2
    const up = await gd.req(admin, {
      method: 'POST',
      url: '/api/v1/files?purpose=spreadsheet',
      ...multipartFile('历史主体.xlsx', Buffer.from(await wb.xlsx.writeBuffer()), XLSX),
    });
    expect(up.statusCode, up.body).toBe(201);
    const start = await gd.req(admin, {
      method: 'POST',
      url: '/api/v1/subjects/imports',
      payload: { fileId: up.json().id },
    });
    expect(start.statusCode, start.body).toBe(202);
    await drain(gd.database.db, gd.app.config);
    const job = (await gd.req(admin, { method: 'GET', url: start.json().statusUrl })).json();
    expect(job.status, JSON.stringify(job)).toBe('done');
    expect(job.result).toMatchObject({
      total: 3,
      created: 1,
      registeredElsewhere: 1,
      duplicatesInFile: 1,
      registryComplete: true,
    });
    const file = await gd.req(admin, { method: 'GET', url: `/api/v1/files/${job.result.mergeReportFileId}` });
    expect(file.statusCode).toBe(200);
    const report = new ExcelJS.Workbook();
    await report.xlsx.load(file.rawPayload as never);
    const lines = (report.worksheets[0]?.getSheetValues() ?? []).slice(2) as ExcelJS.CellValue[][];
    expect(lines.map((l) => [l[1], l[3]])).toEqual([
      [2, '新增 New'],
      [3, '已在其他平台注册，未导入 Registered on another platform, not imported'],
      [4, '与本文件前面的行重复，未导入 Repeats an earlier row, not imported'],
    ]);
    expect(lines[1]?.[5]).toBe('已在四川省平台注册');
    expect(String(lines[0]?.[4])).toMatch(/^NP440117/);
    expect(lines[2]?.[5]).toBe('与第 2 行是同一主体');
  });
});
