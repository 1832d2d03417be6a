import type { ModuleDef } from '../../kernel/module.js';
import { supervisionDemo } from './demo.js';
import routes from './routes.js';

export const supStatsModule: ModuleDef = {
  name: 'supstats',
  routes,
  demo: [supervisionDemo],
  verbs: {
    'supstats.read': {
      zh: '查看监管统计',
      en: 'View supervision statistics',
      roles: ['info_admin', 'supervisor', 'enforcer', 'inspector'],
    },
  },
};
