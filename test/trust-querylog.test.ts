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
  it('every column of a row arrives as pushed: Chinese, IPv6, coordinates, a 5,000-character agent cut to 300', async () => {
    const log = new QueryLog(
      t.database.db,
      { ...t.app.config.publicTrace, logFlushMs: 3_600_000 },
      { error: () => {} },
    );
    const actor = await t.database.db.selectFrom('account').select('id').executeTakeFirstOrThrow();
    const at = new Date('2026-11-30T16:05:06.789Z');
    log.push(
      row('=HYPERLINK("x")', {
        at,
        kind: 1,
        serial: 9_007_199_254_740,
        result: 'recalled',
        channel: 'html',
        viewer: 'regulator',
        actorId: actor.id,
        subjectId: '6f1c2d9e-1111-4c4c-8888-123456789abc',
        divisionCode: '440117103',
        ip: '2001:db8:85a3:8d3:1319:8a2e:370:7348',
        userAgent: `微信 "浏览器" \\ ${'长'.repeat(5_000)}`,
        latitude: 23.5438,
        longitude: -113.123456789,
      }),
    );
    log.push(row('10000000000000000050', { ip: null, userAgent: null }));
    await log.close();
    const rows = await t.database.db.selectFrom('query_log').selectAll().where('at', '=', at).execute();
    expect(rows).toHaveLength(1);
    const r = rows[0];
    expect(r).toMatchObject({
      code: '=HYPERLINK("x")',
      code_kind: 1,
      result: 'recalled',
      channel: 'html',
      viewer: 'regulator',
      actor_id: actor.id,
      subject_id: '6f1c2d9e-1111-4c4c-8888-123456789abc',
      division_code: '440117103',
      client_ip: '2001:db8:85a3:8d3:1319:8a2e:370:7348',
      client_net: '2001:db8:85a3::/48',
      latitude: 23.5438,
      longitude: -113.123456789,
    });
    expect(String(r.code_serial)).toBe('9007199254740');
    expect(r.user_agent).toBe(`微信 "浏览器" \\ ${'长'.repeat(5_000)}`.slice(0, 300));
    const bare = await t.database.db
      .selectFrom('query_log')
      .select(['client_ip', 'client_net', 'user_agent', 'code_kind'])
      .where('code', '=', '10000000000000000050')
      .where('channel', '=', 'json')
      .execute();
    expect(bare).toContainEqual({ client_ip: null, client_net: null, user_agent: null, code_kind: null });
  });
  it('user agents are reduced to a browser family for producers', () => {
    expect(browserFamily('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) AppleWebKit/605 MicroMessenger/8.0.40')).toBe(
      'WeChat',
    );
    expect(browserFamily('Mozilla/5.0 (Linux; Android 14; SM-S918B) Chrome/120.0 Mobile Safari/537.36')).toBe('Chrome');
    expect(browserFamily(null)).toBeNull();
  });
});
