import type { ModuleDef } from '../../kernel/module.js';
import { PRODUCERS, READERS } from '../catalog/index.js';
import { chainDemo } from './demo.js';
import { takeNetworkRecall } from './network.js';
import { takeProgress } from './progress.js';
import routes from './routes.js';

export const recallModule: ModuleDef = {
  name: 'recall',
  routes,
  demo: [chainDemo],
  // A recall opened on an upper platform for lots held here (issue 15 item 3).
  // Their progress reported back to the platform that opened them.
  messageHandlers: { 'recall.network': takeNetworkRecall, 'recall.progress': takeProgress },
  verbs: {
    'recall.open': {
      zh: '发起和结束召回（监管：辖区内批次；主体：本主体批次）',
      en: 'Open and close recalls (regulators: batches in their jurisdiction; producers: their own)',
      roles: ['supervisor', 'info_admin', ...PRODUCERS],
    },
    'recall.read': { zh: '查看召回、进度和报告', en: 'View recalls, their progress and reports', roles: READERS },
    'recall.acknowledge': { zh: '确认召回通知', en: 'Acknowledge recall notices', roles: PRODUCERS },
  },
};
