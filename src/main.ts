import { loadConfig } from './config.js';
import { startPlatform } from './platform.js';

const config = loadConfig();
const app = await startPlatform(config);

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    // Fastify stops accepting, waits for in-flight requests, then runs onClose hooks (the database closes last).
    const timer = setTimeout(() => {
      app.log.error('shutdown timed out after 15 s');
      process.exit(1);
    }, 15_000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  });
}
