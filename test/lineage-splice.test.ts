import { sql } from 'kysely';
import pg from 'pg';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditRead } from '../src/kernel/audit.js';
import { resolveSecret } from '../src/kernel/auth/sessions.js';
import { Graph, Trace } from '../src/modules/lineage/schemas.js';
import { type TestApp, expandLineage, makeProducer, makeUser, testApp } from './helpers.js';

/**
 * Issue 19 item 2. traceForward / traceBackward and the whole graph send JSON text spliced from what the database
 * wrote (repo.traceSql / graphSql, masked in the statement, names once in dictionaries). The trace statements and the
 * graph statement walk differently; for one caller they must say the same thing about the same
 * lots, masked ones included: a multi-hop chain (farm → trader → shop, and farm → shop directly) where the shop is in
 * another province than the provincial officer. And the session cache (kernel/auth/sessions.ts): a logout or a
 * password change in this process refuses the old session at once; a session deleted behind the process's back (as
 * another process would) is refused once the window has passed. And the query record: a warm trace or graph is one
 * statement that also writes the read's audit row, the very row `auditRead` writes; a record that cannot be written
 * fails the read; on PostgreSQL that statement commits without waiting for the WAL flush, and only that statement.
 */
let t: TestApp;
const PASSWORD = 'Changed123'; // what makeUser and makeProducer leave
type P = { token: string; subjectId: string; orgId: string };
let farm: P; // 从化区
let trader: P; // 从化区
let shop: P; // 锦江区, Sichuan: outside the officer's province
let officer: string; // 广东省, supervisor
let farmLot: string;
let traderLot: string;

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

beforeAll(async () => {
  t = await testApp({ PUBLIC_BASE_URL: 'https://trace.example.cn', PLATFORM_TIER: 'national' });
  const admin = await t.login('admin');
  farm = await makeProducer(t, { username: 's_farm', name: '从化区良口蔬菜合作社', divisionCode: '440117' });
  trader = await makeProducer(t, { username: 's_trader', name: '从化区鸿运农产品经营部', divisionCode: '440117' });
  shop = await makeProducer(t, { username: 's_shop', name: '锦江区蜀味果蔬店', divisionCode: '510104' });
  for (const [p, identity] of [
    [trader, 'ZT4401170000000022'],
    [shop, 'ZT5101040000000023'],
  ] as const)
    await t.database.db.updateTable('subject').set({ identity_code: identity }).where('id', '=', p.subjectId).execute();
  officer = (
    await makeUser(t, admin, {
      username: 's_gd',
      orgName: '广东省农业农村厅',
      divisionCode: '44',
      roles: ['supervisor'],
    })
  ).token;
  const product = (await post(farm.token, '/products', { name: '良口豇豆', industry: 'planting' })).json().id;
  const lot = await post(farm.token, '/batches', {
    productId: product,
    baseId: null,
    quantity: 1000,
    producedAt: '2026-11-20T08:00:00+08:00',
    selfCheck: 'pass',
  });
  expect(lot.statusCode, lot.body).toBe(201);
  farmLot = lot.json().id;
  traderLot = await sell(farm, farmLot, 300, 'ZT4401170000000022', trader);
  await sell(trader, traderLot, 120, 'ZT5101040000000023', shop);
  await sell(farm, farmLot, 50, 'ZT5101040000000023', shop);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

type Node = Record<string, unknown> & { batchId: string; depth: number };
type Edge = { from: string; to: string };
const byId = (a: Node, b: Node) => a.batchId.localeCompare(b.batchId);
const edgeKey = (e: Edge) => JSON.stringify(e, Object.keys(e).sort());

describe('spliced traces', () => {
  it('forward and backward say what the whole graph says about every lot and link, masked ones included', async () => {
    const graph = await get(officer, `/batches/${farmLot}/graph`);
    expect(graph.statusCode, graph.body).toBe(200);
    const g = graph.json() as { nodes: Node[]; edges: Edge[] };
    expect(Value.Check(Graph, g), JSON.stringify([...Value.Errors(Graph, g)].slice(0, 3))).toBe(true);
    const fwd = await get(officer, `/batches/${farmLot}/forward`);
    expect(fwd.statusCode, fwd.body).toBe(200);
    expect(fwd.headers['content-type']).toMatch(/^application\/json/);
    const f = fwd.json();
    expect(Value.Check(Trace, f), JSON.stringify([...Value.Errors(Trace, f)].slice(0, 3))).toBe(true);
    // root, the trader's lot and the shop's direct lot at depth 1, the shop's lot via the trader at depth 2
    expect(f.total).toBe(4);
    expect((f.nodes as Node[]).map((n) => n.depth)).toEqual([0, 1, 1, 2]);
    expect((f.nodes as Node[]).filter((n) => n.masked)).toHaveLength(2);
    expect([...f.nodes].sort(byId)).toEqual(g.nodes.filter((n) => n.depth >= 0).sort(byId));
    expect((f.edges as Edge[]).map(edgeKey).sort()).toEqual(g.edges.map(edgeKey).sort());

    const back = await get(officer, `/batches/${traderLot}/backward`);
    expect(back.statusCode, back.body).toBe(200);
    const b = back.json();
    expect(Value.Check(Trace, b)).toBe(true);
    const g2 = (await get(officer, `/batches/${traderLot}/graph`)).json() as { nodes: Node[]; edges: Edge[] };
    const up = g2.nodes.filter((n) => n.depth <= 0).map((n) => ({ ...n, depth: -n.depth || 0 }));
    expect(b.nodes.map((n: Node) => n.depth)).toEqual([0, 1]);
    expect([...b.nodes].sort(byId)).toEqual(up.sort(byId));
    const ids = new Set(up.map((n) => n.batchId));
    expect((b.edges as Edge[]).map(edgeKey).sort()).toEqual(
      g2.edges
        .filter((e) => ids.has(e.from) && ids.has(e.to))
        .map(edgeKey)
        .sort(),
    );
  });

  it('the producer keeps one step each way, with its partners in full', async () => {
    const r = await get(trader.token, `/batches/${traderLot}/forward`);
    expect(r.statusCode, r.body).toBe(200);
    // Names are sent once (issue 19): the dictionaries, not each lot, carry them.
    expect(r.body.split('从化区鸿运农产品经营部')).toHaveLength(2);
    expect(r.json().nodes[0]).not.toHaveProperty('subjectName');
    const f = expandLineage(r.json());
    expect(f.maxDepth).toBe(1);
    expect(f.nodes).toHaveLength(2);
    expect(f.nodes.every((n: Node) => !n.masked && n.subjectName)).toBe(true);
    expect(f.nodes[1].subjectName).toBe('锦江区蜀味果蔬店');
    expect(f.nodes[1].code).toMatch(/^\d{20}$/);
    expect(f.nodes[1].codeUrl).toBe(`https://trace.example.cn/t/${f.nodes[1].code}`);
  });
});

describe('the query record, written by the statement of the read', () => {
  /**
   * The SQL text of every statement sent to the database while `fn` runs: each is a pg `Query` submitted on a
   * connection (PGlite's pool uses pg's client too; connect.ts wraps `client.query` per connection, so the prototype's
   * `query` is not the place).
   */
  async function statements(fn: () => Promise<void>) {
    const proto = pg.Query.prototype as unknown as { submit: (...a: unknown[]) => unknown };
    const submit = proto.submit;
    const texts: string[] = [];
    proto.submit = function (this: { text?: string }, ...a: unknown[]) {
      texts.push(this.text ?? '');
      return submit.apply(this, a);
    };
    try {
      await fn();
      return texts;
    } finally {
      proto.submit = submit;
    }
  }
  const reads = [
    // The farm's lot, the trader's, and the shop's two lots (in Sichuan: masked); nothing upstream of the farm.
    {
      url: '/batches/{farm}/forward',
      verb: 'lineage.read',
      summary: { action: 'traceForward', page: 1 },
      lots: [4, 2],
    },
    {
      url: '/batches/{farm}/backward?page=1',
      verb: 'lineage.read',
      summary: { action: 'traceBackward', page: 1 },
      lots: [1, 0],
    },
    { url: '/batches/{farm}/graph', verb: 'lineage.graph', summary: { action: 'viewGraph' }, lots: [4, 2] },
  ];
  const urlOf = (u: string) => u.replace('{farm}', farmLot);

  it('a warm trace or graph is one statement, and its audit row is the one auditRead writes', async () => {
    for (const r of reads) expect((await get(officer, urlOf(r.url))).statusCode).toBe(200); // session, names cached
    const lastId = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('audit_log')
            .select((eb) => eb.fn.max('id').as('id'))
            .executeTakeFirstOrThrow()
        ).id,
      );
    const resolved = await resolveSecret(t.database.db, officer, t.app.verbTable);
    if (!('actor' in resolved)) throw new Error('the officer is signed in');
    const ctx = { db: t.database.db, actor: resolved.actor, ip: '127.0.0.1', config: t.app.config };
    const batch = await t.database.db
      .selectFrom('batch')
      .select(['batch_no', 'division_code'])
      .where('id', '=', farmLot)
      .executeTakeFirstOrThrow();
    // The clock stands still, so the session stays cached however slow the machine.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const r of reads) {
        const before = await lastId();
        let body: { nodes: { masked: boolean }[] } = { nodes: [] };
        const sent = await statements(async () => {
          const res = await get(officer, urlOf(r.url));
          expect(res.statusCode, res.body).toBe(200);
          body = res.json();
        });
        expect(sent, r.url).toHaveLength(1);
        expect(sent[0]).toMatch(/INSERT INTO audit_log/);
        const made = await t.database.db.selectFrom('audit_log').selectAll().where('id', '>', before).execute();
        expect(made, r.url).toHaveLength(1);
        // What the kernel's auditRead writes for the same read, as the endpoint wrote it before.
        await auditRead(ctx, {
          verb: r.verb,
          targetType: 'batch',
          targetId: farmLot,
          targetName: batch.batch_no,
          divisionCode: batch.division_code,
          summary: { ...r.summary, lots: body.nodes.length, masked: body.nodes.filter((n) => n.masked).length },
        });
        const [ref] = await t.database.db.selectFrom('audit_log').selectAll().where('id', '>', made[0].id).execute();
        const { id: _i, at: _a, ...row } = made[0];
        const { id: _j, at: _b, ...expected } = ref;
        expect(row, r.url).toEqual(expected);
        expect(row.summary).toMatchObject({ lots: r.lots[0], masked: r.lots[1] });
        await t.database.db.deleteFrom('audit_log').where('id', '=', ref.id).execute();
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it('a record that cannot be written fails the read, and a refused read records nothing', async () => {
    await sql`CREATE FUNCTION test_no_lineage_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'no record'; END $$`.execute(t.database.db);
    await sql`CREATE TRIGGER test_no_lineage_record BEFORE INSERT ON audit_log FOR EACH ROW
      WHEN (NEW.verb LIKE 'lineage.%') EXECUTE FUNCTION test_no_lineage_record()`.execute(t.database.db);
    try {
      for (const r of reads) expect((await get(officer, urlOf(r.url))).statusCode, r.url).toBe(500);
    } finally {
      await sql`DROP TRIGGER test_no_lineage_record ON audit_log`.execute(t.database.db);
      await sql`DROP FUNCTION test_no_lineage_record()`.execute(t.database.db);
    }
    // Another producer's batch: refused (403), nothing recorded.
    const before = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('target_id', '=', farmLot)
      .executeTakeFirstOrThrow();
    expect((await get(shop.token, `/batches/${farmLot}/forward`)).statusCode).toBe(403);
    const after = await t.database.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('target_id', '=', farmLot)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('on PostgreSQL the statement commits without waiting for the WAL flush, and only that statement', async () => {
    const sent = await statements(async () => {
      for (const r of reads) expect((await get(officer, urlOf(r.url))).statusCode).toBe(200);
    });
    const lazy = sent.filter((s) => s.includes("set_config('synchronous_commit', 'off', true)"));
    // PGlite has no WAL writer to flush a lazy commit soon: there the commit waits as usual.
    expect(lazy).toHaveLength(t.database.kind === 'postgresql' ? reads.length : 0);
    // The setting is local to the statement's transaction: every pooled connection still commits synchronously.
    const settings = await Promise.all(
      Array.from({ length: 10 }, () =>
        sql<{ s: string }>`SELECT current_setting('synchronous_commit') AS s, pg_sleep(0.05)`.execute(t.database.db),
      ),
    );
    expect(new Set(settings.map((x) => x.rows[0].s))).toEqual(new Set(['on']));
  });
});

describe('session cache', () => {
  const me = (tok: string) => t.req(tok, { method: 'GET', url: '/api/v1/auth/me' });

  it('a logout refuses the session at once', async () => {
    const tok = await t.login('s_gd', PASSWORD);
    expect((await me(tok)).statusCode).toBe(200);
    const out = await t.req(tok, { method: 'POST', url: '/api/v1/auth/logout' });
    expect(out.statusCode, out.body).toBeLessThan(300);
    expect((await me(tok)).statusCode).toBe(401);
  });

  it('a password change refuses the other sessions at once, not the one that changed it', async () => {
    const a = await t.login('s_trader', PASSWORD);
    const b = await t.login('s_trader', PASSWORD);
    expect((await me(a)).statusCode).toBe(200);
    expect((await me(b)).statusCode).toBe(200);
    const r = await t.req(a, {
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { currentPassword: PASSWORD, newPassword: 'Changed12345' },
    });
    expect(r.statusCode, r.body).toBe(204);
    expect((await me(b)).statusCode).toBe(401);
    expect((await me(a)).statusCode).toBe(200);
  });

  it('a session revoked elsewhere is refused once the window has passed', async () => {
    const tok = await t.login('s_gd', PASSWORD);
    // The clock stands still (only Date is faked) until the test moves it.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      expect((await me(tok)).statusCode).toBe(200);
      // Another process revokes it: the row goes, this process is not told, so inside the window it still answers…
      await t.database.db.deleteFrom('session').execute();
      expect(t.app.config.sessionCacheMs).toBeGreaterThan(0);
      expect((await me(tok)).statusCode).toBe(200);
      // …and once the window has passed it is refused.
      vi.setSystemTime(Date.now() + t.app.config.sessionCacheMs + 1);
      expect((await me(tok)).statusCode).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });
});
