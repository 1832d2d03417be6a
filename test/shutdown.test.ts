import { rmSync } from 'node:fs';
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { templateDataDir } from './helpers.js';
import { type Server, startServer } from './server.js';

let server: Server | undefined;
afterAll(async () => {
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

// The server runs on the embedded database (test/server.ts): in the PostgreSQL phase (TEST_DATABASE_URL) this file
// would repeat the PGlite phase's run exactly, so it runs there only.
describe.skipIf(!!process.env.TEST_DATABASE_URL)('process', () => {
  it('finishes in-flight requests on SIGTERM, closes the database, and restarts on the same data', async () => {
    // A platform whose database is the run's migrated template (test/global-setup.ts): its first start adds the
    // administrator.
    const first = `${process.cwd()}/.tmp/shutdown-${process.pid}`;
    await templateDataDir(first);
    server = await startServer({}, { dataDir: first, timeoutMs: 300_000 });
    const token = await server.token('admin', 'Admin12345');
    // The first start prints the address banner with the new administrator's password (here: ADMIN_PASSWORD's).
    expect(server.output()).toContain('is running at');
    expect(server.output()).toContain('password: (the value of ADMIN_PASSWORD)');
    // Fire a batch of writes and signal while they are in flight: every one must complete or be refused cleanly.
    const writes = Array.from({ length: 20 }, (_, i) =>
      server?.api(token, 'POST', '/organisations', {
        name: `停机测试站${i}`,
        kind: 'supervision',
        divisionCode: '440117',
      }),
    );
    await new Promise((r) => setTimeout(r, 5));
    server.child.kill('SIGTERM');
    const results = await Promise.allSettled(writes);
    const code = await new Promise<number | null>((r) =>
      server?.child.exitCode !== null ? r(server?.child.exitCode ?? null) : server?.child.once('exit', (c) => r(c)),
    );
    expect(code).toBe(0);
    const completed = results.filter((r) => r.status === 'fulfilled' && r.value?.status === 201).length;
    expect(completed).toBeGreaterThan(0);
    // Restart on the same data directory: the database was closed cleanly and every acknowledged write is there.
    const dir = server.dataDir;
    server = await startServer({}, { dataDir: dir, timeoutMs: 300_000 });
    const t2 = await server.token('admin', 'Admin12345');
    // Every start prints the banner; the password line only when the administrator was just created.
    expect(server.output()).toContain('is running at');
    expect(server.output()).not.toContain('password:');
    const list = await server.api<{ total: number }>(
      t2,
      'GET',
      '/organisations?q=%E5%81%9C%E6%9C%BA%E6%B5%8B%E8%AF%95%E7%AB%99&pageSize=50',
    );
    expect(list.body.total).toBe(completed);
    expect(server.output()).not.toMatch(/"level":50/);
  }, 240_000);

  it('on SIGTERM answers a new request on a kept-alive connection with 503 and Connection: close, and finishes the one in flight', async () => {
    // The server restarted by the test above (a first start on a fresh directory is slow on a busy machine).
    if (!server || server.child.exitCode !== null) throw new Error('the server of the test above is not running');
    const { port } = new URL(server.url);
    const send = (
      agent: http.Agent,
      method: string,
      path: string,
      body?: { head: string; tail: string; pause: Promise<unknown> },
    ) =>
      new Promise<{ status: number; connection?: string; reused: boolean; text: string }>((resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method,
            path,
            agent,
            headers: body
              ? {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(body.head + body.tail),
                }
              : {},
          },
          (res) => {
            let text = '';
            res.on('data', (d) => (text += d));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                connection: res.headers.connection,
                reused: req.reusedSocket,
                text,
              }),
            );
          },
        );
        req.on('error', reject);
        if (body) {
          req.write(body.head);
          void body.pause.then(() => req.end(body.tail));
        } else req.end();
      });
    const keep = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const other = new http.Agent({ keepAlive: false });
    // A kept-alive connection, idle after its first answer.
    expect((await send(keep, 'GET', '/api/health')).status).toBe(200);
    // A request in flight: its headers are in, its body still on the way when the signal comes.
    let release = () => {};
    const pause = new Promise<void>((r) => (release = r));
    const body = JSON.stringify({ username: 'admin', password: 'Admin12345' });
    const slow = send(other, 'POST', '/api/v1/auth/login', { head: body.slice(0, 10), tail: body.slice(10), pause });
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise<number | null>((r) => server?.child.once('exit', (c) => r(c)));
    server.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    // The new request on the same kept-alive socket: a clean 503 telling the client to reconnect, not a reset.
    const refused = await send(keep, 'GET', '/api/health');
    expect(refused.reused).toBe(true);
    expect(refused.status).toBe(503);
    expect(refused.connection).toBe('close');
    expect(JSON.parse(refused.text).code).toBe('UNAVAILABLE');
    // The one in flight completes.
    release();
    const done = await slow;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.text).token).toBeTruthy();
    expect(await exited).toBe(0);
    keep.destroy();
  }, 240_000);
});
