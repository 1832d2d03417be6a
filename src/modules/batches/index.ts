import type { ModuleDef } from '../../kernel/module.js';
import { DELEGABLE, READERS } from '../catalog/index.js';
import routes from './routes.js';

export const batchesModule: ModuleDef = {
  name: 'batches',
  routes,
  verbs: {
    'batch.create': { zh: '新建和更正批次', en: 'Create and correct batches', roles: DELEGABLE, assisted: true },
    'batch.read': {
      zh: '查看产品、基地、批次和追溯事件',
      en: 'View products, bases, batches and trace events',
      roles: [...READERS, 'service_staff'],
    },
  },
};
