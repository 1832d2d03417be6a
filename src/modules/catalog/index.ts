import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { mayReadBaseFile } from './service.js';

export const PRODUCERS = ['producer_admin', 'producer_staff'] as const;
/** Producer roles plus service-agency staff entering records for a producer that authorised them (代录). */
export const DELEGABLE = [...PRODUCERS, 'service_staff'] as const;
export const READERS = [
  'producer_admin',
  'producer_staff',
  'info_admin',
  'supervisor',
  'collector',
  'inspector',
  'enforcer',
] as const;

export const catalogModule: ModuleDef = {
  name: 'catalog',
  routes,
  fileOwners: { base: mayReadBaseFile },
  verbs: {
    'product.manage': {
      zh: '管理产品、基地和客户',
      en: 'Manage products, bases and customers',
      roles: DELEGABLE,
      assisted: true,
    },
  },
};
