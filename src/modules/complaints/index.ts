import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

export const complaintsModule: ModuleDef = {
  name: 'complaints',
  routes,
  verbs: {
    'complaint.handle': { zh: '受理和办结本辖区的投诉举报', en: 'Handle complaints in the jurisdiction', roles: ['supervisor', 'enforcer', 'info_admin'] },
  },
};
