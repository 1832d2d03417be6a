import type { FastifyInstance } from 'fastify';
import type { VerbTable } from './auth/roles.js';

/** A feature module: its routes (mounted under /api/v1 unless `prefix` says otherwise) and the verbs it defines. */
export interface ModuleDef {
  name: string;
  routes: (app: FastifyInstance) => Promise<void>;
  prefix?: string;
  verbs?: VerbTable;
}

export function assembleVerbs(modules: readonly ModuleDef[]): VerbTable {
  const table: VerbTable = {};
  for (const m of modules) {
    for (const [verb, def] of Object.entries(m.verbs ?? {})) {
      if (table[verb]) throw new Error(`verb ${verb} defined twice`);
      if (!/^[a-z][a-zA-Z]*\.[a-z][a-zA-Z]*$/.test(verb)) throw new Error(`verb ${verb} is not module.action`);
      table[verb] = def;
    }
  }
  return table;
}
