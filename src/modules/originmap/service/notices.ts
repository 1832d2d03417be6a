import type { Kysely } from 'kysely';
import type { DB } from '../../../schema.js';
import * as notifications from '../../notifications/service.js';
import * as repo from '../repo.js';

/**
 * Notices about origin records reach the local township supervision agency (乡镇监管机构: supervision organisations at
 * the record's township) and the collector named in the record (信息采集员, matched to an account by phone, else by
 * name in the township), besides whoever created it (seed 004 六(三)、六(四)). One notice per recipient, through the
 * platform inbox (src/modules/notifications).
 */
export interface RecordNotice {
  id: string;
  division_code: string;
  collector_name: string | null;
  collector_phone: string | null;
  created_by: string | null;
}

export async function noticeRecords(
  db: Kysely<DB>,
  records: RecordNotice[],
  text: (n: number) => { titleZh: string; titleEn: string; body: string },
  link: (ids: string[]) => string,
) {
  if (!records.length) return 0;
  const byOrg = new Map<string, { division: string; ids: string[] }>();
  const byAccount = new Map<string, { division: string; ids: string[] }>();
  const add = (m: Map<string, { division: string; ids: string[] }>, key: string, r: RecordNotice) => {
    const e = m.get(key) ?? { division: r.division_code.slice(0, 9), ids: [] };
    if (!e.ids.includes(r.id)) e.ids.push(r.id);
    m.set(key, e);
  };
  const towns = [...new Set(records.map((r) => r.division_code.slice(0, 9)))];
  const orgsOfTown = new Map<string, string[]>();
  for (const t of towns) orgsOfTown.set(t, await notifications.regulatorsAt(db, t));
  const named = await repo.namedCollectors(db, records);
  for (const r of records) {
    for (const o of orgsOfTown.get(r.division_code.slice(0, 9)) ?? []) add(byOrg, o, r);
    for (const a of named.get(r.id) ?? []) add(byAccount, a, r);
    if (r.created_by) add(byAccount, r.created_by, r);
  }
  const list: notifications.NewNotification[] = [
    ...[...byOrg].map(([orgId, e]) => ({
      orgId,
      kind: 'origin.record',
      divisionCode: e.division,
      link: link(e.ids),
      ...text(e.ids.length),
    })),
    ...[...byAccount].map(([accountId, e]) => ({
      accountId,
      kind: 'origin.record',
      divisionCode: e.division,
      link: link(e.ids),
      ...text(e.ids.length),
    })),
  ];
  await notifications.notify(db, list);
  return list.length;
}
