import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';

/** Labels reuse the `code.issue` verb of the codes module (printing a label is issuing its code). */
export const labelsModule: ModuleDef = { name: 'labels', routes };
