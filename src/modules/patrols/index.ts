import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const patrolsModule: ModuleDef = {
  name: 'patrols',
  routes,
  verbs: {
    'patrol.read': { zh: '查看巡查计划和记录', en: 'View patrol plans and records', roles: ['supervisor', 'collector', 'enforcer'] },
    'patrol.plan': { zh: '制定巡查计划', en: 'Create patrol plans', roles: ['supervisor'] },
    'patrol.start': { zh: '扫码巡查（开始、提交、整改复查）', en: 'Patrol by scanning (start, submit, follow up)', roles: ['supervisor', 'collector'] },
  },
};
