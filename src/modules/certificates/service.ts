import type { Selectable } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { type CodeKind, certificateNumber, codeUrl, normaliseCode, platformPart } from '../../kernel/codes.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { MM, newPdf, pdfBuffer } from '../../kernel/pdf.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { CertificateTable } from '../../schema.js';
import { canSee, enteredBy, enteredByOf, producerOf, readScopeOf } from '../catalog/owner.js';
import { appendEvent } from '../batches/events.js';
import { addDays, getBatchRow, inputsInsideInterval, originOf } from '../batches/service.js';
import { allocateSerials, codeText } from '../codes/service.js';
import { drawQr } from '../labels/render.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import {
  BASIS,
  type BasisCode,
  PROMISES,
  type PromiseCode,
  RETAIN_YEARS,
  type Style,
  basisAllowed,
  promisesFor,
  qrText,
} from './rules.js';
import {
  type BasisOptions,
  type Certificate,
  type CertificateInput,
  type CertificateQuery,
  STYLE_LABELS,
} from './schemas.js';

export type { CertificateInput } from './schemas.js';

type Row = Selectable<CertificateTable>;
const KINDS: Record<number, CodeKind> = { 1: 'production', 2: 'circulation', 3: 'voucher', 4: 'temporary' };

export function certificateDto(
  ctx: Ctx<Actor | null>,
  c: Row,
  sources: Awaited<ReturnType<typeof repo.sourcesOf>> = [],
): Certificate {
  const verifyUrl = codeUrl(ctx.config.publicBaseUrl, c.number);
  const code =
    c.code_kind && c.code_serial !== null ? codeText(ctx.config, KINDS[c.code_kind], Number(c.code_serial)) : null;
  return {
    id: c.id,
    number: c.number,
    style: c.style,
    styleName: STYLE_LABELS[c.style].zh,
    styleNameEn: STYLE_LABELS[c.style].en,
    subjectId: c.subject_id,
    subjectName: c.subject_name,
    batchId: c.batch_id,
    code,
    codeUrl: code ? codeUrl(ctx.config.publicBaseUrl, code) : null,
    productName: c.product_name,
    quantity: Number(c.quantity),
    unit: c.unit,
    origin: c.origin,
    contactName: c.contact_name,
    phone: c.phone,
    promises: c.promises.map((p) => ({
      code: p,
      text: PROMISES[p as PromiseCode]?.zh ?? p,
      textEn: PROMISES[p as PromiseCode]?.en ?? p,
    })),
    basis: c.basis.map((b) => ({
      code: b,
      text: BASIS[b as BasisCode]?.zh ?? b,
      textEn: BASIS[b as BasisCode]?.en ?? b,
    })),
    sources: sources.map((s) => ({
      number: s.source_number,
      linked: !!s.source_id,
      productName: s.product_name ?? null,
      subjectName: s.subject_name ?? null,
    })),
    issuedAt: c.issued_at.toISOString(),
    retainUntil: c.retain_until.toISOString(),
    enteredBy: enteredByOf(c),
    verifyUrl,
    qrText: qrText({
      number: c.number,
      productName: c.product_name,
      quantity: Number(c.quantity),
      unit: c.unit,
      subjectName: c.subject_name,
      issuedAt: c.issued_at,
      verifyUrl,
    }),
  };
}

export async function issueCertificate(ctx: Ctx, raw: CertificateInput) {
  const me = await producerOf(ctx, 'certificates');
  let input = raw;
  if (raw.repeatLast) {
    const last = await repo.lastOf(ctx.db, me.id, raw.style);
    if (!last) throw new Problem('NOTHING_TO_REPEAT', { field: 'repeatLast' });
    const lastSources = raw.sourceNumbers ?? (await repo.sourcesOf(ctx.db, last.id)).map((s) => s.source_number);
    input = {
      quantity: raw.quantity,
      style: last.style,
      batchId: raw.batchId === undefined ? last.batch_id : raw.batchId,
      productName: last.product_name,
      unit: last.unit,
      origin: last.origin,
      contactName: last.contact_name,
      phone: last.phone,
      basis: last.basis as BasisCode[],
      sourceNumbers: lastSources,
      ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)),
    };
  }
  let style: Style = input.style ?? 'producer';
  let circulation = false;
  let productName = input.productName;
  let unit = input.unit;
  let origin = input.origin;
  let codeKind: number | null = null;
  let codeSerial: number | null = null;
  let divisionCode = me.divisionCode;
  let batchId: string | null = null;
  let selfCheck: string | null = null;
  if (input.batchId) {
    const b = await getBatchRow(ctx, input.batchId, { subjectId: me.id });
    batchId = b.id;
    // A received, split or repacked batch is the buyer's (收购者): the buyer style, never the producer's promise.
    circulation = b.kind === 'circulation';
    if (circulation) {
      if (input.style === 'producer' && !raw.repeatLast)
        throw problems.invalid(
          'style',
          '收购、分装或重新包装的批次应以收购者身份开具（持上游合格证或收购查验为依据）',
          'a received, split or repacked batch is certified in the buyer style (upstream certificates or a purchase check)',
        );
      style = 'buyer';
    }
    if (b.self_check === 'fail') throw new Problem('SELF_CHECK_FAILED', { field: 'batchId' });
    if (b.base_id) {
      const inside = await inputsInsideInterval(ctx.db, b.base_id, b.produced_at);
      if (inside.length)
        throw new Problem('INSIDE_SAFETY_INTERVAL', {
          input: inside[0].name,
          until: addDays(inside[0].used_on, inside[0].safety_days ?? 0),
          field: 'batchId',
        });
    }
    if (input.quantity > Number(b.quantity))
      throw problems.invalid(
        'quantity',
        `不能超过批次数量 ${Number(b.quantity)}${b.unit}`,
        `must not exceed the batch quantity ${Number(b.quantity)} ${b.unit}`,
      );
    productName = raw.repeatLast ? b.product_name : (input.productName ?? b.product_name);
    unit = raw.repeatLast ? b.unit : (input.unit ?? b.unit);
    // The true origin: for a circulation batch the upstream producers' division and base, not the buyer's district.
    origin =
      input.origin ??
      (circulation
        ? (await originOf(ctx, b)).text
        : `${await regions.fullName(ctx, b.division_code)}${b.base_address ?? ''}`);
    codeKind = b.kind === 'circulation' ? 2 : 1;
    codeSerial = b.code_serial === null ? null : Number(b.code_serial);
    divisionCode = b.division_code;
    selfCheck = b.self_check;
  }
  if (!productName) throw problems.invalid('productName', '为必填项（或选择批次）', 'is required (or choose a batch)');
  if (!unit) unit = 'kg';
  if (!origin) origin = `${await regions.fullName(ctx, me.divisionCode)}${me.address}`;
  const basis = [...new Set(input.basis ?? (style === 'buyer' ? ['collected_certificates' as const] : []))];
  if (!basis.length)
    throw problems.invalid('basis', '请至少选择一项承诺依据', 'choose at least one basis for the promise');
  basis.forEach((b, i) => {
    if (!basisAllowed(style, b))
      throw problems.invalid(
        `basis.${i}`,
        `“${BASIS[b].zh}”只适用于收购者开具的合格证`,
        `"${BASIS[b].en}" applies to buyer-style certificates only`,
      );
  });
  if (basis.includes('self_test') && selfCheck && selfCheck !== 'pass')
    throw problems.invalid(
      'basis',
      '批次没有“自检合格”记录，不能以自行检测合格为依据',
      'the batch has no passed self-check: "self-tested" cannot be the basis',
    );
  if (circulation && basis.includes('self_test'))
    throw problems.invalid(
      'basis',
      '收购批次的自检结果来自上游，不能作为“自行检测合格”：请选择持上游合格证或收购时查验合格',
      'a bought batch’s self-check is the upstream one, not your own test: choose the upstream certificates or your purchase check',
    );
  let sourceNumbers = [...new Set((input.sourceNumbers ?? []).map((s) => s.trim()).filter(Boolean))];
  // 持上游合格证: on a bought batch the certificates of its upstream batches are the ones collected.
  if (circulation && batchId && basis.includes('collected_certificates') && !sourceNumbers.length)
    sourceNumbers = (await repo.upstreamCertificates(ctx.db, batchId)).map((c) => c.number);
  if (style === 'buyer' && basis.includes('collected_certificates') && !sourceNumbers.length)
    throw problems.invalid(
      'sourceNumbers',
      '收购者开具须填写收取的上游合格证编号（可扫码）',
      'a buyer-style certificate lists the certificates it collected (scan them)',
    );
  if (style === 'producer' && sourceNumbers.length)
    throw problems.invalid(
      'sourceNumbers',
      '只有收购者开具的合格证关联上游合格证',
      'only buyer-style certificates list collected certificates',
    );
  const platform = platformPart(ctx.config.platformRegion);
  const serial = await allocateSerials(ctx.db, 0, 1);
  const number = certificateNumber(platform, serial);
  const issuedAt = new Date();
  const retain = new Date(issuedAt);
  retain.setUTCFullYear(retain.getUTCFullYear() + RETAIN_YEARS);
  const row = await repo.insertCertificate(ctx.db, {
    number,
    style,
    subject_id: me.id,
    division_code: divisionCode,
    batch_id: batchId,
    code_kind: codeKind,
    code_serial: codeSerial,
    product_name: productName,
    quantity: input.quantity,
    unit,
    origin,
    subject_name: me.name,
    contact_name: input.contactName ?? me.contactName,
    phone: input.phone ?? me.contactPhone,
    promises: promisesFor(style),
    basis,
    issued_at: issuedAt,
    retain_until: retain,
    created_by: ctx.actor.id,
    ...enteredBy(me),
  });
  const normalised = sourceNumbers.map((s) => normaliseCode(s));
  const known = new Map((await repo.byNumbers(ctx.db, normalised)).map((c) => [c.number, c.id]));
  await repo.insertSources(
    ctx.db,
    sourceNumbers.map((s, i) => ({
      certificate_id: row.id,
      source_number: known.has(normalised[i]) ? normalised[i] : s,
      source_id: known.get(normalised[i]) ?? null,
    })),
  );
  if (batchId) {
    await appendEvent(ctx, {
      eventType: 'object',
      action: 'OBSERVE',
      bizStep: 'certifying',
      stage: 'production',
      eventTime: issuedAt,
      subjectId: me.id,
      divisionCode,
      batchId,
      bizTx: [{ type: 'certificate', id: number }],
      payload: { style, quantity: input.quantity, unit, basis, sources: sourceNumbers },
    });
  }
  await audit(ctx, {
    verb: 'certificate.issue',
    targetType: 'certificate',
    targetId: row.id,
    divisionCode,
    summary: { number, style, batchId, quantity: input.quantity, repeatLast: !!raw.repeatLast },
  });
  return certificateDto(ctx, row, await repo.sourcesOf(ctx.db, row.id));
}

async function visible(ctx: Ctx, id: string) {
  const c = await repo.byId(ctx.db, id);
  if (!c) throw problems.notFound('合格证', 'Certificate');
  const rs = await readScopeOf(ctx);
  if (!canSee(rs, c)) throw problems.outOfJurisdiction('合格证', 'certificate');
  return c;
}

export async function getCertificate(ctx: Ctx, id: string) {
  const c = await visible(ctx, id);
  return certificateDto(ctx, c, await repo.sourcesOf(ctx.db, c.id));
}

export async function listCertificates(ctx: Ctx, q: CertificateQuery) {
  const pageSize = q.pageSize ?? 20;
  const rows = await repo.list(ctx.db, await readScopeOf(ctx), {
    batchId: q.batchId,
    limit: pageSize,
    offset: ((q.page ?? 1) - 1) * pageSize,
  });
  return rows.map((c) => certificateDto(ctx, c));
}

/** The form pre-filled from the last certificate ("repeat last"): only the quantity is left to type. */
export async function lastCertificate(ctx: Ctx, style?: Style) {
  const me = await producerOf(ctx, 'certificates');
  const last = await repo.lastOf(ctx.db, me.id, style);
  return { last: last ? certificateDto(ctx, last, await repo.sourcesOf(ctx.db, last.id)) : null };
}

/**
 * What the certificate form offers for a batch (2025 certificate rules): a buyer that received, split or repacked
 * goods is offered the upstream certificates (持上游合格证) or its purchase check, never a pre-ticked 自行检测合格, and
 * the true origin of the goods.
 */
export async function certificateBasis(ctx: Ctx, batchId: string): Promise<BasisOptions> {
  const me = await producerOf(ctx, 'certificates');
  const b = await getBatchRow(ctx, batchId, { subjectId: me.id });
  const circulation = b.kind === 'circulation';
  const style: Style = circulation ? 'buyer' : 'producer';
  const codes = (Object.keys(BASIS) as BasisCode[]).filter(
    (k) => basisAllowed(style, k) && !(circulation && k === 'self_test'),
  );
  // Buyer first: what it holds (upstream certificates), then what it checked itself.
  const order: BasisCode[] = ['collected_certificates', 'purchase_check', 'commissioned_test', 'control', 'self_test'];
  if (circulation) codes.sort((a, z) => order.indexOf(a) - order.indexOf(z));
  const upstream = circulation ? await repo.upstreamCertificates(ctx.db, b.id) : [];
  return {
    style,
    styleName: STYLE_LABELS[style].zh,
    styleNameEn: STYLE_LABELS[style].en,
    circulation,
    options: codes.map((k) => ({ code: k, text: BASIS[k].zh, textEn: BASIS[k].en })),
    preselected: [],
    upstreamCertificates: upstream.map((c) => ({
      number: c.number,
      subjectName: c.subject_name,
      productName: c.product_name,
      issuedAt: new Date(c.issued_at).toISOString(),
    })),
    origin: circulation
      ? (await originOf(ctx, b)).text
      : `${await regions.fullName(ctx, b.division_code)}${b.base_address ?? ''}`,
  };
}

/** Anyone may verify a certificate by its number (the QR's verify URL resolves to this). */
export async function verifyCertificate(ctx: Ctx<Actor | null>, number: string) {
  const c = await repo.byNumber(ctx.db, normaliseCode(number));
  if (!c)
    return {
      valid: false,
      message: '查无此合格证：可能输错或为伪造，请核对或举报',
      messageEn: 'No such certificate: mistyped or forged; check it or report it',
      certificate: null,
    };
  return {
    valid: true,
    message: '合格证真实有效',
    messageEn: 'The certificate is genuine',
    certificate: certificateDto(ctx, c, await repo.sourcesOf(ctx.db, c.id)),
  };
}

/** A printable certificate, 100×62 mm (fits 100 mm label printers; A6 paper with a margin). */
export async function certificatePdf(ctx: Ctx, id: string): Promise<{ pdf: Buffer; filename: string }> {
  const c = certificateDto(ctx, await visible(ctx, id));
  return { pdf: await renderCertificate(c), filename: `certificate-${c.number}.pdf` };
}

export async function renderCertificate(c: Certificate): Promise<Buffer> {
  const W = 100 * MM;
  const H = 62 * MM;
  const doc = newPdf({
    size: [W, H],
    margin: 0,
    info: { Title: `承诺达标合格证 ${c.number}`, Subject: c.number, Keywords: c.code ?? c.number },
  });
  doc
    .lineWidth(0.8)
    .rect(2 * MM, 2 * MM, W - 4 * MM, H - 4 * MM)
    .stroke('#000');
  doc
    .font('cjk-bold')
    .fontSize(13)
    .text('承诺达标合格证', 0, 4 * MM, { width: W, align: 'center' });
  const qr = 26 * MM;
  drawQr(doc, c.qrText, W - qr - 4 * MM, 11 * MM, qr);
  doc
    .font('cjk')
    .fontSize(6)
    .text(c.number, W - qr - 4 * MM, 11 * MM + qr, { width: qr, align: 'center' });
  const rows: [string, string][] = [
    ['产品名称', c.productName],
    ['数量(重量)', `${c.quantity} ${c.unit}`],
    ['产地', c.origin],
    ['开具主体', c.subjectName],
    ['联系方式', `${c.contactName ?? ''} ${c.phone}`],
    ['开具日期', c.issuedAt.slice(0, 10)],
  ];
  if (c.code) rows.push(['追溯码', c.code]);
  let y = 11 * MM;
  const lw = W - qr - 10 * MM;
  for (const [k, v] of rows) {
    doc
      .font('cjk-bold')
      .fontSize(7)
      .text(`${k}：`, 5 * MM, y, { continued: true, width: lw })
      .font('cjk')
      .text(v, { width: lw, lineBreak: false });
    y += 9.5;
  }
  y += 2;
  doc
    .font('cjk-bold')
    .fontSize(7)
    .text('我承诺对产品质量安全以及合格证真实性负责：', 5 * MM, y, { width: W - 10 * MM });
  y += 9.5;
  doc.font('cjk').fontSize(6.5);
  for (const p of c.promises) {
    doc.text(`√ ${p.text}`, 6 * MM, y, { width: W - 12 * MM, lineBreak: false });
    y += 8.5;
  }
  doc
    .font('cjk-bold')
    .fontSize(7)
    .text(`承诺依据：${c.basis.map((b) => `√ ${b.text}`).join('  ')}`, 5 * MM, y + 1, { width: W - 10 * MM });
  if (c.sources.length)
    doc
      .font('cjk')
      .fontSize(5.5)
      .text(`收取合格证：${c.sources.map((s) => s.number).join('、')}`, 5 * MM, H - 9 * MM, {
        width: W - 10 * MM,
        lineBreak: false,
      });
  return pdfBuffer(doc);
}
