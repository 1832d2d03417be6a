import { describe, expect, it } from 'vitest';
import { type Bitmap, chunks, escpos, packRows, threshold, tspl } from './labels';

/** 10×2: row 0 has black pixels at x = 0 and x = 9; row 1 is all black. */
const bmp: Bitmap = {
  width: 10,
  height: 2,
  pixels: Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
};
const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);

describe('label byte streams', () => {
  it('packs rows MSB first, padded to whole bytes, in either polarity', () => {
    expect(packRows(bmp, 1)).toEqual({ bytesPerRow: 2, data: Uint8Array.from([0x80, 0x40, 0xff, 0xc0]) });
    expect(packRows(bmp, 0)).toEqual({ bytesPerRow: 2, data: Uint8Array.from([0x7f, 0xbf, 0x00, 0x3f]) });
  });

  it('TSPL: size, gap, a BITMAP with 0 = black, then PRINT with the copies', () => {
    const out = tspl(bmp, '60x40', 3);
    const head =
      'SIZE 60 mm,40 mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1\r\nREFERENCE 0,0\r\nDENSITY 8\r\nCLS\r\nBITMAP 0,0,2,2,0,';
    expect(text(out.subarray(0, head.length))).toBe(head);
    expect(Array.from(out.subarray(head.length, head.length + 4))).toEqual([0x7f, 0xbf, 0x00, 0x3f]);
    expect(text(out.subarray(head.length + 4))).toBe('\r\nPRINT 1,3\r\n');
    expect(text(tspl(bmp, '40x30'))).toContain('SIZE 40 mm,30 mm');
  });

  it('ESC/POS: reset, GS v 0 with little-endian sizes and 1 = black, a feed per copy', () => {
    const one = [0x1d, 0x76, 0x30, 0x00, 2, 0, 2, 0, 0x80, 0x40, 0xff, 0xc0, 0x1b, 0x64, 0x03];
    expect(Array.from(escpos(bmp))).toEqual([0x1b, 0x40, ...one]);
    expect(Array.from(escpos(bmp, 2))).toEqual([0x1b, 0x40, ...one, ...one]);
    // A 60×40 mm label at 203 dpi: 480 dots = 60 bytes a row, 320 rows.
    const big: Bitmap = { width: 480, height: 320, pixels: new Uint8Array(480 * 320) };
    const out = escpos(big);
    expect(Array.from(out.subarray(2, 10))).toEqual([0x1d, 0x76, 0x30, 0x00, 60, 0, 0x40, 0x01]);
    expect(out.length).toBe(2 + 8 + 60 * 320 + 3);
  });

  it('thresholds canvas pixels (transparent is white) and chunks for Bluetooth', () => {
    const rgba = Uint8ClampedArray.from([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 100, 100, 100, 255]);
    expect(Array.from(threshold(rgba, 4, 1).pixels)).toEqual([1, 0, 0, 1]);
    const parts = chunks(new Uint8Array(400), 180);
    expect(parts.map((p) => p.length)).toEqual([180, 180, 40]);
  });
});
