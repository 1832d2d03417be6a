import type { Kysely } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';

export interface AuditFilter {
  scope: string;
  within?: string;
  verb?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

function where(db: Kysely<DB>, f: AuditFilter) {
  let q = db.selectFrom('audit_log as l').where((eb) => scopeFilter(eb, 'l.division_code', f.scope));
  if (f.within) q = q.where((eb) => scopeFilter(eb, 'l.division_code', f.within as string));
  if (f.verb) q = q.where('l.verb', 'like', f.verb.endsWith('.') ? `${f.verb}%` : f.verb);
  if (f.actor) q = q.where('l.actor_name', '=', f.actor);
  if (f.targetType) q = q.where('l.target_type', '=', f.targetType);
  if (f.targetId) q = q.where('l.target_id', '=', f.targetId);
  if (f.from) q = q.where('l.at', '>=', new Date(f.from));
  if (f.to) q = q.where('l.at', '<', new Date(f.to));
  return q;
}

export async function list(db: Kysely<DB>, f: AuditFilter) {
  const rows = await where(db, f).selectAll('l').orderBy('l.at', 'desc').orderBy('l.id', 'desc').limit(f.limit).offset(f.offset).execute();
  const { n } = await where(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: n };
}
