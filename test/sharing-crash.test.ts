/**
 * Upward sharing survives crashes (issue 14, proof): three real platform processes on loopback — national,
 * Guangdong and Sichuan, each with its own database — connect, then both provinces take writes while a province and
 * the national platform are killed with SIGKILL mid-stream several times and restarted on the same data. At the end
 * national holds every record each province committed, once, with no gap in either sequence and the right origin.
 * PGlite by default; PostgreSQL (three databases) when TEST_DATABASE_URL is set. Each platform starts on a copy of the
 * run's migrated template (test/global-setup.ts), as a platform that already exists.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withDatabase } from './global-setup.js';
import { templateDataDir } from './helpers.js';
import { ADMIN_PASSWORD, type Server, freePort, startServer } from './server.js';

type Name = 'national' | 'gd' | 'sc';
const ENV: Record<Name, Record<string, string>> = {
  national: { PLATFORM_TIER: 'national' },
  gd: { PLATFORM_TIER: 'province', PLATFORM_REGION: '44' },
  sc: { PLATFORM_TIER: 'province', PLATFORM_REGION: '51' },
};
const DIVISION: Record<'gd' | 'sc', string> = { gd: '440117', sc: '510104' };
// Two rounds in the suite (four kills); SHARING_KILLS=10 for a longer run.
const KILLS = Number(process.env.SHARING_KILLS ?? 2);
// Writes per second per province: enough to be mid-stream at every kill without taking both of CI's cores.
const WRITE_INTERVAL_MS = Number(process.env.SHARING_WRITE_INTERVAL_MS ?? 40);

const servers = {} as Record<Name, Server>;
const ports = {} as Record<Name, number>;
const dirs = {} as Record<Name, string>;
const dbUrls = {} as Record<Name, string>;
const tokens = {} as Record<Name, string>;
const pgUrl = process.env.TEST_DATABASE_URL;

async function start(name: Name) {
  servers[name] = await startServer(
    {
      ...ENV[name],
      ...(name === 'national' ? {} : { UPPER_PLATFORM_URL: `http://127.0.0.1:${ports.national}` }),
      ...(dbUrls[name] ? { DATABASE_URL: dbUrls[name] } : {}),
    },
    { dataDir: dirs[name], port: ports[name], timeoutMs: 600_000 },
  );
  tokens[name] = await servers[name].token('admin', ADMIN_PASSWORD);
}

async function kill9(name: Name) {
  const child = servers[name].child;
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

afterAll(async () => {
  for (const name of Object.keys(servers) as Name[]) await kill9(name);
  for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
  if (pgUrl) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    for (const name of Object.keys(ENV))
      await admin.query(`DROP DATABASE IF EXISTS suyuan_crash_${name}_${process.pid} WITH (FORCE)`);
    await admin.end();
  }
});

interface Rec {
  recordId: string;
  originPlatform: string;
  senderPlatform: string;
  senderSeq: number;
  divisionCode: string;
}

async function allRecords(): Promise<Rec[]> {
  const out: Rec[] = [];
  for (let page = 1; ; page++) {
    const r = await servers.national.api<{ items: Rec[]; total: number }>(
      tokens.national,
      'GET',
      `/sharing/records?pageSize=200&page=${page}`,
    );
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    if (out.length >= r.body.total || r.body.items.length === 0) return out;
  }
}

interface ConnList {
  platform: { outboxLastSeq: number };
  items: { id: string; platformId: string; status: string; nextSeq: number; backlog: number; peerStatus: string }[];
}
const conns = async (name: Name) =>
  (await servers[name].api<ConnList>(tokens[name], 'GET', '/sharing/connections')).body;

describe('upward sharing under kill -9', () => {
  it('delivers every committed record exactly once, in sequence, with its origin', async () => {
    for (const name of Object.keys(ENV) as Name[]) {
      ports[name] = await freePort();
      dirs[name] = path.join(tmpdir(), `suyuan-crash-${name}-${process.pid}`);
      rmSync(dirs[name], { recursive: true, force: true });
      if (!pgUrl) await templateDataDir(dirs[name]);
    }
    if (pgUrl) {
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      for (const name of Object.keys(ENV) as Name[]) {
        const db = `suyuan_crash_${name}_${process.pid}`;
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${db} TEMPLATE ${inject('pgTemplate')}`);
        dbUrls[name] = withDatabase(pgUrl, db);
      }
      await admin.end();
    }
    await start('national');
    await start('gd');
    await start('sc');

    // Apply and approve.
    for (const p of ['gd', 'sc'] as const) {
      const a = await servers[p].api(tokens[p], 'POST', '/sharing/connections/apply', {
        contactName: `${p}平台`,
        contactPhone: '13800138000',
      });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
    }
    for (const c of (await conns('national')).items) {
      const r = await servers.national.api(tokens.national, 'POST', `/sharing/connections/${c.id}/actions`, {
        action: 'approve',
      });
      expect(r.status).toBe(200);
    }

    // Writers: each province creates an organisation every WRITE_INTERVAL_MS; only acknowledged ones are counted.
    const acked: Record<'gd' | 'sc', Set<string>> = { gd: new Set(), sc: new Set() };
    let writing = true;
    const writer = async (p: 'gd' | 'sc') => {
      let n = 0;
      while (writing) {
        n++;
        try {
          const r = await servers[p].api<{ id: string }>(tokens[p], 'POST', '/organisations', {
            name: `${p}-crash-${n}`,
            kind: 'supervision',
            divisionCode: DIVISION[p],
          });
          if (r.status === 201) acked[p].add(r.body.id);
          await new Promise((r) => setTimeout(r, WRITE_INTERVAL_MS));
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    const writers = [writer('gd'), writer('sc')];
    const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
    for (let round = 0; round < KILLS; round++) {
      await pause(1500);
      await kill9('gd');
      await pause(500);
      await start('gd');
      await pause(1500);
      await kill9('national');
      await pause(500);
      await start('national');
    }
    await pause(1000);
    writing = false;
    await Promise.all(writers);

    // Wait until both provinces have delivered everything.
    const deadline = Date.now() + 120_000;
    for (;;) {
      const [gd, sc] = [await conns('gd'), await conns('sc')];
      const done = [gd, sc].every(
        (c) => c.items[0]?.backlog === 0 && c.items[0]?.nextSeq === c.platform.outboxLastSeq + 1,
      );
      if (done) break;
      if (Date.now() > deadline) throw new Error(`not caught up: ${JSON.stringify([gd, sc])}`);
      await pause(300);
    }

    const recs = await allRecords();
    const national = await conns('national');
    for (const p of ['gd', 'sc'] as const) {
      const origin = `province-${ENV[p].PLATFORM_REGION}`;
      const mine = recs.filter((r) => r.originPlatform === origin);
      const last = (await conns(p)).platform.outboxLastSeq;
      // Every acknowledged write arrived; nothing arrived twice; the sender sequence has no gap.
      const ids = new Set(mine.map((r) => r.recordId));
      for (const id of acked[p]) expect(ids.has(id)).toBe(true);
      expect(ids.size).toBe(mine.length);
      expect(mine.map((r) => r.senderSeq).sort((a, b) => a - b)).toEqual(Array.from({ length: last }, (_, i) => i + 1));
      for (const r of mine) {
        expect(r.senderPlatform).toBe(origin);
        expect(r.divisionCode.startsWith(ENV[p].PLATFORM_REGION)).toBe(true);
      }
      expect(national.items.find((c) => c.platformId === origin)?.nextSeq).toBe(last + 1);
      console.log(`${origin}: ${acked[p].size} acknowledged writes, ${last} shared, ${mine.length} at national`);
    }
    expect(recs.length).toBe(recs.filter((r) => r.originPlatform.startsWith('province-')).length);
    console.log(`kill -9 rounds: ${KILLS} × (Guangdong, national)`);
  }, 1_800_000);
});
