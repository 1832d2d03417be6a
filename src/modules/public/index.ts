import type { ModuleDef } from '../../kernel/module.js';
import pages from './pages.js';
import { publicDemo } from './demo.js';
import { runRetention } from './retention.js';
import routes from './routes.js';

/** Public trace lookup, trace views by reach, query log (see docs/public.md). */
export const publicModule: ModuleDef = {
  name: 'public',
  routes,
  demo: [publicDemo],
  jobs: {
    /**
     * Daily: fold query-log rows past retention into daily counts (whole months dropped, the boundary month row by
     * row), cut old client addresses to their network.
     */
    'public.queryLogRetention': {
      run: (job) =>
        runRetention(
          job.db,
          {
            retentionDays: job.config.queryLogRetentionDays,
            addressDays: job.config.queryLogAddressDays,
          },
          { divisionCode: job.config.platformRegion },
        ),
      everyMs: 24 * 3600_000,
    },
  },
  verbs: {
    'trace.read': {
      zh: '查看追溯链（生产者：本主体及上下一级；监管：本辖区）',
      en: 'View trace chains (producers: own and one step; regulators: jurisdiction)',
      roles: ['producer_admin', 'producer_staff', 'supervisor', 'collector', 'inspector', 'enforcer', 'info_admin'],
    },
    'querylog.read': {
      zh: '查看查询记录',
      en: 'Browse the query log',
      roles: ['supervisor', 'enforcer', 'info_admin', 'producer_admin'],
    },
  },
};

/** The server-rendered pages (/t/…), mounted at the root. */
export const publicPagesModule: ModuleDef = { name: 'publicPages', routes: pages, prefix: '' };
