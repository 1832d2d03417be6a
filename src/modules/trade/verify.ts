import { audit } from '../../kernel/audit.js';
import { KIND_DIGIT, KIND_NAMES, parseCode } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import { appendEvent } from '../batches/events.js';
import { producerOf } from '../catalog/owner.js';
import { codeText, platformOfConfig, resolveRow } from '../codes/service.js';
import { openRecallOf } from '../lineage/derive.js';
import { flag } from './anomalies.js';
import * as repo from './repo.js';
import type { Reason, VoucherCheck, VoucherCheckInput, VoucherCheckQuery, VoucherCheckResult } from './schemas.js';
import { VOUCHER_VALID_DAYS } from './voucher.js';

/**
 * The market gate (入市查验, seed 001 art. 14; seed 003 "以扫码入市或索取追溯凭证为市场准入条件"): market staff scan a
 * market-entry voucher or the trace code on the goods. Every check is recorded with each rule's outcome, passed or
 * not, and a code already verified at another market is flagged (seed 001 art. 17 (3): 盗用、冒用、伪造追溯凭证).
 */
export async function verifyVoucher(ctx: Ctx, input: VoucherCheckInput): Promise<VoucherCheckResult> {
  const market = ctx.actor.orgKind === 'producer' ? await producerOf(ctx, 'own') : null;
  const reasons: Reason[] = [];
  const check = (code: string, ok: boolean, zh: string, en: string) => {
    reasons.push({ code, ok, message: zh, messageEn: en });
    return ok;
  };
  const p = parseCode(input.code);
  let kind: number | null = null;
  let serial: number | null = null;
  let saleId: string | null = null;
  let batchId: string | null = null;
  let info: Record<string, unknown> | null = null;
  if (
    check(
      'FORMAT',
      p.ok,
      p.ok ? '码格式正确' : '不是有效的凭证号或追溯码，请重新扫码或核对输入',
      p.ok ? 'Well-formed code' : 'Not a valid voucher or trace code: scan again or check what was typed',
    ) &&
    p.ok
  ) {
    const c = p.code;
    kind = KIND_DIGIT[c.kind];
    serial = c.serial;
    const ours = check(
      'PLATFORM',
      c.platform === platformOfConfig(ctx.config),
      c.platform === platformOfConfig(ctx.config) ? '本平台签发' : '由其他追溯平台签发，请到签发平台核验',
      c.platform === platformOfConfig(ctx.config)
        ? 'Issued by this platform'
        : 'Issued by another platform: verify it there',
    );
    const kindOk =
      ours &&
      check(
        'KIND',
        ['voucher', 'production', 'circulation'].includes(c.kind),
        `类型：${KIND_NAMES[c.kind].zh}`,
        `Kind: ${KIND_NAMES[c.kind].en}`,
      ) &&
      ['voucher', 'production', 'circulation'].includes(c.kind);
    const row = kindOk ? await resolveRow(ctx.db, kind, serial) : undefined;
    if (
      kindOk &&
      check(
        'EXISTS',
        !!row && row.status === 'A',
        row ? (row.status === 'A' ? '凭证/追溯码有效' : '此码未激活或已作废') : '查无此码，可能为伪造',
        row ? (row.status === 'A' ? 'Valid code' : 'The code is inactive or void') : 'No such code: possibly forged',
      ) &&
      row
    ) {
      batchId = row.batch_id;
      if (c.kind === 'voucher') {
        const s = await repo.saleByVoucher(ctx.db, serial);
        if (s) {
          saleId = s.id;
          check(
            'MARKET_VOUCHER',
            s.voucher_kind === 'market',
            s.voucher_kind === 'market'
              ? '入市追溯凭证'
              : '这是普通追溯凭证，不是入市追溯凭证，请销售方开具入市追溯凭证',
            s.voucher_kind === 'market'
              ? 'Market-entry voucher'
              : 'A plain traceability voucher, not a market-entry voucher: ask the seller for one',
          );
          const ageDays = (Date.now() - s.sold_at.getTime()) / 86_400_000;
          check(
            'NOT_EXPIRED',
            ageDays <= VOUCHER_VALID_DAYS,
            ageDays <= VOUCHER_VALID_DAYS
              ? `开具于 ${Math.floor(ageDays)} 天前，在有效期内`
              : `已超过 ${VOUCHER_VALID_DAYS} 天有效期`,
            ageDays <= VOUCHER_VALID_DAYS ? 'Within its validity' : `Older than ${VOUCHER_VALID_DAYS} days`,
          );
          if (market && s.buyer_subject_id) {
            const same = s.buyer_subject_id === market.id;
            check(
              'THIS_MARKET',
              same,
              same ? '凭证开往本市场' : `凭证开往“${s.buyer_name}”，不是本市场`,
              same ? 'Issued for this market' : `Issued for "${s.buyer_name}", not this market`,
            );
          }
          if (input.quantity !== undefined) {
            const ok = input.quantity <= Number(s.quantity) + 1e-9;
            check(
              'QUANTITY',
              ok,
              ok
                ? `数量 ${input.quantity}${s.unit} 不超过凭证 ${Number(s.quantity)}${s.unit}`
                : `入场数量 ${input.quantity}${s.unit} 超过凭证记载的 ${Number(s.quantity)}${s.unit}`,
              ok
                ? 'Quantity within the voucher'
                : `${input.quantity} ${s.unit} exceeds the voucher's ${Number(s.quantity)} ${s.unit}`,
            );
          }
          info = {
            saleId: s.id,
            productName: s.product_name,
            quantity: Number(s.quantity),
            unit: s.unit,
            sellerName: s.seller_name,
            sellerPhone: s.seller_phone,
            buyerName: s.buyer_name,
            soldAt: s.sold_at.toISOString(),
            voucherKind: s.voucher_kind,
          };
        } else check('MARKET_VOUCHER', false, '凭证没有对应的销售记录', 'The voucher has no sale behind it');
      } else if (row.batch_id) {
        info = {
          batchId: row.batch_id,
          batchNo: row.batch_no,
          productName: row.product_name,
          sellerName: row.subject_name,
          producedAt: row.produced_at?.toISOString() ?? null,
          code: codeText(ctx.config, c.kind, serial),
        };
      }
      if (input.productName && info?.productName) {
        const ok =
          String(info.productName).includes(input.productName) || input.productName.includes(String(info.productName));
        check(
          'PRODUCT',
          ok,
          ok ? '品名相符' : `品名不符：凭证为“${info.productName}”`,
          ok ? 'Product matches' : `Product differs: the record says "${info.productName}"`,
        );
      }
      if (row.subject_id) {
        const seller = await repo.subjectById(ctx.db, row.subject_id);
        const active = !!seller && ['approved', 'change_pending'].includes(seller.status);
        check(
          'SUBJECT_ACTIVE',
          active,
          active ? '销售主体状态正常' : '销售主体已注销或被撤销',
          active ? 'The seller is in good standing' : 'The seller was cancelled or revoked',
        );
      }
      if (batchId) {
        const recall = await openRecallOf(ctx, batchId);
        check(
          'NOT_RECALLED',
          !recall,
          recall ? `该批次正在召回（${recall.number}），禁止入市` : '未被召回',
          recall ? `Under recall (${recall.number}): entry refused` : 'Not recalled',
        );
      }
      // A voucher goes with one sale into one market; a batch code is printed on every package of the batch and may
      // rightly enter several markets, so only vouchers are checked for use elsewhere.
      if (market && c.kind === 'voucher') {
        const elsewhere = await repo.otherMarketChecks(ctx.db, kind, serial, market.id);
        check(
          'NOT_USED_ELSEWHERE',
          elsewhere.length === 0,
          elsewhere.length
            ? `此码已于 ${elsewhere[0].checked_at.toISOString().slice(0, 10)} 在“${elsewhere[0].market_name}”入市，疑似冒用`
            : '未在其他市场使用',
          elsewhere.length
            ? `Already entered "${elsewhere[0].market_name}": possibly misused`
            : 'Not used at another market',
        );
        // The same voucher at the same gate again: one voucher goes with one delivery, so a second pass is refused
        // unless the gate staff note why (a re-scan of the same delivery, goods brought back in, …).
        const here = await repo.sameMarketChecks(ctx.db, kind, serial, market.id);
        if (here.length) {
          const note = input.note?.trim();
          const first = here[0].checked_at.toISOString().slice(0, 10);
          reasons.push(
            note
              ? {
                  code: 'PASSED_HERE_BEFORE',
                  ok: true,
                  message: `此凭证已于 ${first} 在本市场查验通过（共 ${here.length} 次）；再次放行说明：${note}`,
                  messageEn: `Already passed this gate (${here.length}×, first on ${first}); let through again: ${note}`,
                }
              : {
                  code: 'PASSED_HERE_BEFORE',
                  ok: false,
                  message: `此凭证已于 ${first} 在本市场查验通过（共 ${here.length} 次）：一张凭证对应一次入市，如确为同一批货请填写说明（note）后再查验`,
                  messageEn: `This voucher already passed this gate (${here.length}×, first on ${first}): one voucher is one delivery; if it is the same goods, add a note and check again`,
                },
          );
        }
      }
    }
  }
  const verified = reasons.every((r) => r.ok);
  const divisionCode = market?.divisionCode ?? ctx.actor.scope;
  const rec = await repo.insertCheck(ctx.db, {
    input: input.code,
    code_kind: kind,
    code_serial: serial,
    sale_id: saleId,
    batch_id: batchId,
    market_subject_id: market?.id ?? null,
    checker_org_id: ctx.actor.orgId,
    division_code: divisionCode,
    verified,
    reasons: JSON.stringify(reasons),
    checked_by: ctx.actor.id,
    note: input.note?.trim() || null,
  });
  if (verified && batchId)
    await appendEvent(ctx, {
      eventType: 'object',
      action: 'OBSERVE',
      bizStep: 'accepting',
      stage: 'storage',
      disposition: 'in_progress',
      eventTime: rec.checked_at,
      subjectId: market?.id ?? null,
      divisionCode,
      readPoint: market ? `market:${market.id}` : `org:${ctx.actor.orgId}`,
      batchId,
      bizTx: saleId ? [{ type: 'sale', id: saleId }] : [],
      payload: { checkId: rec.id, input: input.code },
    });
  const reused = reasons.find((r) => r.code === 'NOT_USED_ELSEWHERE' && !r.ok);
  if (reused && kind !== null && serial !== null) {
    const b = batchId ? await repo.batchOwner(ctx.db, batchId) : undefined;
    await flag(ctx.db, [
      {
        kind: 'code_reused',
        key: `cr:${kind}:${serial}`,
        subjectId: b?.subject_id ?? null,
        divisionCode: b?.division_code ?? divisionCode,
        batchId,
        details: { input: input.code, marketId: market?.id, checkId: rec.id },
      },
    ]);
  }
  await audit(ctx, {
    verb: 'trade.verify',
    targetType: 'voucher_check',
    targetId: rec.id,
    divisionCode,
    summary: { input: input.code, verified, failed: reasons.filter((r) => !r.ok).map((r) => r.code) },
  });
  return {
    id: rec.id,
    verified,
    message: verified ? '查验通过，准予入市' : '查验未通过，不予入市',
    messageEn: verified ? 'Verified: entry allowed' : 'Not verified: entry refused',
    reasons,
    info,
    checkedAt: rec.checked_at.toISOString(),
  };
}

/** Gate checks: a market its own, a regulator those in its jurisdiction. */
export async function listChecks(ctx: Ctx, q: VoucherCheckQuery): Promise<Paged<VoucherCheck>> {
  const market = ctx.actor.orgKind === 'producer' ? await producerOf(ctx, 'own') : null;
  const page = await repo.listChecks(ctx.db, market ? { marketId: market.id } : { scope: ctx.actor.scope }, pageOf(q));
  return mapPage(page, (v) => ({
    id: v.id,
    input: v.input,
    verified: v.verified,
    reasons: v.reasons as Reason[],
    marketName: v.market_name,
    checkedAt: v.checked_at.toISOString(),
  }));
}
