import { afterAll, beforeAll, expect, it } from 'vitest';
import { recomputeBatch } from '../src/modules/batches/events.js';
import { demoEnv } from '../src/demo.js';
import { traceDemo } from '../src/modules/certificates/demo.js';
import { type TestApp, makeProducer, testApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

it('seeds products, batches, codes and certificates for approved producers, idempotently', async () => {
  const logs: string[] = [];
  const env = demoEnv(t.database, t.app.config, (m) => logs.push(m));
  await traceDemo.run(env);
  expect(logs[0]).toContain('no approved demo producer');
  await makeProducer(t, { username: 'demo_farmer', name: '演示合作社', divisionCode: '440117' });
  await traceDemo.run(env);
  const db = t.database.db;
  const batches = await db.selectFrom('batch').select(['id', 'stock', 'status']).execute();
  expect(batches.length).toBe(9);
  for (const b of batches) expect((await recomputeBatch(db, b.id)).stock).toBe(Number(b.stock));
  expect(
    Number(
      (
        await db
          .selectFrom('certificate')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  ).toBe(6);
  expect(
    Number(
      (
        await db
          .selectFrom('trace_code')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'I')
          .executeTakeFirstOrThrow()
      ).n,
    ),
  ).toBe(2000);
  await traceDemo.run(env);
  expect((await db.selectFrom('batch').select('id').execute()).length).toBe(9);
});
