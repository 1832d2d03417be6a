import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type Server, startServer } from './server.js';

let server: Server | undefined;
afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('process', () => {
  it('finishes in-flight requests on SIGTERM, closes the database, and restarts on the same data', async () => {
    server = await startServer({}, { dataDir: `${process.cwd()}/.tmp/shutdown-${process.pid}` });
    const token = await server.token('admin', 'Admin12345');
    // Fire a batch of writes and signal while they are in flight: every one must complete or be refused cleanly.
    const writes = Array.from({ length: 20 }, (_, i) => server?.api(token, 'POST', '/organisations', { name: `停机测试站${i}`, kind: 'supervision', divisionCode: '440117' }));
    await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGTERM');
    const results = await Promise.allSettled(writes);
    const code = await new Promise<number | null>((r) => (server?.child.exitCode !== null ? r(server?.child.exitCode ?? null) : server?.child.once('exit', (c) => r(c))));
    expect(code).toBe(0);
    const completed = results.filter((r) => r.status === 'fulfilled' && r.value?.status === 201).length;
    expect(completed).toBeGreaterThan(0);
    // Restart on the same data directory: the database was closed cleanly and every acknowledged write is there.
    const dir = server.dataDir;
    server = await startServer({}, { dataDir: dir });
    const t2 = await server.token('admin', 'Admin12345');
    const list = await server.api<{ total: number }>(t2, 'GET', '/organisations?q=%E5%81%9C%E6%9C%BA%E6%B5%8B%E8%AF%95%E7%AB%99&pageSize=50');
    expect(list.body.total).toBe(completed);
    expect(server.output()).not.toMatch(/"level":50/);
  }, 240_000);
});
