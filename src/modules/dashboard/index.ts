import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const dashboardModule: ModuleDef = {
  name: 'dashboard',
  routes,
  verbs: {
    'dashboard.read': {
      zh: '查看决策看板和月度报告',
      en: 'View the dashboard and monthly reports',
      roles: ['info_admin', 'supervisor', 'enforcer', 'inspector'],
    },
  },
};
