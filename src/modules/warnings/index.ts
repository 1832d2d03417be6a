import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { Evaluation } from './schemas.js';
import { evaluateWarnings } from './service.js';

export const warningsModule: ModuleDef = {
  name: 'warnings',
  routes,
  jobs: {
    // Every hour: each enabled rule once; known findings are only marked seen again.
    'warnings.evaluate': {
      everyMs: 3600_000,
      result: Evaluation,
      run: (job) =>
        job.db.transaction().execute((db) => evaluateWarnings({ db, actor: null, ip: null, config: job.config })),
    },
  },
  verbs: {
    'warning.read': {
      zh: '查看本辖区预警',
      en: 'View warnings in the jurisdiction',
      roles: ['info_admin', 'supervisor', 'enforcer', 'inspector'],
    },
    'warning.handle': {
      zh: '确认和处置预警',
      en: 'Acknowledge and handle warnings',
      roles: ['info_admin', 'supervisor'],
    },
    // Rules are national data: only the platform administrator changes them.
    'warning.manageRules': { zh: '维护预警规则', en: 'Maintain warning rules', roles: [] },
  },
};
