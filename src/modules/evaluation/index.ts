import type { ModuleDef } from '../../kernel/module.js';
import { overdueNoticesJob } from './patrol.js';
import routes from './routes.js';
import { snapshotJob } from './service.js';

const DAY = 86_400_000;

/** Evaluation of lower levels (考核评价) and online patrol (网上巡检): see docs/infocatalog.md. */
export const evaluationModule: ModuleDef = {
  name: 'evaluation',
  routes,
  jobs: {
    'evaluation.snapshot': { run: snapshotJob, everyMs: DAY },
    'evaluation.overdueNotices': { run: overdueNoticesJob, everyMs: DAY },
  },
  verbs: {
    'evaluation.read': {
      zh: '查看下级考核评价',
      en: 'View the evaluation of lower levels',
      roles: ['info_admin', 'supervisor'],
    },
    'evaluation.patrol': {
      zh: '网上巡检与整改通知',
      en: 'Online patrols and rectification notices',
      roles: ['info_admin', 'supervisor'],
    },
    'evaluation.notices': {
      zh: '查看和回复整改通知',
      en: 'View and answer rectification notices',
      roles: [
        'info_admin',
        'info_reviewer',
        'supervisor',
        'collector',
        'inspector',
        'enforcer',
        'service_staff',
        'producer_admin',
      ],
    },
  },
};
