import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { mayReadInspectionFile } from './inspections.js';
import { mayReadCaseFile } from './service.js';

export const enforcementModule: ModuleDef = {
  name: 'enforcement',
  routes,
  fileOwners: { enforcement_case: mayReadCaseFile, enforcement_inspection: mayReadInspectionFile },
  verbs: {
    'enforcement.read': {
      zh: '查看执法案件',
      en: 'View enforcement cases',
      roles: ['info_admin', 'enforcer', 'supervisor'],
    },
    'enforcement.manage': {
      zh: '立案与案件办理',
      en: 'Register and handle penalty cases',
      roles: ['info_admin', 'enforcer'],
    },
  },
};
