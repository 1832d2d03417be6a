/**
 * Starts the real platform (`src/main.ts`) as a child process on a free port with its own data directory — for
 * browser tests, process-level tests (shutdown) and benchmarks, which must not share the server's event loop.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const ADMIN_PASSWORD = 'Admin12345';

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

export async function waitHealthy(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = Number(process.env.SUYUAN_START_TIMEOUT_MS) || 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    if (Date.now() > deadline) throw new Error(`not healthy in ${timeoutMs} ms: ${url}\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Server {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** ms from spawn to the first healthy answer */
  startMs: number;
  output(): string;
  /** Logs in through the API and returns a bearer token. */
  token(username: string, password: string): Promise<string>;
  api<T = unknown>(
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  /** SIGTERM, wait for exit; returns the exit code. Removes the data directory unless it was given. */
  stop(): Promise<number | null>;
}

export async function startServer(
  env: Record<string, string> = {},
  opts: {
    dataDir?: string;
    port?: number;
    timeoutMs?: number;
    /** `source` (default): the TypeScript sources through tsx; `start`: what `npm start` runs (scripts/start.mjs). */
    entry?: 'source' | 'start';
  } = {},
): Promise<Server> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'suyuan-srv-'));
  const t0 = performance.now();
  const args = opts.entry === 'start' ? ['scripts/start.mjs'] : ['--import', 'tsx', 'src/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      LOAD_VILLAGES: 'false',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/api/health`, child, () => out, opts.timeoutMs);
  const startMs = performance.now() - t0;
  const api: Server['api'] = async (token, method, p, body) => {
    const res = await fetch(`${url}/api/v1${p}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    url,
    dataDir,
    child,
    startMs,
    output: () => out,
    api,
    async token(username, password) {
      const r = await api<{ token: string }>(null, 'POST', '/auth/login', { username, password });
      if (r.status !== 200) throw new Error(`login ${username}: ${JSON.stringify(r.body)}`);
      return r.body.token;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return child.exitCode;
    },
  };
}
