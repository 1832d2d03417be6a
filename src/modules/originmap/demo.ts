import { sql } from 'kysely';
import { likePrefix } from '../../kernel/auth/scope.js';
import type { DemoStep } from '../../kernel/module.js';
import { generateRecords, rebuildAllCells } from './generate.js';

/**
 * Origin records (DEMO_ORIGIN_RECORDS, default 50,000) over the real townships of Guangdong and Sichuan (the demo
 * provinces), 85 % approved.
 */
export const originmapDemo: DemoStep = {
  name: 'origin map: records over Guangdong and Sichuan townships',
  after: ['organisations and accounts in Guangdong and Sichuan'],
  async run({ database, config, log }) {
    const db = database.db;
    const DEMO_ORIGIN_RECORDS = config.demoOriginRecords;
    const have = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM origin_record WHERE record_key LIKE ${likePrefix('demo-')}`.execute(db);
    if (Number(have.rows[0].n) >= DEMO_ORIGIN_RECORDS) return;
    const collector = await db.selectFrom('account').select('id').where('username', '=', 'wq_xg').executeTakeFirst();
    const out = await generateRecords(db, {
      count: DEMO_ORIGIN_RECORDS,
      within: ['44', '51'],
      keyPrefix: 'demo',
      createdBy: collector?.id ?? null,
    });
    await rebuildAllCells(db);
    log(`origin map: ${out.inserted} records over ${out.townships} townships in ${out.counties.length} counties`);
  },
};
