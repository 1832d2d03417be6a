import cluster from 'node:cluster';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from './config.js';
import { startHttpWorker, startPlatform, startPrimary } from './platform.js';

const config = loadConfig();

/** On SIGTERM/SIGINT: run `stop` once, exit 0 when it ends, 1 on error or after 15 s. */
function onSignal(
  log: { info(o: object, m: string): void; error(o: object | string, m?: string): void },
  stop: () => Promise<void>,
) {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) return;
      closing = true;
      log.info({ signal }, 'shutting down: finishing in-flight requests');
      const timer = setTimeout(() => {
        log.error('shutdown timed out after 15 s');
        process.exit(1);
      }, 15_000);
      timer.unref();
      stop().then(
        () => process.exit(0),
        (err) => {
          log.error({ err }, 'error during shutdown');
          process.exit(1);
        },
      );
    });
  }
}

// First drain: new requests (kept-alive connections included) get 503 with `Connection: close` while in-flight ones
// finish; then Fastify stops listening, closes idle connections and runs onClose (the database last).
const closeApp = (app: FastifyInstance) => () => app.drain(config.shutdownGraceMs).then(() => app.close());

if (config.workers > 1 && cluster.isPrimary) {
  const primary = await startPrimary(config);
  onSignal(primary.log, primary.stop);
  await primary.ready;
} else if (cluster.isWorker) {
  const app = await startHttpWorker(config);
  onSignal(app.log, closeApp(app));
} else {
  const app = await startPlatform(config);
  onSignal(app.log, closeApp(app));
}
