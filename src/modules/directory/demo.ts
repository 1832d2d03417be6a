import { type Insertable, sql } from 'kysely';
import { countyOf, likePrefix } from '../../kernel/auth/scope.js';
import type { DemoStep } from '../../kernel/module.js';
import { DEMO_PRODUCTS, DEMO_TOWNS } from '../accounts/demo.js';
import type { DirectoryEntryTable } from './tables.js';

export const DIRECTORY_STEP = 'census directory of the demo counties';
/** The subjects module's step (named, not imported: the directory does not depend on the subjects module). */
const SUBJECTS_STEP = 'producers (subjects) and their review queue';

const SURNAMES = '李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';

/**
 * The census directory (摸底名录) of 从化区 and 蒲江县: every fourth demo producer (linked when approved) and 40
 * producers found in the census that have not registered yet. Idempotent: skipped once the first entry is there.
 */
export const directoryDemo: DemoStep = {
  name: DIRECTORY_STEP,
  after: [SUBJECTS_STEP],
  async run({ database, system, log }) {
    const db = database.db;
    const first = await db.selectFrom('subject').select('id').where('source_ref', '=', 'DEMO-0').executeTakeFirst();
    if (!first) return log('directory demo: the demo producers are missing; skipped');
    if (await db.selectFrom('directory_entry').select('id').where('subject_id', '=', first.id).executeTakeFirst())
      return;
    const producers = await db
      .selectFrom('subject')
      .select([
        'id',
        'name',
        'org_form',
        'industries',
        'cert_no',
        'contact_name',
        'contact_phone',
        'division_code',
        'status',
        sql<number>`substring(source_ref from 6)::int`.as('n'),
      ])
      .where('source_ref', 'like', likePrefix('DEMO-'))
      .where(sql<boolean>`substring(source_ref from 6)::int % 4 = 0`)
      .orderBy('n')
      .execute();
    const entries: Insertable<DirectoryEntryTable>[] = producers.map((s) => {
      const county = countyOf(s.division_code) as keyof typeof DEMO_PRODUCTS;
      const approved = s.status === 'approved';
      return {
        division_code: s.division_code,
        name: s.name,
        org_form: s.org_form,
        industries: s.industries,
        cert_no: s.cert_no,
        address: null,
        longitude: null,
        latitude: null,
        contact_name: s.contact_name,
        contact_phone: s.contact_phone,
        products: DEMO_PRODUCTS[county][s.n % 6],
        scale: `${10 + (s.n % 50)} 亩`,
        note: null,
        subject_id: approved ? s.id : null,
        linked_at: approved ? new Date() : null,
        created_by: null,
      };
    });
    // Census entries of producers that have not registered yet.
    for (let k = 0; k < 40; k++) {
      const county = k % 2 === 0 ? '440117' : '510131';
      entries.push({
        division_code: DEMO_TOWNS[county][k % 4],
        name: `${SURNAMES[(k * 3) % SURNAMES.length]}${'伯叔婶嫂'[k % 4]}${DEMO_PRODUCTS[county][k % 6]}种养户`,
        org_form: k % 5 === 0 ? 'broker' : 'individual',
        industries: ['planting'],
        cert_no: null,
        address: `${k + 1} 组`,
        longitude: null,
        latitude: null,
        contact_name: null,
        contact_phone: `135${String(20000000 + k * 331).slice(-8)}`,
        products: DEMO_PRODUCTS[county][k % 6],
        scale: `${3 + k} 亩`,
        note: '摸底发现，尚未注册',
        subject_id: null,
        linked_at: null,
        created_by: null,
      });
    }
    await system((ctx) => ctx.db.insertInto('directory_entry').values(entries).execute());
    log(`directory demo: ${entries.length} directory entries`);
  },
};
