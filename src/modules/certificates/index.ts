import type { ModuleDef } from '../../kernel/module.js';
import { traceDemo } from './demo.js';
import routes from './routes.js';

export const certificatesModule: ModuleDef = {
  name: 'certificates',
  routes,
  demo: [traceDemo],
  verbs: {
    'certificate.issue': {
      zh: '开具承诺达标合格证',
      en: 'Issue commitment compliance certificates',
      roles: ['producer_admin', 'producer_staff', 'service_staff'],
      assisted: true,
    },
  },
};
