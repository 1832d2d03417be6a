/**
 * Foundation figures:
 * - fresh start to healthy on PGlite: a new data directory (migrations, 44,703 divisions, first admin), then a
 *   restart of the same directory — both as `npm start` runs the platform (scripts/start.mjs: the compiled server in
 *   dist/, built once before the clock starts; npm's own few hundred milliseconds are not counted);
 * - `/api/health` requests per second as a ratio of a bare Fastify route measured in the same run (same load
 *   generator, same connections and duration, both servers in their own processes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../test/server.js';
import { load, startFloor, startPlatform } from './lib.js';

export default async function foundation() {
  // Build (web UI and server) outside the measured starts, as a deployment does once per release.
  const build = spawnSync(process.execPath, ['scripts/start.mjs', '--build-only'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const dir = mkdtempSync(path.join(tmpdir(), 'suyuan-bench-start-'));
  const fresh = await startPlatform({}, { dataDir: dir, entry: 'start' });
  await fresh.stop();
  // /api/health is a public route (300 requests a minute per client): lift the limit for the throughput figure.
  const again = await startPlatform({ PUBLIC_RATE_LIMIT: '1000000000' }, { dataDir: dir, entry: 'start' });

  const floor = await startFloor();
  await load(`${floor.url}/ping`, { duration: 2 }); // warm-up
  await load(`${again.url}/api/health`, { duration: 2 });
  const bare = await load(`${floor.url}/ping`, { duration: 8 });
  const health = await load(`${again.url}/api/health`, { duration: 8 });
  await floor.stop();
  await again.stop();
  rmSync(dir, { recursive: true, force: true });
  return {
    'fresh start → healthy, PGlite (s)': fresh.startMs / 1000,
    'restart → healthy, PGlite (s)': again.startMs / 1000,
    'bare Fastify route (req/s)': bare.rps,
    '/api/health on PGlite (req/s)': health.rps,
    '/api/health p99 (ms)': health.p99,
    'ratio health / bare route': health.rps / bare.rps,
    errors: bare.errors + health.errors,
  };
}
