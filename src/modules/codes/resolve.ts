import {
  KIND_DIGIT,
  KIND_NAMES,
  beijingDate,
  longCode,
  parseCertificateNumber,
  parseCode,
} from '../../kernel/codes.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import * as repo from './repo.js';
import type { Resolution } from './schemas.js';
import { PARSE_REASONS, platformOfConfig } from './service.js';

// ── resolver (used by the public page /t/{code}, issue 6) ────────────────────

const STATUS_MESSAGES = {
  active: ['追溯码有效', 'The trace code is valid'],
  inactive: [
    '此码已印制但尚未激活：商品可能尚未上市，请向销售者核实',
    'This code was printed but has not been activated yet: the product may not be on sale yet; check with the seller',
  ],
  void: ['此码已作废', 'This code has been voided'],
  unknown: [
    '查无此码：可能输错，或为假冒标识，请核对或举报',
    'No such code: it may be mistyped or counterfeit; check it or report it',
  ],
  foreign: [
    '此码由其他追溯平台签发，本平台的公开查询页（/t/追溯码）可查看其产地信息',
    'This code was issued by another traceability platform; the public trace page here (/t/{code}) shows its origin',
  ],
  malformed: ['不是有效的追溯码', 'Not a valid trace code'],
} as const;
type ResolvedStatus = keyof typeof STATUS_MESSAGES;

/**
 * The holder behind a resolved code, in full: who may see what of it is decided by the public module's visibility
 * rules (`public/visibility.ts` → `visibleResolution`), the one place every public read goes through.
 */
export interface ResolvedHolder {
  id: string;
  name: string;
  orgForm: string | null;
  status?: string;
  /** The division that decides a regulator's jurisdiction over it (the batch's, else the subject's). */
  divisionCode: string | null;
  /** The origin producer (production and identity codes), not a buyer behind a circulation code or voucher. */
  isOrigin: boolean;
}
export type RawResolution = Omit<Resolution, 'subject'> & { holder?: ResolvedHolder | null };

/**
 * Resolves any text a consumer or officer may scan or type: a short or long trace code, a URL containing one, a
 * subject identity code (issue 3's `subject.identity_code`), or a certificate number. The answer names the holder
 * in full; callers show it through `visibleResolution` (public module).
 */
export async function resolveCode(
  ctx: Ctx<Actor | null>,
  text: string,
  /**
   * What memory knows of a code (the public resolver, public/resolver.ts): its status and issue time, null when never
   * issued, undefined when it cannot tell. Lets a never-issued, inactive or void code be answered without a query.
   */
  known?: (kind: number, serial: number) => { status: string; issued_at: Date } | null | undefined,
): Promise<RawResolution> {
  const out = (status: ResolvedStatus, extra: Record<string, unknown> = {}) => ({
    input: text,
    status,
    message: STATUS_MESSAGES[status][0] as string,
    messageEn: STATUS_MESSAGES[status][1] as string,
    ...extra,
  });
  const parsed = parseCode(text);
  if (!parsed.ok) {
    const trimmed = text.trim();
    const subject = trimmed ? await repo.subjectByIdentityCode(ctx.db, trimmed.toUpperCase()) : undefined;
    if (subject)
      return out('active', {
        kind: 'subject',
        kindName: KIND_NAMES.subject.zh,
        holder: {
          id: subject.id,
          name: subject.name,
          orgForm: subject.org_form,
          status: subject.status,
          divisionCode: subject.division_code,
          isOrigin: true,
        },
      });
    const cert = parseCertificateNumber(text);
    if (cert)
      return out('active', {
        kind: 'certificate',
        kindName: '承诺达标合格证',
        certificateNumber: text.trim().toUpperCase(),
      });
    return out('malformed', { reason: PARSE_REASONS[parsed.error][0], reasonEn: PARSE_REASONS[parsed.error][1] });
  }
  const c = parsed.code;
  const base = {
    code: c.short,
    kind: c.kind,
    kindName: KIND_NAMES[c.kind].zh,
    platform: { tier: c.tier, region: c.region },
  };
  if (c.platform !== platformOfConfig(ctx.config)) return out('foreign', base);
  const mem = known?.(KIND_DIGIT[c.kind], c.serial);
  if (mem === null) return out('unknown', base);
  if (mem && (mem.status === 'I' || mem.status === 'V')) {
    if (c.form === 'long' && c.issuedOn !== beijingDate(mem.issued_at)) return out('unknown', base);
    return out(mem.status === 'I' ? 'inactive' : 'void', base);
  }
  const row = await repo.resolveRow(ctx.db, KIND_DIGIT[c.kind], c.serial);
  if (!row) return out('unknown', base);
  if (c.form === 'long' && c.issuedOn !== beijingDate(row.issued_at)) return out('unknown', base);
  const status: ResolvedStatus = row.status === 'A' ? 'active' : row.status === 'I' ? 'inactive' : 'void';
  if (status !== 'active') return out(status, base);
  return out('active', {
    ...base,
    longCode: longCode({ kind: c.kind, platform: c.platform, serial: c.serial }, row.issued_at),
    issuedAt: row.issued_at.toISOString(),
    holder: row.subject_id
      ? {
          id: row.subject_id,
          name: row.subject_name ?? '',
          orgForm: row.subject_org_form,
          divisionCode: row.batch_division ?? row.subject_division,
          isOrigin: c.kind === 'production' || c.kind === 'subject',
        }
      : null,
    batch: row.batch_id
      ? {
          id: row.batch_id,
          batchNo: row.batch_no,
          productName: row.product_name,
          producedAt: row.produced_at?.toISOString() ?? null,
          status: row.batch_status,
          divisionCode: row.batch_division,
        }
      : null,
  });
}
