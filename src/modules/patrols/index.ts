import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { mayReadPatrolFile } from './service.js';

/**
 * Every agency verb is also held by info_admin: an information administrator may only grant roles whose verbs it
 * holds (accounts service), and it opens the supervisor/inspector/enforcer accounts of its agency.
 */

export const patrolsModule: ModuleDef = {
  name: 'patrols',
  routes,
  fileOwners: { patrol: mayReadPatrolFile },
  verbs: {
    'patrol.read': {
      zh: '查看巡查计划和记录',
      en: 'View patrol plans and records',
      roles: ['info_admin', 'supervisor', 'collector', 'enforcer'],
    },
    'patrol.plan': { zh: '制定巡查计划', en: 'Create patrol plans', roles: ['info_admin', 'supervisor'] },
    'patrol.start': {
      zh: '扫码巡查（开始、提交、整改复查）',
      en: 'Patrol by scanning (start, submit, follow up)',
      roles: ['info_admin', 'supervisor', 'collector'],
    },
  },
};
