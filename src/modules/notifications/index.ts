import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/** In-platform notifications (站内通知): a general inbox any module writes to with `notify`. No verbs: own inbox only. */
export const notificationsModule: ModuleDef = { name: 'notifications', routes };
