import { maintainPartitions } from '../../kernel/db/partitions.js';
import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/** Progress and results of background jobs (src/kernel/jobs.ts): imports, exports, scheduled scans. */
export const jobsModule: ModuleDef = {
  name: 'jobs',
  routes,
  jobs: {
    /** Daily: the partitions of audit_log, query_log and trace_event for the coming months (issue 19 item 6). */
    'jobs.partitionsAhead': { run: (job) => maintainPartitions(job.db), everyMs: 24 * 3600_000 },
  },
};
