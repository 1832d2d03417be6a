import type { Ctx } from '../../kernel/context.js';
import { MM, newPdf, pdfBuffer } from '../../kernel/pdf.js';
import { problems } from '../../kernel/problems.js';
import { drawQr } from '../labels/render.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import { VOUCHER_LABELS } from './schemas.js';
import { visibleSale } from './service.js';

/** A market-entry voucher is valid for entry this many days after the sale. */
export const VOUCHER_VALID_DAYS = 7;

/** The printable voucher (追溯凭证 / 入市追溯凭证, A6 PDF) of a sale the caller may see. */
export async function voucherPdf(ctx: Ctx, saleId: string) {
  const { row, sale: s } = await visibleSale(ctx, saleId);
  if (!s.voucherCode || !s.voucherKind) throw problems.notFound('凭证', 'Voucher');
  const origin = `${await regions.fullName(ctx, row.batch_division)}`;
  const certs = await repo.certificatesOfBatches(ctx.db, [row.batch_id]);
  const W = 105 * MM;
  const H = 148 * MM;
  const doc = newPdf({
    size: [W, H],
    margin: 0,
    info: {
      Title: `${VOUCHER_LABELS[s.voucherKind].zh} ${s.voucherCode}`,
      Subject: s.voucherCode,
      Keywords: s.voucherCode,
    },
  });
  doc
    .lineWidth(1)
    .rect(3 * MM, 3 * MM, W - 6 * MM, H - 6 * MM)
    .stroke('#000');
  doc
    .font('cjk-bold')
    .fontSize(16)
    .text(VOUCHER_LABELS[s.voucherKind].zh, 0, 8 * MM, { width: W, align: 'center' });
  doc
    .font('cjk')
    .fontSize(7)
    .text(
      s.voucherKind === 'market'
        ? '农产品进入批发市场、零售市场或生产加工企业时提供'
        : '未加施追溯标识的产品交易时提供',
      0,
      16 * MM,
      { width: W, align: 'center' },
    );
  const qr = 40 * MM;
  drawQr(doc, s.voucherUrl as string, (W - qr) / 2, 21 * MM, qr);
  doc
    .font('cjk-bold')
    .fontSize(9)
    .text(s.voucherCode, 0, 22 * MM + qr, { width: W, align: 'center' });
  const rows: [string, string][] = [
    ['产品名称', s.productName],
    ['数量', `${s.quantity} ${s.unit}`],
    ['产地', origin],
    ['销售方', `${row.seller_name}（${row.seller_phone}）`],
    [s.voucherKind === 'market' ? '入市市场' : '购买方', `${s.buyerName}${s.buyerPhone ? `（${s.buyerPhone}）` : ''}`],
    ['来源批次码', s.batchCode ?? '—'],
    ['销售日期', new Date(row.sold_at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')],
  ];
  if (s.voucherKind === 'market') rows.push(['有效期', `开具后 ${VOUCHER_VALID_DAYS} 天内入市查验`]);
  if (certs.length) rows.push(['承诺达标合格证', certs.map((c) => c.number).join('、')]);
  let y = 30 * MM + qr;
  for (const [k, v] of rows) {
    doc
      .font('cjk-bold')
      .fontSize(8)
      .text(`${k}：`, 8 * MM, y, { continued: true, width: W - 16 * MM })
      .font('cjk')
      .text(v, { width: W - 16 * MM });
    y = doc.y + 3;
  }
  doc
    .font('cjk')
    .fontSize(6.5)
    .text('扫描二维码或在国家农产品质量安全追溯平台输入凭证号核验真伪', 8 * MM, H - 11 * MM, {
      width: W - 16 * MM,
      align: 'center',
    });
  return { pdf: await pdfBuffer(doc), filename: `voucher-${s.voucherCode}.pdf` };
}
