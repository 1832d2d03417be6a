import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

export const ROOT = path.resolve(import.meta.dirname, '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited');
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`not healthy: ${url}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Platform {
  url: string;
  child: ChildProcess;
  /** ms from spawn to the first healthy answer */
  startMs: number;
  stop(): Promise<void>;
}

/** Starts the real platform as a separate process (so the load generator does not share its event loop). */
export async function startPlatform(env: Record<string, string> = {}, dataDir?: string): Promise<Platform> {
  const port = await freePort();
  const dir = dataDir ?? mkdtempSync(path.join(tmpdir(), 'suyuan-bench-'));
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, ADMIN_PASSWORD: 'Admin12345', LOG_LEVEL: 'warn', LOAD_VILLAGES: 'false', ...env },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/api/health`, child);
  const startMs = performance.now() - t0;
  return {
    url,
    child,
    startMs,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A bare Fastify process answering GET /ping with a small JSON body: the floor every ratio is measured against. */
export async function startFloor(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const code = `const f=(await import('fastify')).default();f.get('/ping',async()=>({status:'ok'}));await f.listen({port:${port},host:'127.0.0.1'});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/ping`, child);
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** autocannon against one URL: requests per second and latency percentiles (ms). */
export async function load(url: string, opts: { connections?: number; duration?: number; headers?: Record<string, string> } = {}): Promise<Load> {
  const r = await autocannon({ url, connections: opts.connections ?? 16, duration: opts.duration ?? 5, headers: opts.headers });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}
