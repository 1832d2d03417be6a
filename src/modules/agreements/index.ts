import type { ModuleDef } from '../../kernel/module.js';
import { agreementsDemo } from './demo.js';
import routes from './routes.js';
import { remindJob } from './service.js';

/** 追溯协议 Traceability agreements between a county and its producers. */
export const agreementsModule: ModuleDef = {
  name: 'agreements',
  routes,
  demo: [agreementsDemo],
  jobs: { 'agreements.remind': { run: remindJob, everyMs: 7 * 86_400_000 } },
  verbs: {
    'agreement.read': {
      zh: '查看追溯协议及签订情况',
      en: 'View agreements and who has not signed',
      roles: ['info_admin', 'supervisor', 'collector'],
    },
    'agreement.manage': {
      zh: '发布县级追溯协议、县级签署、提醒未签主体',
      en: 'Publish the county agreement, countersign it, remind producers',
      roles: ['info_admin', 'supervisor'],
    },
    'agreement.sign': { zh: '签订追溯协议', en: 'Accept the traceability agreement', roles: ['producer_admin'] },
  },
};
