import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error s3rver ships no type declarations
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalFileStore, S3FileStore, sniffMime } from './files.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const PDF = Buffer.from('%PDF-1.7\n...');

describe('file type sniffing', () => {
  const proof = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
  it('believes the bytes, not the name', () => {
    expect(sniffMime(PNG, 'licence.jpg', proof)).toBe('image/png');
    expect(sniffMime(PDF, 'x.png', proof)).toBe('application/pdf');
    expect(sniffMime(Buffer.from('MZ\x90\x00'), 'licence.png', proof)).toBeNull();
    expect(sniffMime(Buffer.from('<html>'), 'a.csv', proof)).toBeNull();
    expect(sniffMime(Buffer.from('a,b\n1,2'), 'a.csv', ['text/csv'])).toBe('text/csv');
    expect(sniffMime(Buffer.from('a,b\n1,2'), 'a.txt', ['text/csv'])).toBeNull();
  });
});

describe('local file store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suyuan-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('puts, gets and deletes', async () => {
    const s = new LocalFileStore(dir);
    await s.put('2026/11/22/abc', PNG, 'image/png');
    expect((await s.get('2026/11/22/abc')).equals(PNG)).toBe(true);
    await s.delete('2026/11/22/abc');
    await expect(s.get('2026/11/22/abc')).rejects.toThrow();
    await expect(s.put('../escape', PNG, 'image/png')).rejects.toThrow();
  });
});

// A real S3 protocol round trip (SigV4-signed PUT/GET/DELETE) against s3rver on loopback.
describe('S3-compatible file store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'suyuan-s3-'));
  let server: { run(): Promise<{ port: number }>; close(): Promise<void> };
  let endpoint = '';
  beforeAll(async () => {
    server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  it('creates the bucket, puts, gets and deletes', async () => {
    const s = new S3FileStore({
      endpoint,
      bucket: 'suyuan-test',
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    });
    await s.ensureBucket();
    await s.put('2026/11/22/k1', PDF, 'application/pdf');
    expect((await s.get('2026/11/22/k1')).equals(PDF)).toBe(true);
    await s.delete('2026/11/22/k1');
    await expect(s.get('2026/11/22/k1')).rejects.toThrow(/404/);
  });
  it('an unknown access key is refused by the server', async () => {
    const s = new S3FileStore({
      endpoint,
      bucket: 'suyuan-test',
      region: 'us-east-1',
      accessKeyId: 'UNKNOWN',
      secretAccessKey: 'wrong',
    });
    await expect(s.put('2026/11/22/k2', PDF, 'application/pdf')).rejects.toThrow(/403/);
  });
});
