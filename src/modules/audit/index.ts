import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const auditModule: ModuleDef = {
  name: 'audit',
  routes,
  verbs: { 'audit.read': { zh: '查看审计日志', en: 'Browse the audit log', roles: ['info_admin'] } },
};
