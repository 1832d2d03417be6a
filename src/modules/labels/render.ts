import QRCode from 'qrcode';
import { MM, newPdf, pdfBuffer } from '../../kernel/pdf.js';
import { formatShort } from '../../kernel/codes.js';

/**
 * Label sheets (mode a). Each label: a vector QR code of the code's URL (drawn as rectangles: crisp at any printer
 * resolution, and no PNG encode/decode per label), the product, producer, origin, date and the printed code. A link
 * annotation over the QR carries the URL, so the code is also machine-readable in the PDF itself.
 */
export const LABEL_SIZES = {
  '40x30': { zh: '40×30 毫米标签', en: '40×30 mm label', w: 40, h: 30, cols: 1, rows: 1, page: null },
  '60x40': { zh: '60×40 毫米标签', en: '60×40 mm label', w: 60, h: 40, cols: 1, rows: 1, page: null },
  a4: {
    zh: 'A4 不干胶（3×7，70×42.4 毫米）',
    en: 'A4 sticker sheet (3×7, 70×42.4 mm)',
    w: 70,
    h: 42.4,
    cols: 3,
    rows: 7,
    page: 'A4',
  },
} as const;
export type LabelSize = keyof typeof LABEL_SIZES;

export interface LabelData {
  code: string;
  url: string;
  productName: string;
  subjectName: string;
  origin: string;
  date: string;
}

/** Draws a QR code as filled runs of dark modules. */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 1;
  const cell = size / (n + 2 * quiet);
  const data = qr.modules.data;
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!data[r * n + c]) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && data[r * n + c]) c++;
      doc.rect(x + (start + quiet) * cell, y + (r + quiet) * cell, (c - start) * cell + 0.01, cell + 0.01);
    }
  }
  doc.fill('#000');
  doc.link(x, y, size, size, text);
}

/** Truncates `s` (with an ellipsis) until it fits `width` in the current font and size. */
function fitWidth(doc: PDFKit.PDFDocument, s: string, width: number) {
  if (doc.widthOfString(s) <= width) return s;
  let n = s.length - 1;
  while (n > 1 && doc.widthOfString(`${s.slice(0, n)}…`) > width) n--;
  return `${s.slice(0, n)}…`;
}

function drawLabel(doc: PDFKit.PDFDocument, d: LabelData, x: number, y: number, w: number, h: number) {
  const pad = 1.5 * MM;
  const qr = Math.min(h - 2 * pad - 3.2 * MM, w * 0.5);
  drawQr(doc, d.url, x + pad, y + pad, qr);
  const tx = x + pad + qr + 1 * MM;
  const tw = w - (tx - x) - pad;
  const big = h >= 40 * MM ? 9 : 7;
  const small = big - 1.5;
  doc.font('cjk-bold').fontSize(big).fillColor('#000');
  doc.text(fitWidth(doc, d.productName, tw), tx, y + pad, { width: tw, lineBreak: false, height: big * 1.3 });
  doc.font('cjk').fontSize(small);
  const lines = [fitWidth(doc, d.subjectName, tw), fitWidth(doc, d.origin, tw), d.date, '扫码追溯'];
  let ly = y + pad + big * 1.4;
  for (const l of lines) {
    doc.text(l, tx, ly, { width: tw, lineBreak: false, height: small * 1.3 });
    ly += small * 1.35;
  }
  doc
    .font('cjk')
    .fontSize(h >= 40 * MM ? 7 : 5.6)
    .text(formatShort(d.code), x + pad, y + h - pad - 2.6 * MM, {
      width: w - 2 * pad,
      lineBreak: false,
      characterSpacing: 0.2,
    });
}

/** Renders labels to a PDF: one label per page for roll sizes, a 3×7 grid per page on A4. */
export async function renderLabels(labels: LabelData[], size: LabelSize, title = '追溯标签'): Promise<Buffer> {
  const s = LABEL_SIZES[size];
  const w = s.w * MM;
  const h = s.h * MM;
  const pageSize: [number, number] | string = s.page ?? [w, h];
  const doc = newPdf({
    size: pageSize as never,
    margin: 0,
    info: {
      Title: title,
      Subject: labels
        .slice(0, 20)
        .map((l) => l.code)
        .join(' '),
      Keywords: labels[0]?.code ?? '',
    },
  });
  const perPage = s.cols * s.rows;
  const left = s.page ? ((210 - s.cols * s.w) / 2) * MM : 0;
  const top = s.page ? ((297 - s.rows * s.h) / 2) * MM : 0;
  labels.forEach((d, i) => {
    if (i > 0 && i % perPage === 0) doc.addPage({ size: pageSize as never, margin: 0 });
    const k = i % perPage;
    drawLabel(doc, d, left + (k % s.cols) * w, top + Math.floor(k / s.cols) * h, w, h);
  });
  return pdfBuffer(doc);
}
