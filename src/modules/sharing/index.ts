import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { sendMessage } from './messages.js';
import { share } from './share.js';
import { askUpper, assertSignedByLower, identityKey, namePlatformId, platformIdentity, upperState } from './service.js';

/** Upward sharing (信息归集, issue 14): platform connections, the outbox and its delivery, the receiver. */
export const sharingModule: ModuleDef = {
  name: 'sharing',
  routes,
  shareHook: share,
  platformLink: {
    identityKey,
    platformId: (config) => platformIdentity(config).id,
    namePlatform: namePlatformId,
    upperState,
    askUpper,
    assertSignedByLower,
  },
  messageSender: sendMessage,
  verbs: {
    'sharing.manage': {
      zh: '管理平台对接（申请、审批、暂停）和查看共享状态',
      en: 'Manage platform connections (apply, approve, suspend) and sharing status',
      roles: [],
    },
    'sharing.correct': {
      zh: '对下级平台共享来的本辖区记录请求更正，答复上级平台的更正请求',
      en: 'Request corrections of shared-in records in the jurisdiction; answer requests from the upper platform',
      roles: ['supervisor', 'info_admin'],
    },
    'sharing.read': {
      zh: '查询下级平台共享来的本辖区记录',
      en: 'Search records shared from lower platforms in the jurisdiction',
      roles: ['supervisor', 'info_admin'],
    },
  },
};
