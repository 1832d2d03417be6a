import { describe, expect, it } from 'vitest';
import { isMp4, sniffMime } from './files.js';

const box = (size: number, brand: string) =>
  Buffer.concat([
    Buffer.from([0, 0, 0, size]),
    Buffer.from(`ftyp${brand}`, 'latin1'),
    Buffer.alloc(Math.max(0, size - 12)),
  ]);

describe('MP4 by content (ftyp box)', () => {
  it('accepts the brands phones write', () => {
    for (const b of ['isom', 'mp42', 'mp41', 'avc1', 'iso6', '3gp5'])
      expect(sniffMime(box(24, b), 'x.mp4', ['video/mp4'])).toBe('video/mp4');
  });
  it('refuses QuickTime, a wrong box, absurd sizes and anything renamed .mp4', () => {
    expect(isMp4(box(24, 'qt  '))).toBe(false);
    expect(isMp4(Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'))).toBe(false);
    expect(isMp4(box(8, 'isom'))).toBe(false);
    const huge = box(24, 'isom');
    huge.writeUInt32BE(0xffffffff, 0);
    expect(isMp4(huge)).toBe(false);
    expect(isMp4(Buffer.from('....ftypisom'))).toBe(false);
    expect(sniffMime(Buffer.from('not a video at all, just text'), 'x.mp4', ['video/mp4'])).toBeNull();
  });
});
