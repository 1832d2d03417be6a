import type { ModuleDef } from '../../kernel/module.js';
import { DELEGABLE, READERS } from '../catalog/index.js';
import routes from './routes.js';

/**
 * GS1 EPCIS 2.0 (issue 14 item 4): the platform's trace events as EPCIS JSON-LD (mapping.ts), and the capture and
 * query interface for producers' systems and third-party platforms (seed 000 第十四条). See docs/sharing.md "EPCIS".
 */
export const epcisModule: ModuleDef = {
  name: 'epcis',
  routes,
  verbs: {
    'epcis.capture': {
      zh: '通过 EPCIS 2.0 接口上报追溯事件（第三方平台、生产线系统）',
      en: 'Capture trace events through the EPCIS 2.0 interface (third-party platforms, production systems)',
      roles: DELEGABLE,
    },
    'epcis.read': {
      zh: '通过 EPCIS 2.0 接口查询追溯事件',
      en: 'Query trace events through the EPCIS 2.0 interface',
      roles: [...READERS, 'service_staff'],
    },
  },
};
