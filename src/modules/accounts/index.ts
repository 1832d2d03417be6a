import type { ModuleDef } from '../../kernel/module.js';
import { foundationDemo } from './demo.js';
import routes from './routes.js';

const REGULATORS = ['info_admin', 'supervisor', 'inspector', 'enforcer', 'collector', 'service_staff'] as const;

export const accountsModule: ModuleDef = {
  name: 'accounts',
  routes,
  demo: [foundationDemo],
  verbs: {
    'org.read': { zh: '查看机构', en: 'View organisations', roles: REGULATORS },
    'org.create': { zh: '创建机构', en: 'Create organisations', roles: ['info_admin'] },
    'org.update': { zh: '修改/停用机构', en: 'Update or disable organisations', roles: ['info_admin'] },
    'user.read': { zh: '查看账号', en: 'View accounts', roles: ['info_admin'] },
    'user.create': { zh: '创建账号', en: 'Create accounts', roles: ['info_admin'] },
    'user.update': { zh: '修改/停用账号', en: 'Update or disable accounts', roles: ['info_admin'] },
    'user.resetPassword': { zh: '重置密码', en: 'Reset passwords', roles: ['info_admin'] },
  },
};
