import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const incidentsModule: ModuleDef = {
  name: 'incidents',
  routes,
  verbs: {
    'incident.read': {
      zh: '查看应急事件',
      en: 'View incidents',
      roles: ['info_admin', 'supervisor', 'enforcer', 'inspector'],
    },
    'incident.command': {
      zh: '启动应急事件、派发任务、结束事件',
      en: 'Open incidents, dispatch tasks, close incidents',
      roles: ['info_admin', 'supervisor'],
    },
    'incident.task': {
      zh: '接收和完成派给本机构的应急任务',
      en: "Accept and complete the organisation's incident tasks",
      roles: ['info_admin', 'supervisor', 'enforcer', 'inspector'],
    },
  },
};
