import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, multipartFile, testApp } from './helpers.js';

// Issue 12, item 1: security headers on every response; stored files served as attachments unless verified images.
let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await testApp();
  admin = await t.login('admin');
});
afterAll(() => t?.close());

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('not really a png but the magic says so'),
]);

describe('security headers', () => {
  it.each([
    ['/api/v1/health', null],
    ['/api/v1/public/codes/NOPE', null],
    ['/api/v1/nothing-here', null],
    ['/docs/', null],
  ])('%s carries CSP without inline script, nosniff, frame-ancestors none, referrer policy', async (url) => {
    const res = await t.req(null, { method: 'GET', url });
    const csp = String(res.headers['content-security-policy'] ?? '');
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("manifest-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBeTruthy();
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});

describe('stored files', () => {
  async function upload(name: string, data: Buffer, mime: string, purpose = 'proof') {
    const res = await t.req(admin, {
      method: 'POST',
      url: `/api/v1/files?purpose=${purpose}`,
      ...multipartFile(name, data, mime),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  }
  it('a PDF is an attachment with a sandboxing CSP', async () => {
    const id = await upload('x.pdf', Buffer.from('%PDF-1.4\n<script>alert(1)</script>'), 'application/pdf');
    const res = await t.req(admin, { method: 'GET', url: `/api/v1/files/${id}` });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
    expect(String(res.headers['content-security-policy'])).toContain('sandbox');
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
  it('an image verified by its bytes is inline, still sandboxed', async () => {
    const id = await upload('p.png', PNG, 'image/png', 'image');
    const res = await t.req(admin, { method: 'GET', url: `/api/v1/files/${id}` });
    expect(String(res.headers['content-disposition'])).toMatch(/^inline;/);
    expect(res.headers['content-type']).toBe('image/png');
    expect(String(res.headers['content-security-policy'])).toContain('sandbox');
  });
  it('a spreadsheet CSV is an attachment', async () => {
    const id = await upload('a.csv', Buffer.from('<html><script>alert(1)</script>'), 'text/csv', 'spreadsheet');
    const res = await t.req(admin, { method: 'GET', url: `/api/v1/files/${id}` });
    expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
  });
});
