import type { ModuleDef } from '../../kernel/module.js';
import { collectionHook } from './hook.js';
import routes from './routes.js';

/** The information resource catalogue (信息资源目录): see docs/infocatalog.md. */
export const infocatalogModule: ModuleDef = {
  name: 'infocatalog',
  routes,
  collectionHook,
  verbs: {
    'infocatalog.read': {
      zh: '查看信息资源目录',
      en: 'View the information resource catalogue',
      roles: [
        'info_admin',
        'info_reviewer',
        'supervisor',
        'collector',
        'inspector',
        'enforcer',
        'service_staff',
        'producer_applicant',
        'producer_admin',
        'producer_staff',
        'market_staff',
      ],
    },
    'infocatalog.edit': { zh: '编制目录草稿', en: 'Edit catalogue drafts', roles: ['info_admin'] },
    'infocatalog.publish': { zh: '发布目录版本', en: 'Publish catalogue versions', roles: ['info_admin'] },
    'infocatalog.import': { zh: '导入上级目录版本', en: 'Import catalogue versions', roles: ['info_admin'] },
  },
};
