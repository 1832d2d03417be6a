import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3FileStore } from '../src/kernel/files.js';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { type TestApp, testApp } from './helpers.js';
import { PNG } from './media.js';

// The whole upload → attach → download path with S3_* configured, against an S3-compatible server on loopback.
let server: { run(): Promise<{ port: number }>; close(): Promise<void> };
let dir: string;
let t: TestApp;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'suyuan-s3app-'));
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = await server.run();
  const s3 = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: 'suyuan-files',
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  };
  await new S3FileStore(s3).ensureBucket();
  t = await testApp({
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
  });
});
afterAll(async () => {
  await t?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('files on S3', () => {
  it('a licence uploaded at registration is stored in the bucket and served back to its producer', async () => {
    const boundary = '----s3test';
    const up = await t.req(null, {
      method: 'POST',
      url: '/api/v1/files',
      payload: Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="licence.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        PNG,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]),
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(up.statusCode, up.body).toBe(201);
    const row = await t.database.db
      .selectFrom('stored_file')
      .select('storage_key')
      .where('id', '=', up.json().id)
      .executeTakeFirstOrThrow();
    expect(t.app.config.s3?.bucket).toBe('suyuan-files');
    const reg = await t.req(null, {
      method: 'POST',
      url: '/api/v1/subjects/registrations',
      payload: {
        orgForm: 'cooperative',
        subjectType: 'production',
        industries: ['planting'],
        name: 'S3 合作社',
        certType: 'credit_code',
        certNo: makeCreditCode('93440117MA5K3TNT1'),
        legalPersonName: '甲',
        contactName: '甲',
        contactPhone: '13800000000',
        address: '温泉镇',
        divisionCode: '440117103',
        username: 's3farmer',
        password: 'Farmer123',
        files: [{ fileId: up.json().id, kind: 'licence' }],
      },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const tok = await t.login('s3farmer', 'Farmer123');
    const got = await t.req(tok, { method: 'GET', url: `/api/v1/files/${up.json().id}` });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(PNG)).toBe(true);
    // The bytes really are in the bucket (s3rver keeps objects under its directory), not in DATA_DIR.
    const s3 = new S3FileStore(t.app.config.s3 as never);
    expect((await s3.get(row.storage_key)).equals(PNG)).toBe(true);
    expect(existsSync(path.join(t.app.config.dataDir, 'files'))).toBe(false);
  });
});
