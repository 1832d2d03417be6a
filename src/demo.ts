import type { Config } from './config.js';
import type { Database } from './kernel/db/connect.js';
import { chainDemo } from './modules/trade/demo.js';
import { foundationDemo } from './modules/accounts/demo.js';
import { publicDemo } from './modules/public/demo.js';
import { subjectsDemo } from './modules/subjects/demo.js';
import { traceDemo } from './modules/batches/demo.js';
import { demoProducersStep, supervisionDemo } from './modules/patrols/demo.js';
import { originmapDemo } from './modules/originmap/demo.js';

/**
 * Demo data (`npm run demo`, or `DEMO=true npm start` on an empty database). Each module contributes one step in
 * `src/modules/<name>/demo.ts`; steps run in this order, each in its own transaction, and are idempotent (a step
 * that finds its data already there does nothing).
 */
export interface DemoStep {
  name: string;
  run(database: Database, config: Config, log: (msg: string) => void): Promise<void>;
}

export const DEMO_STEPS: DemoStep[] = [foundationDemo, subjectsDemo, demoProducersStep, traceDemo, chainDemo, originmapDemo, supervisionDemo, publicDemo];

export async function runDemo(database: Database, config: Config, log: (msg: string) => void): Promise<void> {
  for (const step of DEMO_STEPS) {
    const t = Date.now();
    await step.run(database, config, log);
    log(`demo: ${step.name} (${Date.now() - t} ms)`);
  }
}
