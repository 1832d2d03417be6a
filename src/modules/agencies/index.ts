import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { mayReadConsentFile } from './service.js';

/** 第三方服务机构 Service agencies: registration reviewed by the province; producers' scoped, revocable authorisations. */
export const agenciesModule: ModuleDef = {
  name: 'agencies',
  routes,
  fileOwners: { farmer_consent: mayReadConsentFile },
  verbs: {
    // Acting for a farmer (代农户办理): record and revoke farmers' consents, and — with a live consent and
    // `X-Acting-For` — use the verbs marked `assisted` (batches, certificates, sales…) for that farmer.
    'farmer.assist': {
      zh: '代农户办理（须记录农户同意）',
      en: "Act for a farmer (with the farmer's recorded consent)",
      roles: ['collector', 'supervisor', 'info_admin'],
    },
    'agency.read': { zh: '查看服务机构', en: 'View service agencies', roles: ['info_admin', 'supervisor'] },
    'agency.review': {
      zh: '审核服务机构（省级）',
      en: 'Review service agencies (province)',
      roles: ['info_admin', 'supervisor'],
    },
    'agency.collect': {
      zh: '代主体采集信息',
      en: 'Collect information on behalf of producers',
      roles: ['service_staff'],
    },
    'mySubject.authorise': {
      zh: '授权/撤回服务机构',
      en: 'Authorise or revoke service agencies',
      roles: ['producer_admin'],
    },
  },
};
