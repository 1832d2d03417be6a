import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoEnv } from '../src/demo.js';
import { foundationDemo } from '../src/modules/accounts/demo.js';
import { demoProducersStep } from '../src/modules/subjects/demo.js';
import { supervisionDemo } from '../src/modules/supstats/demo.js';
import { type TestApp, testApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

const count = async (
  table: 'patrol' | 'sampling_sheet' | 'risk_case' | 'credit_record' | 'enforcement_case' | 'notification' | 'subject',
) =>
  Number(
    (
      await t.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

it('seeds producers, patrols, a draw, monitoring with a failing sample, a penalty case and credit records, idempotently', async () => {
  const logs: string[] = [];
  const env = demoEnv(t.database, t.app.config, (m: string) => logs.push(m));
  await foundationDemo.run(env);
  await demoProducersStep.run(env);
  await supervisionDemo.run(env);
  expect(await count('subject')).toBe(4);
  expect(await count('patrol')).toBe(3);
  expect(await count('sampling_sheet')).toBe(5);
  expect(await count('risk_case')).toBe(1);
  expect(await count('enforcement_case')).toBe(1);
  // patrol fail + rectify + failed test + penalty on the same producer
  expect(await count('credit_record')).toBe(4);
  expect(await count('notification')).toBeGreaterThanOrEqual(2);
  // Every approved demo producer has its identity code (issue 17 item 12).
  const approved = await t.database.db
    .selectFrom('subject')
    .select(['name', 'identity_code'])
    .where('status', '=', 'approved')
    .execute();
  expect(approved.length).toBeGreaterThan(0);
  expect(approved.filter((s) => !s.identity_code).map((s) => s.name)).toEqual([]);
  // The demo accounts can log in and see it.
  const tok = await t.login('ch_sup', 'Demo12345');
  const risks = await t.req(tok, { method: 'GET', url: '/api/v1/risk-cases' });
  expect(risks.json().items).toHaveLength(1);
  const offenders = await t.req(null, { method: 'GET', url: '/api/v1/public/credit/offenders' });
  expect(offenders.json().items).toHaveLength(1);
  await demoProducersStep.run(env);
  await supervisionDemo.run(env);
  expect(await count('patrol')).toBe(3);
  expect(await count('subject')).toBe(4);
});
