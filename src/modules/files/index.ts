import type { ModuleDef } from '../../kernel/module.js';
import routes from './routes.js';
import { sweepJob } from './sweep.js';

/** Upload and download of stored files (src/kernel/files.ts); owners (e.g. subjects) decide who may read. */
export const filesModule: ModuleDef = { name: 'files', routes, jobs: { 'files.sweep': sweepJob } };
