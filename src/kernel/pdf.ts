import { createRequire } from 'node:module';
import path from 'node:path';
import type PDFKitDocument from 'pdfkit';
import QRCode from 'qrcode';

/**
 * PDF and QR helpers shared by every printable document (identity cards, labels, certificates, reports).
 * Chinese text uses Noto Sans SC (OpenType/CFF from the `@embedpdf/fonts-sc` package: embedded as a subset, so a
 * label PDF stays small). Register fonts as 'cjk' and 'cjk-bold'.
 */
const require = createRequire(import.meta.url);
// The package's exports map hides package.json: resolve its entry (dist/index.cjs) and step up to fonts/.
const FONT_DIR = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');
export const CJK_FONT = path.join(FONT_DIR, 'NotoSansHans-Regular.otf');
export const CJK_FONT_BOLD = path.join(FONT_DIR, 'NotoSansHans-Bold.otf');

/** 1 mm in PDF points. */
export const MM = 72 / 25.4;

/** pdfkit, loaded with the first document (0.7 s of start-up otherwise: issue 19 item 3). */
let PDFDocument: typeof PDFKitDocument | undefined;

export function newPdf(options: PDFKit.PDFDocumentOptions = {}): PDFKit.PDFDocument {
  PDFDocument ??= require('pdfkit') as typeof PDFKitDocument;
  const doc = new PDFDocument({
    autoFirstPage: true,
    bufferPages: false,
    ...options,
    info: { Producer: 'Suyuan 溯源', ...(options.info ?? {}) },
  });
  doc.registerFont('cjk', CJK_FONT);
  doc.registerFont('cjk-bold', CJK_FONT_BOLD);
  doc.font('cjk');
  return doc;
}

/** Ends the document and resolves with its bytes. */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

/** QR code as PNG bytes, for embedding in PDFs (error correction M survives a scuffed label). */
export function qrPng(text: string, opts: { scale?: number; margin?: number } = {}): Promise<Buffer> {
  return QRCode.toBuffer(text, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: opts.margin ?? 1,
    scale: opts.scale ?? 4,
  });
}

/** QR code as an SVG string, for web pages. */
export function qrSvg(text: string, opts: { margin?: number } = {}): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: opts.margin ?? 1 });
}
