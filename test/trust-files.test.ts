import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';

// Issue 12, item 5: attachments and jobs are read under the owning module's rule (verb, jurisdiction, ownership).
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

const PDF = Buffer.from('%PDF-1.4\n% enforcement evidence\n');

describe('attachments', () => {
  it('a producer in the same division cannot read an enforcement case attachment; the enforcer can', async () => {
    const enforcer = await makeUser(t, admin, {
      username: 'enf-440117',
      orgName: '天河执法大队',
      kind: 'enforcement',
      divisionCode: '440117',
      roles: ['enforcer'],
    });
    const up = await t.req(enforcer.token, {
      method: 'POST',
      url: '/api/v1/files?purpose=proof',
      ...multipartFile('e.pdf', PDF, 'application/pdf'),
    });
    expect(up.statusCode, up.body).toBe(201);
    const fileId = up.json().id as string;
    const c = await t.req(enforcer.token, {
      method: 'POST',
      url: '/api/v1/enforcement-cases',
      payload: {
        partyName: '某当事人',
        divisionCode: '440117',
        facts: '现场检查发现问题',
        violationType: 'other',
        attachmentIds: [fileId],
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    const producer = await makeProducer(t, { username: 'nosy-producer', name: '好奇合作社', divisionCode: '440117' });
    expect((await t.req(producer.token, { method: 'GET', url: `/api/v1/files/${fileId}` })).statusCode).toBe(403);
    expect((await t.req(enforcer.token, { method: 'GET', url: `/api/v1/files/${fileId}` })).statusCode).toBe(200);
  });
});

describe('jobs', () => {
  it("another account's job and its result are not shown, even in the same division", async () => {
    const a = await makeProducer(t, { username: 'job-owner', name: '甲合作社', divisionCode: '440117' });
    const b = await makeProducer(t, { username: 'job-peeker', name: '乙合作社', divisionCode: '440117' });
    const job = await t.database.db
      .insertInto('job')
      .values({
        kind: 'test.secret',
        payload: JSON.stringify({}),
        created_by: a.userId,
        division_code: '440117',
        status: 'done',
        result: JSON.stringify({ secret: 'a-only' }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const mine = await t.req(a.token, { method: 'GET', url: `/api/v1/jobs/${job.id}` });
    expect(mine.statusCode, mine.body).toBe(200);
    expect((await t.req(b.token, { method: 'GET', url: `/api/v1/jobs/${job.id}` })).statusCode).toBe(404);
    const county = await makeUser(t, admin, {
      username: 'job-county',
      orgName: '天河农业局',
      divisionCode: '440117',
      roles: ['supervisor'],
    });
    expect((await t.req(county.token, { method: 'GET', url: `/api/v1/jobs/${job.id}` })).statusCode).toBe(404);
  });
});
