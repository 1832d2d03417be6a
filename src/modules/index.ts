import { assembleVerbs, type ModuleDef } from '../kernel/module.js';
import { accountsModule } from './accounts/index.js';
import { auditModule } from './audit/index.js';
import { authModule } from './auth/index.js';
import { healthModule } from './health/index.js';
import { jobsModule } from './jobs/index.js';
import { originmapModule } from './originmap/index.js';
import { regionsModule } from './regions/index.js';

/** Every feature module, in mounting order. Add a module here and nowhere else. */
export const MODULES: readonly ModuleDef[] = [healthModule, authModule, regionsModule, accountsModule, auditModule, jobsModule, originmapModule];

export const VERB_TABLE = assembleVerbs(MODULES);
