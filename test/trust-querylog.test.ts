import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserFamily } from '../src/modules/public/service.js';
import { QueryLog, type QueryRow } from '../src/modules/public/querylog.js';
import { type TestApp, testApp } from './helpers.js';

// Issue 12, item 6: a bad row never takes the others with it; producers see locations and agents coarsely.
let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t?.close());

const row = (code: string, extra: Partial<QueryRow> = {}): QueryRow => ({
  at: new Date(),
  code,
  kind: null,
  serial: null,
  result: 'unknown',
  channel: 'json',
  viewer: 'consumer',
  actorId: null,
  subjectId: null,
  divisionCode: null,
  ip: '192.0.2.1',
  userAgent: 'ua\u0000x',
  latitude: null,
  longitude: null,
  ...extra,
});

describe('query log flush', () => {
  it('one row with NUL, one the database refuses: every other row of the batch is still written', async () => {
    const errors: unknown[] = [];
    const log = new QueryLog(
      t.database.db,
      { ...t.app.config.publicTrace, logFlushMs: 3_600_000 },
      { error: (o) => errors.push(o) },
    );
    log.push(row('GOOD-1'));
    log.push(row('BAD\u0000NUL'));
    log.push(row('BAD-KIND', { kind: 99_999 })); // smallint overflow: refused by the database
    log.push(row('GOOD-2\ud800'));
    log.push(row('GOOD-3'));
    await log.close();
    const codes = (await t.database.db.selectFrom('query_log').select('code').execute()).map((r) => r.code);
    expect(codes).toEqual(expect.arrayContaining(['GOOD-1', 'BAD\ufffdNUL', 'GOOD-2\ufffd', 'GOOD-3']));
    expect(codes).not.toContain('BAD-KIND');
    expect(log.dropped).toBe(1);
  });
  it('user agents are reduced to a browser family for producers', () => {
    expect(browserFamily('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit/605 MicroMessenger/8.0.40')).toBe(
      'WeChat',
    );
    expect(browserFamily('Mozilla/5.0 (Linux; Android 14; SM-S918B) Chrome/120.0 Mobile Safari/537.36')).toBe('Chrome');
    expect(browserFamily(null)).toBeNull();
  });
});
