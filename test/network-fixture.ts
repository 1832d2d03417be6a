import { expect } from 'vitest';
import { drainOutbox, pushOnce } from '../src/modules/sharing/worker.js';
import { shareSubjects } from '../src/modules/subjects/service/common.js';
import { type TestApp, makeProducer, testApp } from './helpers.js';
import { freePort } from './server.js';

/**
 * Three platforms on 127.0.0.1 (national, Guangdong, Sichuan), each its own app and database, connected and approved;
 * a farmer on Guangdong and a buyer on Sichuan with a fixed identity code, shared up so national's registry knows it.
 * Used by the cross-platform chain tests (network-chain, network-recall-progress).
 */
export type NetworkProducer = { token: string; subjectId: string; orgId: string };
export interface Network {
  national: TestApp;
  gd: TestApp;
  sc: TestApp;
  farmer: NetworkProducer;
  buyer: NetworkProducer;
  /** Both provinces push until nothing moves (records up, messages up and down). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export const post = (t: TestApp, tok: string, url: string, payload: unknown) =>
  t.req(tok, { method: 'POST', url: `/api/v1${url}`, payload: payload as object });
export const get = (t: TestApp, tok: string, url: string) => t.req(tok, { method: 'GET', url: `/api/v1${url}` });

async function start(env: Record<string, string>) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t = await testApp({ ...env, PUBLIC_BASE_URL: base });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { t, base };
}

async function connect(national: TestApp, lower: TestApp, id: string) {
  const tok = await lower.login('admin');
  const applied = await lower.req(tok, {
    method: 'POST',
    url: '/api/v1/sharing/connections/apply',
    payload: { contactName: '平台', contactPhone: '13800138000' },
  });
  expect(applied.statusCode, applied.body).toBe(200);
  const nat = await national.login('admin');
  const list = await national.req(nat, { method: 'GET', url: '/api/v1/sharing/connections' });
  const conn = list.json().items.find((i: { platformId: string }) => i.platformId === id);
  const ok = await national.req(nat, {
    method: 'POST',
    url: `/api/v1/sharing/connections/${conn.id}/actions`,
    payload: { action: 'approve' },
  });
  expect(ok.statusCode, ok.body).toBe(200);
  await pushOnce(lower.database.db, lower.app.config, true);
}

export async function startNetwork(o: {
  farmer: { username: string; name: string; divisionCode: string };
  buyer: { username: string; name: string; divisionCode: string };
  buyerCode: string;
}): Promise<Network> {
  const n = await start({ PLATFORM_TIER: 'national' });
  const national = n.t;
  const gd = (await start({ PLATFORM_TIER: 'province', PLATFORM_REGION: '44', UPPER_PLATFORM_URL: n.base })).t;
  const sc = (await start({ PLATFORM_TIER: 'province', PLATFORM_REGION: '51', UPPER_PLATFORM_URL: n.base })).t;
  await connect(national, gd, 'province-44');
  await connect(national, sc, 'province-51');
  const farmer = await makeProducer(gd, o.farmer);
  const buyer = await makeProducer(sc, o.buyer);
  await sc.database.db
    .updateTable('subject')
    .set({ identity_code: o.buyerCode })
    .where('id', '=', buyer.subjectId)
    .execute();
  // The buyer's registration is shared up (as the subjects service does on approval): national's registry knows it.
  await sc.database.db
    .transaction()
    .execute((tx) => shareSubjects({ db: tx, config: sc.app.config }, [buyer.subjectId]));
  const sync = async () => {
    for (let i = 0; i < 3; i++)
      for (const t of [gd, sc]) {
        await drainOutbox(t.database.db, t.app.config);
        await pushOnce(t.database.db, t.app.config, true);
      }
  };
  await sync();
  return {
    national,
    gd,
    sc,
    farmer,
    buyer,
    sync,
    async close() {
      await sc.close();
      await gd.close();
      await national.close();
    },
  };
}
