import type { ModuleDef } from '../../kernel/module.js';
import { directoryDemo } from './demo.js';
import routes from './routes.js';

/** 监管名录 Supervision directory: census of producers by township staff, linked to registrations. */
export const directoryModule: ModuleDef = {
  name: 'directory',
  routes,
  demo: [directoryDemo],
  verbs: {
    'directory.read': {
      zh: '查看/导出监管名录',
      en: 'View and export the supervision directory',
      roles: ['info_admin', 'supervisor', 'collector'],
    },
    'directory.write': {
      zh: '录入/修改监管名录',
      en: 'Record and edit directory entries',
      roles: ['info_admin', 'supervisor', 'collector'],
    },
  },
};
