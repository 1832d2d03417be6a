import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const authModule: ModuleDef = {
  name: 'auth',
  routes,
  verbs: {
    'token.manage': {
      zh: '管理 API 令牌',
      en: 'Manage API tokens',
      roles: ['info_admin', 'supervisor', 'inspector', 'enforcer', 'service_staff', 'producer_admin'],
    },
  },
};
