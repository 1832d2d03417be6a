import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepUnattached } from '../src/modules/files/sweep.js';
import { type TestApp, multipartFile, testApp } from './helpers.js';

// Issue 12, item 7: anonymous uploads only for proofs and photos, small, with a per-client quota, swept within an
// hour; the 413 names the real limit.
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

const pdf = (bytes: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(bytes, 0x20)]);
const up = (token: string | null, purpose: string, data: Buffer, name = 'a.pdf', remoteAddress = '192.0.2.50') => {
  const body = multipartFile(name, data, 'application/pdf');
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/files?purpose=${purpose}`,
    remoteAddress,
    payload: body.payload,
    headers: { ...body.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
};

describe('uploads', () => {
  it('anonymous callers may not upload spreadsheets', async () => {
    const r = await up(null, 'spreadsheet', Buffer.from('a,b\n1,2\n'), 'a.csv');
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('UPLOAD_LOGIN_REQUIRED');
  });
  it('anonymous files are small; the 413 names the real limit', async () => {
    const r = await up(null, 'proof', pdf(4 * 1024 * 1024));
    expect(r.statusCode).toBe(413);
    expect(r.json().messageEn).toContain('3 MB');
    const big = await up(admin, 'proof', pdf(6 * 1024 * 1024));
    expect(big.statusCode).toBe(413);
    expect(big.json().messageEn).toContain('5 MB');
    expect(big.json().messageEn).not.toContain('KiB');
  });
  it('a client address has an hourly quota of anonymous uploads', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await up(null, 'proof', pdf(1000), 'p.pdf', '192.0.2.51')).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 201)).toBe(true);
    expect(codes[20]).toBe(429);
    expect((await up(null, 'proof', pdf(1000), 'p.pdf', '192.0.2.52')).statusCode).toBe(201);
  });
  it('unattached anonymous uploads are swept after an hour, an account’s after a day', async () => {
    const anon = (await up(null, 'proof', pdf(100), 'x.pdf', '192.0.2.53')).json().id as string;
    const mine = (await up(admin, 'proof', pdf(100))).json().id as string;
    await t.database.db
      .updateTable('stored_file')
      .set({ created_at: new Date(Date.now() - 61 * 60_000) })
      .where('id', 'in', [anon, mine])
      .execute();
    await sweepUnattached(t.database.db, t.app.config);
    const left = await t.database.db.selectFrom('stored_file').select('id').where('id', 'in', [anon, mine]).execute();
    expect(left.map((r) => r.id)).toEqual([mine]);
  });
});
