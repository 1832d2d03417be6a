import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const PRODUCERS = ['producer_admin', 'producer_staff'] as const;
export const READERS = ['producer_admin', 'producer_staff', 'info_admin', 'supervisor', 'collector', 'inspector', 'enforcer'] as const;

export const catalogModule: ModuleDef = {
  name: 'catalog',
  routes,
  verbs: {
    'product.manage': { zh: '管理产品、基地和客户', en: 'Manage products, bases and customers', roles: PRODUCERS },
  },
};
