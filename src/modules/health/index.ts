import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/** `GET /api/health`: database kind, version, platform tier and region, division levels loaded. */
export const healthModule: ModuleDef = { name: 'health', routes, prefix: '/api' };
