/**
 * Upward sharing (issue 14) between real platforms in one process: national ← Guangdong ← a Guangdong county, each
 * its own app and database, talking over real HTTP on 127.0.0.1. (The kill -9 runs are in sharing-crash.test.ts.)
 */
import { type Socket, connect as tcpConnect, createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformIdentity, signBody } from '../src/modules/sharing/identity.js';
import { drainOutbox, pushOnce } from '../src/modules/sharing/worker.js';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { type TestApp, makeUser, proofFiles, testApp } from './helpers.js';

let national: TestApp;
let gd: TestApp;
let county: TestApp;
const url = {} as Record<'national' | 'gd' | 'county', string>;
const tok = {} as Record<'national' | 'gd' | 'county', string>;

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address() as { port: number };
  return `http://127.0.0.1:${addr.port}`;
}

async function org(t: TestApp, token: string, name: string, divisionCode: string) {
  const r = await t.req(token, {
    method: 'POST',
    url: '/api/v1/organisations',
    payload: { name, kind: 'supervision', divisionCode },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json().id as string;
}

const connections = async (t: TestApp, token: string) => {
  const r = await t.req(token, { method: 'GET', url: '/api/v1/sharing/connections' });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
const act = (t: TestApp, token: string, id: string, action: string) =>
  t.req(token, { method: 'POST', url: `/api/v1/sharing/connections/${id}/actions`, payload: { action } });
const records = async (t: TestApp, token: string, query = '') => {
  const r = await t.req(token, { method: 'GET', url: `/api/v1/sharing/records?pageSize=200${query}` });
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};
/** One heartbeat-or-batch round (learns approval), then rounds until the outbox is empty: records taken. */
const push = async (t: TestApp) => {
  const first = await pushOnce(t.database.db, t.app.config, true);
  return Math.max(0, first) + (await drainOutbox(t.database.db, t.app.config));
};

beforeAll(async () => {
  national = await testApp({ PLATFORM_TIER: 'national' });
  url.national = await listen(national);
  gd = await testApp({ PLATFORM_TIER: 'province', PLATFORM_REGION: '44', UPPER_PLATFORM_URL: url.national });
  url.gd = await listen(gd);
  county = await testApp({ PLATFORM_TIER: 'county', PLATFORM_REGION: '440117', UPPER_PLATFORM_URL: url.gd });
  url.county = await listen(county);
  tok.national = await national.login('admin');
  tok.gd = await gd.login('admin');
  tok.county = await county.login('admin');
}, 600_000);
afterAll(async () => {
  await county?.close();
  await gd?.close();
  await national?.close();
});

describe('upward sharing', () => {
  it('keeps an SM2 identity per platform', async () => {
    const c = await connections(gd, tok.gd);
    expect(c.platform).toMatchObject({ platformId: 'province-44', tier: 'province', region: '44' });
    expect(c.platform.publicKey).toContain('BEGIN PUBLIC KEY');
  });

  it('applies, is refused until approved, then delivers every record exactly once', async () => {
    // Records written before the connection exists wait in the outbox (the historical import takes the same path).
    const before = [await org(gd, tok.gd, '共享前机构1', '440117'), await org(gd, tok.gd, '共享前机构2', '440103')];
    const applied = await gd.req(tok.gd, {
      method: 'POST',
      url: '/api/v1/sharing/connections/apply',
      payload: { contactName: '粤平台', contactPhone: '13800138000' },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(applied.json()).toMatchObject({ direction: 'upper', platformId: 'national', status: 'applied' });
    const list = await connections(national, tok.national);
    const lower = list.items.find((i: { platformId: string }) => i.platformId === 'province-44');
    expect(lower).toMatchObject({ direction: 'lower', status: 'applied', allowedActions: ['approve', 'reject'] });
    // Not approved yet: nothing moves.
    expect(await push(gd)).toBe(0);
    expect((await records(national, tok.national)).total).toBe(0);
    const ok = await act(national, tok.national, lower.id, 'approve');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().allowedActions).toEqual(['suspend']);
    expect(await push(gd)).toBe(2);
    const after = [await org(gd, tok.gd, '共享后机构', '440117')];
    expect(await push(gd)).toBe(1);
    const got = await records(national, tok.national, '&resource=organisation');
    expect(got.total).toBe(3);
    expect(got.items.map((i: { recordId: string }) => i.recordId).sort()).toEqual([...before, ...after].sort());
    for (const i of got.items) expect(i.originPlatform).toBe('province-44');
    const gdView = (await connections(gd, tok.gd)).items[0];
    expect(gdView).toMatchObject({ status: 'approved', peerStatus: 'approved', backlog: 0, nextSeq: 4 });
    expect(gdView.lastSuccessAt).toBeTruthy();
  });

  it('applies a redelivery once and answers a gap with the expected sequence', async () => {
    const conn = await gd.database.db.selectFrom('platform_connection').selectAll().executeTakeFirstOrThrow();
    // As after a crash between the upper platform's commit and ours: resend everything from 1.
    await gd.database.db.updateTable('platform_connection').set({ next_seq: 1 }).where('id', '=', conn.id).execute();
    await push(gd);
    expect((await records(national, tok.national)).total).toBe(3);
    expect((await connections(gd, tok.gd)).items[0].nextSeq).toBe(4);
    // A sender ahead of the receiver is told where to resume.
    await org(gd, tok.gd, '跳号测试机构', '440117');
    await gd.database.db.updateTable('platform_connection').set({ next_seq: 5 }).where('id', '=', conn.id).execute();
    await expect(pushOnce(gd.database.db, gd.app.config, true)).resolves.toBe(-1 + 1);
    expect((await connections(gd, tok.gd)).items[0].nextSeq).toBe(4);
    await push(gd);
    expect((await records(national, tok.national)).total).toBe(4);
  });

  it('refuses bad signatures, unknown platforms and suspended connections', async () => {
    const me = platformIdentity(gd.app.config);
    const batch = {
      from: me.id,
      firstSeq: 100,
      records: [],
      backlog: 0,
      lagMs: 0,
      sentAt: new Date().toISOString(),
    };
    const post = (body: unknown) =>
      fetch(`${url.national}/api/v1/sharing/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const good = await post({ ...batch, signature: signBody(me, batch) });
    expect(good.status).toBe(200);
    const forged = await post({ ...batch, lagMs: 1, signature: signBody(me, batch) });
    expect(forged.status).toBe(401);
    expect((await forged.json()).code).toBe('SHARING_BAD_SIGNATURE');
    const stranger = { ...batch, from: 'province-51' };
    const unknown = await post({ ...stranger, signature: signBody(me, stranger) });
    expect(unknown.status).toBe(403);
    // Suspended by the upper side: data is refused, the lower platform keeps it and catches up on resume.
    const lower = (await connections(national, tok.national)).items[0];
    expect((await act(national, tok.national, lower.id, 'suspend')).statusCode).toBe(200);
    await org(gd, tok.gd, '暂停期间机构', '440117');
    await expect(push(gd)).rejects.toThrow();
    expect((await connections(gd, tok.gd)).items[0]).toMatchObject({ backlog: 1 });
    expect((await connections(gd, tok.gd)).items[0].lastError).toBeTruthy();
    expect((await act(national, tok.national, lower.id, 'resume')).statusCode).toBe(200);
    await pushOnce(gd.database.db, gd.app.config, true);
    await push(gd);
    expect((await records(national, tok.national)).total).toBe(5);
  });

  it('parks a record outside the sender region with a reason and goes on', async () => {
    const me = platformIdentity(gd.app.config);
    const conn = (await connections(national, tok.national)).items[0];
    const { sm3Hex } = await import('../src/modules/sharing/identity.js');
    const { canonicalJson } = await import('../src/kernel/canonical-json.js');
    const record = { name: '四川的记录' };
    const rec = (seq: number, division: string) => ({
      seq,
      origin: me.id,
      resource: 'organisation',
      id: `forged-${seq}`,
      version: 1,
      division,
      catalogVersion: 'builtin-1',
      hash: sm3Hex(canonicalJson(record)),
      createdAt: new Date().toISOString(),
      record,
    });
    // Reserve two numbers of GD's sequence so GD's own stream stays continuous afterwards.
    const seq = conn.nextSeq;
    await gd.database.db
      .updateTable('share_sequence')
      .set({ last_seq: seq + 1 })
      .execute();
    const batch = {
      from: me.id,
      firstSeq: seq,
      records: [rec(seq, '510104'), rec(seq + 1, '440117')],
      backlog: 0,
      lagMs: 0,
      sentAt: new Date().toISOString(),
    };
    const res = await fetch(`${url.national}/api/v1/sharing/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...batch, signature: signBody(me, batch) }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ applied: 1, parked: 1, expected: seq + 2 });
    const parked = await national.req(tok.national, { method: 'GET', url: '/api/v1/sharing/parked' });
    expect(parked.json().items[0].reason.en).toContain('outside');
    await gd.database.db
      .updateTable('platform_connection')
      .set({ next_seq: seq + 2 })
      .execute();
  });

  it('relays a county record through the province to national, keeping its origin, scoped by division', async () => {
    const applied = await county.req(tok.county, {
      method: 'POST',
      url: '/api/v1/sharing/connections/apply',
      payload: { contactName: '从化平台', contactPhone: '13800138001' },
    });
    expect(applied.statusCode, applied.body).toBe(200);
    const lower = (await connections(gd, tok.gd)).items.find(
      (i: { platformId: string }) => i.platformId === 'county-440117',
    );
    expect((await act(gd, tok.gd, lower.id, 'approve')).statusCode).toBe(200);
    const id = await org(county, tok.county, '从化区县级机构', '440117');
    await push(county);
    await push(gd);
    const got = await records(national, tok.national, '&q=从化区县级机构');
    expect(got.total).toBe(1);
    expect(got.items[0]).toMatchObject({
      recordId: id,
      originPlatform: 'county-440117',
      senderPlatform: 'province-44',
    });
    // Still scoped by division: a Sichuan query from a Guangdong regulator is refused.
    const gdRecords = await gd.req(tok.gd, { method: 'GET', url: '/api/v1/sharing/records?divisionCode=510104' });
    expect(gdRecords.statusCode).toBe(403);
  });

  it("lists shared-in subjects in the upper platform's search, marked with their origin, scoped by division", async () => {
    // A producer registers on the province and one on the county platform (the registration flow shares the subject).
    const register = async (t: TestApp, name: string, code: string) => {
      const r = await t.req(null, {
        method: 'POST',
        url: '/api/v1/subjects/registrations',
        payload: {
          orgForm: 'cooperative',
          subjectType: 'production',
          industries: ['planting'],
          name,
          certType: 'credit_code',
          certNo: makeCreditCode(code),
          legalPersonName: '李大山',
          contactName: '李大山',
          contactPhone: '13800138000',
          address: '从化区温泉镇石海村',
          divisionCode: '440117103',
          username: `u${code.slice(-6)}`,
          password: 'Farmer123',
          files: await proofFiles(t, 'credit_code'),
        },
      });
      expect(r.statusCode, r.body).toBe(201);
      return r.json().subjectId as string;
    };
    const fromGd = await register(gd, '共享省级合作社', '93440117MA5900001');
    const fromCounty = await register(county, '共享县级合作社', '93440117MA5900002');
    await push(county);
    await push(gd);
    const search = async (t: TestApp, token: string, q: string) => {
      const r = await t.req(token, { method: 'GET', url: `/api/v1/subjects?pageSize=50&q=${encodeURIComponent(q)}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const all = await search(national, tok.national, '共享');
    expect(all.total).toBe(2);
    const byId = Object.fromEntries(all.items.map((i: { id: string }) => [i.id, i]));
    expect(byId[fromGd]).toMatchObject({
      name: '共享省级合作社',
      originPlatform: 'province-44',
      divisionCode: '440117103',
      status: 'pending',
      orgId: null,
      allowedActions: [],
    });
    expect(byId[fromCounty]).toMatchObject({ name: '共享县级合作社', originPlatform: 'county-440117' });
    // The province lists its own (no origin) and its county's (marked), and keeps the county's version only once.
    const atGd = await search(gd, tok.gd, '共享');
    expect(atGd.items.map((i: { originPlatform: string | null }) => i.originPlatform).sort()).toEqual([
      'county-440117',
      null,
    ]);
    // Scoped by division in the query: a national regulator of Sichuan sees neither, one of Guangzhou both.
    const sc = await makeUser(national, tok.national, {
      username: 'sc-supervisor',
      orgName: '四川省监管',
      divisionCode: '51',
      roles: ['supervisor'],
    });
    const gz = await makeUser(national, tok.national, {
      username: 'gz-supervisor',
      orgName: '广州市监管',
      divisionCode: '4401',
      roles: ['supervisor'],
    });
    expect((await search(national, sc.token, '共享')).total).toBe(0);
    expect((await search(national, gz.token, '共享')).total).toBe(2);
    // Filters apply to shared records too.
    expect((await search(national, tok.national, '省级')).items.map((i: { id: string }) => i.id)).toEqual([fromGd]);
    const approved = await national.req(tok.national, {
      method: 'GET',
      url: `/api/v1/subjects?status=approved&q=${encodeURIComponent('共享')}`,
    });
    expect(approved.json().total).toBe(0);
  });

  it('refuses an application from a platform outside the region or of the wrong tier', async () => {
    const me = platformIdentity(county.app.config);
    const a = {
      platformId: 'county-510104',
      tier: 'county',
      region: '510104',
      publicKey: me.publicKeyPem,
      contactName: '越界',
      contactPhone: '13800138002',
      entryUrl: url.county,
      signedAt: new Date().toISOString(),
    };
    const res = await fetch(`${url.gd}/api/v1/sharing/applications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...a, signature: signBody(me, a) }),
    });
    expect(res.status).toBe(400);
    expect((await res.json()).field).toBe('region');
  });

  it('a suspension or resumption made on the lower platform while a batch is in flight stands', async () => {
    /**
     * A slow link to national: a loopback TCP relay that holds its connection until the test lets it through (a new
     * relay per round, so no kept-alive connection bypasses the hold).
     */
    const slowLink = async () => {
      const target = new URL(url.national);
      const sockets: Socket[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => {
        release = r;
      });
      let arrived!: () => void;
      const held = new Promise<void>((r) => {
        arrived = r;
      });
      const relay = createServer((inbound) => {
        sockets.push(inbound);
        arrived();
        gate.then(() => {
          const out = tcpConnect(Number(target.port), target.hostname);
          sockets.push(out);
          inbound.pipe(out).pipe(inbound);
        });
      });
      await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
      const port = (relay.address() as { port: number }).port;
      return {
        config: { ...gd.app.config, upperPlatformUrl: `http://127.0.0.1:${port}` },
        held,
        release,
        close: async () => {
          release();
          for (const x of sockets) x.destroy();
          await new Promise((r) => relay.close(r));
        },
      };
    };
    const upper = (await connections(gd, tok.gd)).items[0];
    try {
      for (const [before, during] of [
        ['suspend', 'resume'],
        ['resume', 'suspend'],
      ] as const) {
        if (before === 'suspend') expect((await act(gd, tok.gd, upper.id, before)).statusCode).toBe(200);
        const link = await slowLink();
        try {
          const heartbeat = pushOnce(gd.database.db, link.config, true); // read with the status before, sent, held
          await link.held;
          expect((await act(gd, tok.gd, upper.id, during)).statusCode).toBe(200);
          link.release();
          await heartbeat;
        } finally {
          await link.close();
        }
        expect((await connections(gd, tok.gd)).items[0].status).toBe(during === 'resume' ? 'approved' : 'suspended');
      }
    } finally {
      if ((await connections(gd, tok.gd)).items[0].status === 'suspended') await act(gd, tok.gd, upper.id, 'resume');
    }
  });
});
