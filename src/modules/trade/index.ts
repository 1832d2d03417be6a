import type { ModuleDef } from '../../kernel/module.js';
import { DELEGABLE, READERS } from '../catalog/index.js';
import routes from './routes.js';
import { anomaliesJob } from './anomalies.js';
import { takeReceipt, takeSale } from './network.js';

// info_admin holds every supervisor verb here: an account may only grant roles whose verbs it holds (docs/ARCHITECTURE.md).
export const tradeModule: ModuleDef = {
  name: 'trade',
  routes,
  jobs: { 'chain.anomalies': anomaliesJob },
  // Sales across platforms (issue 15 item 3): the buyer's platform takes the sale, the seller's the decision.
  messageHandlers: { 'trade.sale': takeSale, 'trade.receipt': takeReceipt },
  verbs: {
    'trade.sell': {
      zh: '登记销售、开具追溯凭证和入市追溯凭证',
      en: 'Record sales, issue traceability and market-entry vouchers',
      roles: DELEGABLE,
      assisted: true,
    },
    'trade.receive': { zh: '确认收货或拒收', en: 'Confirm or refuse receipts', roles: DELEGABLE, assisted: true },
    'trade.read': {
      zh: '查看销售、收货记录和链条异常',
      en: 'View sales, receipts and chain anomalies',
      roles: [...READERS, 'market_staff', 'service_staff'],
    },
    'trade.verify': {
      zh: '入市查验（扫凭证或追溯码）',
      en: 'Verify vouchers and codes at market entry',
      roles: ['market_staff', 'supervisor', 'enforcer', 'info_admin'],
    },
    'anomaly.scan': { zh: '运行链条异常检查', en: 'Run the chain anomaly checks', roles: ['supervisor', 'info_admin'] },
  },
};
