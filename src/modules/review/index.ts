import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { ownerDecided, ownerSubmitted } from './service.js';

/** Review of collected information (信息审核, seed 000 art. 12): see docs/infocatalog.md. */
export const reviewModule: ModuleDef = {
  name: 'review',
  routes,
  reviewQueue: { submitted: ownerSubmitted, decided: ownerDecided },
  verbs: {
    'review.read': {
      zh: '查看信息审核事项',
      en: 'View review items',
      roles: [
        'info_admin',
        'info_reviewer',
        'supervisor',
        'collector',
        'inspector',
        'enforcer',
        'service_staff',
        'producer_admin',
        'producer_staff',
      ],
    },
    'review.decide': { zh: '审核采集信息', en: 'Review collected information', roles: ['info_reviewer'] },
  },
};
