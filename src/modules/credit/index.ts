import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const creditModule: ModuleDef = {
  name: 'credit',
  routes,
  verbs: {
    'credit.read': {
      zh: '查看诚信档案',
      en: 'View credit archives',
      roles: ['info_admin', 'supervisor', 'enforcer', 'collector'],
    },
    'credit.readOwn': {
      zh: '查看本主体诚信档案',
      en: 'View my own credit archive',
      roles: ['producer_admin', 'producer_staff'],
    },
    'credit.readAgency': {
      zh: '查看本机构及其采集员的诚信档案',
      en: "View my agency's and its collectors' credit archive",
      roles: ['service_staff'],
    },
  },
};
