import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/** Progress and results of background jobs (src/kernel/jobs.ts): imports, exports, scheduled scans. */
export const jobsModule: ModuleDef = { name: 'jobs', routes };
