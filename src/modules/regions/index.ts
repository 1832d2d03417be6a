import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/** Divisions are public reference data: no verbs. */
export const regionsModule: ModuleDef = { name: 'regions', routes };
