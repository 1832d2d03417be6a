import ExcelJS from 'exceljs';
import './excel-utf8.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, expandLineage, makeProducer, makeUser, testApp } from './helpers.js';

/**
 * Issue 12 item 9, lineage within jurisdiction (seed 003: 监管部门根据权限可以查询本辖区追溯信息). One chain crosses two
 * provinces: a Sichuan farm (成都市锦江区) sells to a trader in Guangzhou's 从化区, who sells on to a Sichuan shop.
 * The 从化区 county officer traces from the trader's lot: the Sichuan lots appear masked (kind, division, quantity;
 * no subject, contact, phone, code, batch number or id) in forward, backward, the graph and the Excel export; a
 * national officer sees them in full; producers keep their one step each way; every read and export is recorded in
 * the audit log (the query record); a recall still notifies the Sichuan holder.
 */
let t: TestApp;
type P = { token: string; subjectId: string; orgId: string };
let farm: P; // 锦江区, Sichuan
let trader: P; // 从化区, Guangdong
let shop: P; // 锦江区, Sichuan
let county: string; // 从化区农业农村局
let national: string; // 农业农村部
let admin: string;
const secrets: string[] = []; // what the county officer must never see of the Sichuan nodes
let farmLot: { id: string; code: string; batchNo: string };
let received: string; // the trader's lot (the root)
let shopLot: string;

const post = (tok: string, url: string, payload: unknown) =>
  t.req(tok, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });
const get = (tok: string, url: string) => t.req(tok, { method: 'GET', url: `/api/v1${url}` });

async function sell(from: P, batchId: string, quantity: number, identityCode: string, to: P) {
  const s = await post(from.token, '/sales', {
    batchId,
    quantity,
    buyerKind: 'registered',
    buyerIdentityCode: identityCode,
  });
  expect(s.statusCode, s.body).toBe(201);
  const r = await post(to.token, '/receipts', { saleId: s.json().id, decision: 'accept' });
  expect(r.statusCode, r.body).toBe(200);
  return r.json().receiptBatchId as string;
}

const batchRow = (id: string) =>
  t.database.db.selectFrom('batch').select(['id', 'batch_no']).where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await testApp({ PUBLIC_BASE_URL: 'https://trace.example.cn', PLATFORM_TIER: 'national' });
  admin = await t.login('admin');
  farm = await makeProducer(t, { username: 'l_farm', name: '锦江区蜀丰蔬菜种植合作社', divisionCode: '510104' });
  trader = await makeProducer(t, { username: 'l_trader', name: '从化区好运农产品经营部', divisionCode: '440117' });
  shop = await makeProducer(t, { username: 'l_shop', name: '锦江区川味鲜果蔬店', divisionCode: '510104' });
  const people: [P, string, string, string][] = [
    [farm, 'ZT5101040000000011', '张蜀丰', '13711110001'],
    [trader, 'ZT4401170000000012', '李好运', '13722220002'],
    [shop, 'ZT5101040000000013', '王川味', '13733330003'],
  ];
  for (const [p, identity, contact, phone] of people)
    await t.database.db
      .updateTable('subject')
      .set({ identity_code: identity, contact_name: contact, contact_phone: phone, address: `${contact}的仓库` })
      .where('id', '=', p.subjectId)
      .execute();
  county = (
    await makeUser(t, admin, {
      username: 'l_county',
      orgName: '从化区农业农村局',
      divisionCode: '440117',
      roles: ['supervisor'],
    })
  ).token;
  // The national regulator's organisation ('' = the whole country), written straight to the database.
  const ministry = await t.database.db
    .insertInto('organisation')
    .values({
      name: '农业农村部农产品质量安全监管司',
      kind: 'supervision',
      division_code: '',
      contact_name: null,
      contact_phone: null,
      address: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  national = (
    await makeUser(t, admin, {
      username: 'l_nation',
      orgName: '',
      orgId: ministry.id,
      divisionCode: '',
      roles: ['supervisor'],
    })
  ).token;
  const product = (await post(farm.token, '/products', { name: '蜀丰牌豇豆', industry: 'planting' })).json().id;
  const lot = await post(farm.token, '/batches', {
    productId: product,
    baseId: null,
    quantity: 1000,
    producedAt: '2026-11-20T08:00:00+08:00',
    selfCheck: 'pass',
  });
  expect(lot.statusCode, lot.body).toBe(201);
  farmLot = { id: lot.json().id, code: lot.json().code, batchNo: (await batchRow(lot.json().id)).batch_no };
  received = await sell(farm, farmLot.id, 300, 'ZT4401170000000012', trader);
  shopLot = await sell(trader, received, 120, 'ZT5101040000000013', shop);
  // (Batch numbers run per producer, so the shop's received lot may share the trader's number: not a secret.
  // Received lots carry the upstream product, so its name is the visible root's own too.)
  const shopCode = (await get(shop.token, `/batches/${shopLot}`)).json().code as string;
  expect(shopCode).toBeTruthy();
  secrets.push(
    '锦江区蜀丰蔬菜种植合作社',
    '锦江区川味鲜果蔬店',
    '张蜀丰',
    '王川味',
    '13711110001',
    '13733330003',
    '张蜀丰的仓库',
    farm.subjectId,
    shop.subjectId,
    farmLot.id,
    farmLot.code,
    farmLot.batchNo,
    shopLot,
    shopCode,
  );
});
afterAll(() => t?.close());

/** Every secret of the Sichuan nodes that occurs in `text`. */
const leaks = (text: string) => secrets.filter((s) => text.includes(s));

type Node = {
  batchId: string;
  depth: number;
  kind: string;
  masked: boolean;
  inJurisdiction: boolean;
  subjectName: string | null;
  subjectId: string | null;
  code: string | null;
  batchNo: string | null;
  productName: string | null;
  divisionCode: string;
  divisionName: string;
  quantity: number;
};

describe('lineage within jurisdiction', () => {
  it('a county officer sees nodes in other provinces masked in forward and backward traces', async () => {
    const fwd = await get(county, `/batches/${received}/forward`);
    expect(fwd.statusCode, fwd.body).toBe(200);
    expect(leaks(fwd.body)).toEqual([]);
    const f = expandLineage(fwd.json()) as { nodes: Node[]; edges: { from: string; to: string }[] };
    expect(f.nodes).toHaveLength(2);
    const [root, holder] = f.nodes;
    expect(root.masked).toBe(false);
    expect(root.subjectName).toBe('从化区好运农产品经营部');
    expect(holder.masked).toBe(true);
    expect(holder.inJurisdiction).toBe(false);
    expect(holder).toMatchObject({
      kind: 'circulation',
      subjectName: null,
      subjectId: null,
      code: null,
      batchNo: null,
      productName: null,
      divisionCode: '510104',
      quantity: 120,
    });
    expect(holder.divisionName).toContain('锦江区');
    expect(holder.batchId).not.toBe(shopLot);
    // The edge joins the root to the alias, and the alias opens nothing.
    expect(f.edges).toEqual([expect.objectContaining({ from: received, to: holder.batchId })]);
    expect((await get(county, `/batches/${holder.batchId}/forward`)).statusCode).toBe(404);
    // Pages of one trace agree on the alias.
    const page2 = (await get(county, `/batches/${received}/forward?pageSize=1&page=2`)).json();
    expect(page2.nodes[0].batchId).toBe(holder.batchId);

    const back = await get(county, `/batches/${received}/backward`);
    expect(back.statusCode, back.body).toBe(200);
    expect(leaks(back.body)).toEqual([]);
    const source = (expandLineage(back.json()).nodes as Node[]).find((n) => n.depth === 1);
    expect(source).toMatchObject({ masked: true, kind: 'production', subjectName: null, quantity: 1000 });
    expect(source?.divisionName).toContain('锦江区');
  });

  it('the whole graph masks them too; a national officer sees every name', async () => {
    const g = await get(county, `/batches/${received}/graph`);
    expect(g.statusCode, g.body).toBe(200);
    expect(leaks(g.body)).toEqual([]);
    const nodes = g.json().nodes as Node[];
    expect(nodes).toHaveLength(3);
    expect(nodes.filter((n) => n.masked).map((n) => n.depth)).toEqual([-1, 1]);
    expect(g.json().edges).toHaveLength(2);

    const whole = await get(national, `/batches/${received}/graph`);
    expect(whole.statusCode, whole.body).toBe(200);
    const all = expandLineage(whole.json()).nodes as Node[];
    expect(all.every((n) => !n.masked)).toBe(true);
    expect(all.map((n) => n.subjectName).sort()).toEqual(
      ['从化区好运农产品经营部', '锦江区川味鲜果蔬店', '锦江区蜀丰蔬菜种植合作社'].sort(),
    );
    expect(all.map((n) => n.batchId)).toContain(shopLot);
    const nf = expandLineage((await get(national, `/batches/${received}/forward`)).json()).nodes as Node[];
    expect(nf[1].subjectName).toBe('锦江区川味鲜果蔬店');
  });

  it('producers keep exactly their one step up and down', async () => {
    const back = expandLineage((await get(trader.token, `/batches/${received}/backward`)).json());
    expect(back.maxDepth).toBe(1);
    expect(back.nodes.map((n: Node) => n.subjectName)).toContain('锦江区蜀丰蔬菜种植合作社');
    // Two steps away from the shop's own lot: the farm is out of the shop's reach, as before.
    const shopBack = expandLineage((await get(shop.token, `/batches/${shopLot}/backward`)).json());
    expect(shopBack.total).toBe(2);
    expect(shopBack.nodes.map((n: Node) => n.subjectName)).not.toContain('锦江区蜀丰蔬菜种植合作社');
    expect((await get(shop.token, `/batches/${received}/forward`)).statusCode).toBe(403);
  });

  it('the Excel export masks the outside lots, events and counterparts', async () => {
    const res = await get(county, `/batches/${received}/lineage.xlsx`);
    expect(res.statusCode, res.body).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) =>
      ws.eachRow((row) =>
        row.eachCell((c) => {
          cells.push(String(c.value instanceof Date ? c.value.toISOString() : c.value));
        }),
      ),
    );
    expect(leaks(cells.join('\n'))).toEqual([]);
    const lots = wb.getWorksheet('批次 Lots');
    const rows: Record<string, string>[] = [];
    lots?.eachRow((row, i) => {
      if (i === 1) return;
      rows.push({
        code: String(row.getCell(2).value ?? ''),
        subject: String(row.getCell(5).value ?? ''),
        contact: String(row.getCell(6).value ?? ''),
        phone: String(row.getCell(7).value ?? ''),
        division: String(row.getCell(9).value ?? ''),
        quantity: String(row.getCell(10).value ?? ''),
      });
    });
    expect(rows).toHaveLength(3);
    const outside = rows.filter((r) => r.subject.includes('辖区外主体'));
    expect(outside).toHaveLength(2);
    for (const r of outside) {
      expect(r.contact).toBe('');
      expect(r.phone).toBe('');
      expect(r.division).toContain('锦江区');
      expect(r.code).toMatch(/^辖区外批次 Outside lot \d$/);
    }
    expect(outside.map((r) => r.quantity).sort()).toEqual(['1000', '120']);
    const own = rows.find((r) => r.subject === '从化区好运农产品经营部');
    expect(own?.phone).toBe('13722220002');
    // The links sheet joins the masked lots by their labels.
    const links: string[] = [];
    wb.getWorksheet('流向 Links')?.eachRow((row, i) => {
      if (i > 1) links.push(`${row.getCell(1).value}→${row.getCell(2).value}`);
    });
    expect(links).toHaveLength(2);
    expect(links.every((l) => l.includes('辖区外批次'))).toBe(true);

    const full = await get(national, `/batches/${received}/lineage.xlsx`);
    const nwb = new ExcelJS.Workbook();
    await nwb.xlsx.load(full.rawPayload as unknown as ArrayBuffer);
    const phones: string[] = [];
    nwb.getWorksheet('批次 Lots')?.eachRow((row, i) => {
      if (i > 1) phones.push(String(row.getCell(7).value));
    });
    expect(phones.sort()).toEqual(['13711110001', '13722220002', '13733330003']);
  });

  it('every lineage read and export is recorded: who, what, when', async () => {
    const before = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    await get(county, `/batches/${received}/forward`);
    await get(county, `/batches/${received}/backward`);
    await get(county, `/batches/${received}/graph`);
    await get(county, `/batches/${received}/lineage.xlsx`);
    const rows = await t.database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('actor_name', '=', 'l_county')
      .where('target_id', '=', received)
      .where('id', '>', Number(before.id ?? 0))
      .orderBy('id')
      .execute();
    const what = rows.map((r) => `${r.verb}:${(r.summary as { action: string }).action}`);
    expect(what).toEqual([
      'lineage.read:traceForward',
      'lineage.read:traceBackward',
      'lineage.graph:viewGraph',
      'lineage.export:export',
    ]);
    for (const r of rows) {
      expect(r.target_type).toBe('batch');
      expect(r.division_code).toBe('440117');
      expect(r.org_name).toBe('从化区农业农村局');
      expect(r.ip).toBeTruthy();
      expect(r.at).toBeInstanceOf(Date);
    }
    expect((rows[3].summary as { masked: number }).masked).toBe(2);
    // The records are browsed in the audit log, in words.
    const log = await get(admin, `/audit?verb=lineage.export&within=440117`);
    expect(log.statusCode, log.body).toBe(200);
    expect(log.body).toContain('导出链条上下游记录');
  });

  it('a recall opened by the county still reaches the holder in the other province', async () => {
    const res = await post(county, '/recalls', { batchId: received, reason: '抽检发现腐霉利残留超标', level: 1 });
    expect(res.statusCode, res.body).toBe(201);
    const notes = (await get(shop.token, '/notifications')).json().items as { kind: string; link: string }[];
    const note = notes.find((n) => n.kind === 'recall.notice');
    expect(note?.link).toBe(`/chain/recalls/${res.json().id}`);
  });
});
