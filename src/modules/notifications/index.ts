import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/** Notifications: every authenticated account reads its own and its organisation's; no verb needed. */
export const notificationsModule: ModuleDef = { name: 'notifications', routes };
