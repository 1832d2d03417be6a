import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { ExpiryJobResult } from './schemas.js';
import { expireDeviceReservations, reserveJob } from './service.js';

export const codesModule: ModuleDef = {
  name: 'codes',
  routes,
  jobs: {
    'codes.reserve': reserveJob,
    // Device reservations past their expiry: unused codes voided (issue 16).
    'codes.expireDeviceReservations': { run: expireDeviceReservations, everyMs: 3600_000, result: ExpiryJobResult },
  },
  verbs: {
    'code.issue': {
      zh: '取码、打印标签、下载码表',
      en: 'Issue codes, print labels, download code lists',
      roles: ['producer_admin', 'producer_staff', 'service_staff'],
      assisted: true,
    },
    'code.reserve': {
      zh: '预留第三方印刷码段并激活',
      en: 'Reserve codes for a third-party printer and activate them',
      roles: ['producer_admin'],
    },
  },
};
