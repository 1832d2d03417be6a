import type { FastifyInstance } from 'fastify';
import { Problem } from './problems.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Graceful drain before `close()`: from now on every new request — above all one arriving on a kept-alive
     * connection — is answered 503 `UNAVAILABLE` with `Connection: close` (a clean answer the client can retry
     * elsewhere, instead of a reset socket); requests already in flight run to the end (their answers also carry
     * `Connection: close`). Resolves when none is in flight and at least `graceMs` have passed, so clients holding
     * idle kept-alive connections have that long to learn that the server is going.
     */
    drain(graceMs: number): Promise<void>;
  }
}

/**
 * Installs the drain: the first onRequest hook (before authentication, so a draining server answers without a
 * database round trip) and an in-flight counter kept on the raw response's `close`, which fires however a request
 * ends (answered, failed or aborted by the client).
 */
export function installDrain(app: FastifyInstance) {
  let draining = false;
  let inflight = 0;
  let idle: (() => void) | undefined;
  // Synchronous hooks (no promise per request); answering early without calling `done` ends the request there.
  app.addHook('onRequest', (_req, reply, done) => {
    if (draining) {
      reply.header('connection', 'close');
      const p = new Problem('UNAVAILABLE', {
        reasonZh: '服务正在停止，请稍后重试',
        reasonEn: 'the server is shutting down; retry shortly',
      });
      reply.code(503).send(p.toJSON());
      return;
    }
    inflight++;
    reply.raw.once('close', () => {
      inflight--;
      if (inflight === 0) idle?.();
    });
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
  app.decorate('drain', async (graceMs: number) => {
    draining = true;
    const quiet = inflight === 0 ? Promise.resolve() : new Promise<void>((r) => (idle = r));
    await Promise.all([quiet, new Promise((r) => setTimeout(r, graceMs))]);
  });
}
