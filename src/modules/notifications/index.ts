import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/** Notifications to organisations (any authenticated account reads its own organisation's; no verb needed). */
export const notificationsModule: ModuleDef = { name: 'notifications', routes };
