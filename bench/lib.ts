import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { ROOT, freePort, waitHealthy } from '../test/server.js';

export { startServer as startPlatform } from '../test/server.js';

/** A bare Fastify process answering GET /ping with a small JSON body: the floor every ratio is measured against. */
export async function startFloor(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const code = `const f=(await import('fastify')).default();f.get('/ping',async()=>({status:'ok'}));await f.listen({port:${port},host:'127.0.0.1'});`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(`${url}/ping`, child, () => '');
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
export async function load(
  url: string,
  opts: { connections?: number; duration?: number; headers?: Record<string, string> } = {},
): Promise<Load> {
  const r = await autocannon({
    url,
    connections: opts.connections ?? 16,
    duration: opts.duration ?? 5,
    headers: opts.headers,
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx };
}
