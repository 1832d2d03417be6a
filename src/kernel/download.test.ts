import { describe, expect, it } from 'vitest';
import { contentDisposition } from './download.js';

describe('download file names', () => {
  it('gives an ASCII fallback and an RFC 5987 UTF-8 name', () => {
    expect(contentDisposition('导入错误表.xlsx')).toBe(
      `attachment; filename="_____.xlsx"; filename*=UTF-8''${encodeURIComponent('导入错误表.xlsx')}`,
    );
    expect(contentDisposition('a "b".pdf', 'inline')).toBe(
      `inline; filename="a _b_.pdf"; filename*=UTF-8''a%20%22b%22.pdf`,
    );
    expect(contentDisposition("it's (1).csv")).toContain("filename*=UTF-8''it%27s%20%281%29.csv");
  });
});
