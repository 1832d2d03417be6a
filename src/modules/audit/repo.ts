import { type Kysely, sql } from 'kysely';
import { likePrefix, scopeFilter } from '../../kernel/auth/scope.js';
import { type PageParams, paged } from '../../kernel/paging.js';
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
}

function where(db: Kysely<DB>, f: AuditFilter) {
  let q = db.selectFrom('audit_log as l').where((eb) => scopeFilter(eb, 'l.division_code', f.scope));
  if (f.within) q = q.where((eb) => scopeFilter(eb, 'l.division_code', f.within as string));
  // "user." is every verb of the user module; anything else is one exact verb.
  if (f.verb) q = f.verb.endsWith('.') ? q.where('l.verb', 'like', likePrefix(f.verb)) : q.where('l.verb', '=', f.verb);
  if (f.actor) q = q.where('l.actor_name', '=', f.actor);
  if (f.targetType) q = q.where('l.target_type', '=', f.targetType);
  if (f.targetId) q = q.where('l.target_id', '=', f.targetId);
  if (f.from) q = q.where('l.at', '>=', new Date(f.from));
  if (f.to) q = q.where('l.at', '<', new Date(f.to));
  return q;
}

export function list(db: Kysely<DB>, f: AuditFilter, p: PageParams) {
  return paged(
    where(db, f)
      .leftJoin('account as a', 'a.id', 'l.actor_id')
      .leftJoin('organisation as o', 'o.id', 'l.org_id')
      // The producer acted for (代录 / 代农户办理), by name: "entered by X for Y".
      .leftJoin('subject as s', (j) => j.on(sql`s.id::text`, '=', sql.ref('l.on_behalf_of')))
      .selectAll('l')
      .select(['a.display_name as account_name', 'o.name as current_org_name', 's.name as on_behalf_of_name'])
      .orderBy('l.at', 'desc')
      .orderBy('l.id', 'desc'),
    p,
  );
}
