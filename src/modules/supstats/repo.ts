import { type Kysely, sql } from 'kysely';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { DB } from '../../schema.js';

const yearOf = (col: string) => sql<number>`extract(year from ${sql.ref(col)} at time zone 'Asia/Shanghai')`;

export function planTargets(db: Kysely<DB>, scope: string, year: number) {
  return db
    .selectFrom('patrol_plan')
    .select(['period', (eb) => eb.fn.sum<number>('target').as('target'), (eb) => eb.fn.countAll<number>().as('plans')])
    .where((eb) => scopeFilter(eb, 'division_code', scope))
    .where('year', '=', year)
    .groupBy('period')
    .execute();
}
export function patrolsByMonth(db: Kysely<DB>, scope: string, year: number) {
  return db
    .selectFrom('patrol')
    .select([
      sql<number>`extract(month from submitted_at at time zone 'Asia/Shanghai')`.as('month'),
      'result',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where((eb) => scopeFilter(eb, 'division_code', scope))
    .where('submitted_at', 'is not', null)
    .where(yearOf('submitted_at'), '=', year)
    .groupBy([sql`1`, 'result'])
    .execute();
}
export function testsByProduct(db: Kysely<DB>, scope: string, year: number) {
  return db
    .selectFrom('sampling_sheet')
    .select([
      'product_name',
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`count(*) FILTER (WHERE status = 'passed')`.as('passed'),
    ])
    .where((eb) => scopeFilter(eb, 'division_code', scope))
    .where('status', '<>', 'sampled')
    .where(yearOf('sampled_at'), '=', year)
    .groupBy('product_name')
    .orderBy('total', 'desc')
    .execute();
}
export function testsByItem(db: Kysely<DB>, scope: string, year: number) {
  return db
    .selectFrom('test_result as r')
    .innerJoin('sampling_sheet as s', 's.id', 'r.sheet_id')
    .select([
      'r.item',
      (eb) => eb.fn.countAll<number>().as('total'),
      sql<number>`count(*) FILTER (WHERE r.passed)`.as('passed'),
    ])
    .where((eb) => scopeFilter(eb, 's.division_code', scope))
    .where(yearOf('s.sampled_at'), '=', year)
    .groupBy('r.item')
    .orderBy('total', 'desc')
    .execute();
}
export function casesByType(db: Kysely<DB>, scope: string, year: number) {
  return db
    .selectFrom('enforcement_case')
    .select([
      'violation_type',
      'status',
      (eb) => eb.fn.countAll<number>().as('n'),
      (eb) => eb.fn.sum<number>('fine_yuan').as('fines'),
    ])
    .where((eb) => scopeFilter(eb, 'division_code', scope))
    .where(yearOf('created_at'), '=', year)
    .groupBy(['violation_type', 'status'])
    .execute();
}
