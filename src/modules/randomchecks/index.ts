import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const randomChecksModule: ModuleDef = {
  name: 'randomchecks',
  routes,
  verbs: {
    'randomcheck.draw': { zh: '双随机抽取', en: 'Draw random checks', roles: ['info_admin', 'supervisor'] },
    'randomcheck.read': {
      zh: '查看双随机抽取记录',
      en: 'View random draws',
      roles: ['info_admin', 'supervisor', 'collector', 'inspector', 'enforcer'],
    },
  },
};
