import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { mayReadInputUseFile } from './service.js';

export const inputsModule: ModuleDef = {
  name: 'inputs',
  routes,
  fileOwners: { input_use: mayReadInputUseFile },
  verbs: {
    'input.record': {
      zh: '记录投入品使用和农事操作',
      en: 'Record inputs used and farming operations',
      roles: ['producer_admin', 'producer_staff', 'service_staff'],
      assisted: true,
    },
  },
};
