import type { ModuleDef } from '../../kernel/module.js';
import { DELEGABLE, READERS } from '../catalog/index.js';
import routes from './routes.js';

export const lineageModule: ModuleDef = {
  name: 'lineage',
  routes,
  verbs: {
    'lineage.read': {
      zh: '追溯批次来源和流向、导出上下游记录',
      en: 'Trace batches back and forward, export their records',
      roles: READERS,
    },
    'lineage.graph': {
      zh: '查看完整链条图',
      en: 'View the whole chain graph',
      roles: ['supervisor', 'enforcer', 'inspector', 'info_admin'],
    },
    'batch.transform': { zh: '分装、重新包装、合并批次', en: 'Split, repack and merge batches', roles: DELEGABLE },
  },
};
