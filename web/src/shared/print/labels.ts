/**
 * Label printers (issue 16): the township's cheap Bluetooth/USB thermal printers speak TSPL (TSC and clones) or
 * ESC/POS (receipt-style). Chinese text and the QR code are drawn on a canvas and sent as a 1-bit raster, so no
 * printer font or code page matters. Pure byte builders here (unit-tested); drawing and transports in printer.ts.
 */

/** A 1-bit image: `width × height` pixels, row-major, 1 = black. */
export interface Bitmap {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export type LabelSize = '40x30' | '60x40';
export const LABEL_MM: Record<LabelSize, { w: number; h: number }> = {
  '40x30': { w: 40, h: 30 },
  '60x40': { w: 60, h: 40 },
};
/** 203 dpi, the resolution of nearly every cheap label printer: 8 dots per mm. */
export const DOTS_PER_MM = 8;

/** Packs rows to bytes, most significant bit first, each row padded to whole bytes; `black` is the bit for black. */
export function packRows(bmp: Bitmap, black: 0 | 1): { bytesPerRow: number; data: Uint8Array } {
  const bytesPerRow = Math.ceil(bmp.width / 8);
  const data = new Uint8Array(bytesPerRow * bmp.height).fill(black ? 0x00 : 0xff);
  for (let y = 0; y < bmp.height; y++)
    for (let x = 0; x < bmp.width; x++) {
      if (!bmp.pixels[y * bmp.width + x]) continue;
      const i = y * bytesPerRow + (x >> 3);
      const bit = 0x80 >> (x & 7);
      if (black) data[i] |= bit;
      else data[i] &= ~bit;
    }
  return { bytesPerRow, data };
}

const ascii = (s: string) => new TextEncoder().encode(s);
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * TSPL: SIZE/GAP/CLS, the raster as `BITMAP x,y,widthBytes,height,0,<data>` (TSPL draws a 0 bit black), PRINT.
 * `copies` labels of the same image.
 */
export function tspl(bmp: Bitmap, size: LabelSize, copies = 1, gapMm = 2): Uint8Array {
  const { w, h } = LABEL_MM[size];
  const { bytesPerRow, data } = packRows(bmp, 0);
  return concat([
    ascii(`SIZE ${w} mm,${h} mm\r\nGAP ${gapMm} mm,0 mm\r\nDIRECTION 1\r\nREFERENCE 0,0\r\nDENSITY 8\r\nCLS\r\n`),
    ascii(`BITMAP 0,0,${bytesPerRow},${bmp.height},0,`),
    data,
    ascii(`\r\nPRINT 1,${Math.max(1, Math.floor(copies))}\r\n`),
  ]);
}

/**
 * ESC/POS: ESC @ (reset), then the raster as `GS v 0` (1 = black) with its width in bytes and height in dots
 * (little-endian), a feed past the tear bar, once per copy.
 */
export function escpos(bmp: Bitmap, copies = 1): Uint8Array {
  const { bytesPerRow, data } = packRows(bmp, 1);
  const header = new Uint8Array([
    0x1d,
    0x76,
    0x30,
    0x00,
    bytesPerRow & 0xff,
    bytesPerRow >> 8,
    bmp.height & 0xff,
    bmp.height >> 8,
  ]);
  const one = concat([header, data, new Uint8Array([0x1b, 0x64, 0x03])]); // ESC d 3: feed three lines
  return concat([new Uint8Array([0x1b, 0x40]), ...Array.from({ length: Math.max(1, Math.floor(copies)) }, () => one)]);
}

/** Splits a byte stream into chunks a BLE characteristic accepts (default 180 bytes, under most MTUs). */
export function chunks(bytes: Uint8Array, size = 180): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** Grey/RGBA canvas pixels → 1-bit (black where luminance is below `threshold`). */
export function threshold(rgba: Uint8ClampedArray, width: number, height: number, limit = 160): Bitmap {
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < width * height; i++) {
    const r = rgba[i * 4];
    const g = rgba[i * 4 + 1];
    const b = rgba[i * 4 + 2];
    const a = rgba[i * 4 + 3];
    const lum = a < 128 ? 255 : 0.299 * r + 0.587 * g + 0.114 * b;
    pixels[i] = lum < limit ? 1 : 0;
  }
  return { width, height, pixels };
}
