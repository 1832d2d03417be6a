import { sql } from 'kysely';
import type { DemoStep } from '../../demo.js';
import { generateRecords, rebuildAllCells } from './generate.js';

/** 50,000 origin records over the real townships of Guangdong and Sichuan (the demo provinces), 85 % approved. */
export const DEMO_ORIGIN_RECORDS = 50_000;

export const originmapDemo: DemoStep = {
  name: `origin map: ${DEMO_ORIGIN_RECORDS} records over Guangdong and Sichuan townships`,
  async run(database, _config, log) {
    const db = database.db;
    const have = await sql<{ n: number }>`SELECT count(*)::int AS n FROM origin_record WHERE record_key LIKE 'demo-%'`.execute(db);
    if (Number(have.rows[0].n) >= DEMO_ORIGIN_RECORDS) return;
    const collector = await db.selectFrom('account').select('id').where('username', '=', 'wq_xg').executeTakeFirst();
    const out = await generateRecords(db, { count: DEMO_ORIGIN_RECORDS, within: ['44', '51'], keyPrefix: 'demo', createdBy: collector?.id ?? null });
    await rebuildAllCells(db);
    log(`origin map: ${out.inserted} records over ${out.townships} townships in ${out.counties.length} counties`);
  },
};
