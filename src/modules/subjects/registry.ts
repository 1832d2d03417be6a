import type { Actor, Ctx } from '../../kernel/context.js';
import { audit } from '../../kernel/audit.js';
import { Problem } from '../../kernel/problems.js';
import { getSetting, putSetting } from '../../kernel/settings.js';
import { type ShareCtx, platformLink, shareRecord } from '../../kernel/sharing.js';
import { updateAccountDetails } from '../accounts/service.js';
import { identityCode, registryHashes } from './identity.js';
import * as repo from './repo.js';
import type { Normalised } from './rules.js';
import type { RegistryCheckAnswer, RegistryCheckInput, RegistryDuplicate, RegistryMatch } from './schemas.js';
import type { SubjectStatus } from './tables.js';
import { FINAL_STATUSES, STATUS_LABELS } from './states.js';

/**
 * 统一主体注册 The national registry (issue 15 item 1, docs/subjects.md "One registry"): a producer registers once for
 * the country. Every platform derives the same keyed hashes of a producer's duplicate keys (credit code, ID number)
 * with the national identity key; a registration or import at any tier asks its upper platform, which looks in its
 * own subjects and the subjects shared in from below and asks its own upper platform in turn, up to national. Only
 * hashes travel; the answer names the platform (and region) holding the producer. When the upper platform cannot be
 * asked, the registration is accepted provisionally and the national platform lists the duplicate once both records
 * have been shared (`registryDuplicates`), for a reviewer to merge.
 */

/** How long a registration waits for the national registry before it is accepted provisionally. */
export const REGISTRY_TIMEOUT_MS = 5_000;
export const CHECK_PATH = '/api/v1/subjects/registry/check';

export interface RegistryResult {
  /** false: the national registry could not be asked (no national key yet, or the upper platform is down). */
  complete: boolean;
  matches: RegistryMatch[];
}

const identityKey = (...a: Parameters<ReturnType<typeof platformLink>['identityKey']>) =>
  platformLink().identityKey(...a);
export const myPlatform = (ctx: { config: Parameters<ReturnType<typeof platformLink>['platformId']>[0] }) =>
  platformLink().platformId(ctx.config);
const live = (status: string) => !(FINAL_STATUSES as readonly string[]).includes(status);
const statusOf = (s: unknown): SubjectStatus =>
  typeof s === 'string' && s in STATUS_LABELS ? (s as SubjectStatus) : 'pending';

/** This platform's own subjects and the ones shared in from below holding any of the hashes. */
async function lookHere(ctx: Ctx<Actor | null>, hashes: string[]): Promise<RegistryMatch[]> {
  return (await lookHereNamed(ctx, hashes)).map(({ name: _, ...m }) => m);
}

/**
 * The same with each record's producer name — for this platform's own reviewers only (the duplicates list); a
 * registry answer to another platform carries no name (it is asked by keyed hashes, and answers in kind).
 */
async function lookHereNamed(ctx: Ctx<Actor | null>, hashes: string[]): Promise<(RegistryMatch & { name: string })[]> {
  if (!hashes.length) return [];
  const me = myPlatform(ctx);
  const asked = new Set(hashes);
  const out: (RegistryMatch & { name: string })[] = [];
  const named = async (platformId: string) => {
    const n = await platformLink().namePlatform(ctx, platformId);
    return { platformName: n.zh, platformNameEn: n.en };
  };
  for (const s of await repo.liveByHashes(ctx.db, hashes))
    out.push({
      hashes: s.registry_hashes.filter((h) => asked.has(h)),
      recordId: s.id,
      name: s.name,
      platformId: me,
      ...(await named(me)),
      divisionCode: s.division_code,
      status: s.status,
      identityCode: s.identity_code,
    });
  for (const r of await repo.sharedByHashes(ctx.db, hashes)) {
    const p = (r.payload ?? {}) as Record<string, unknown>;
    if (!live(String(p.status))) continue;
    const held = Array.isArray(p.registryHashes) ? (p.registryHashes as unknown[]).map(String) : [];
    out.push({
      hashes: held.filter((h) => asked.has(h)),
      recordId: r.record_id,
      name: typeof p.name === 'string' ? p.name : '',
      platformId: r.origin_platform,
      ...(await named(r.origin_platform)),
      divisionCode: r.division_code,
      status: statusOf(p.status),
      identityCode: typeof p.identityCode === 'string' ? p.identityCode : null,
    });
  }
  return out;
}

/**
 * Looks the hashes up in the national registry: here, then (below national) at the upper platform, which relays up.
 * Matches are unique by record; `complete` is false when the answer could not include national's.
 */
export async function lookUp(ctx: Ctx<Actor | null>, hashes: string[]): Promise<RegistryResult> {
  const key = await identityKey(ctx.db, ctx.config);
  const here = key.source === 'national' ? await lookHere(ctx, hashes) : [];
  const upper = await platformLink().upperState(ctx);
  // National, or a standalone platform (no UPPER_PLATFORM_URL): this platform is the whole registry it can know.
  if (upper === 'none') return { complete: true, matches: here };
  if (upper === 'down' || key.source !== 'national') return { complete: false, matches: here };
  try {
    const answer = await platformLink().askUpper<RegistryCheckAnswer>(ctx, CHECK_PATH, { hashes }, REGISTRY_TIMEOUT_MS);
    const seen = new Set(here.map((m) => m.recordId));
    return {
      complete: answer.complete,
      matches: [...here, ...answer.matches.filter((m) => !seen.has(m.recordId))],
    };
  } catch (err) {
    if (err instanceof Problem && err.code === 'SHARING_UPPER_UNREACHABLE') return { complete: false, matches: here };
    throw err;
  }
}

/** The upper side of `lookUp`: a connected lower platform asks (signed); answered from here and above. */
export async function answerCheck(ctx: Ctx<Actor | null>, input: RegistryCheckInput): Promise<RegistryCheckAnswer> {
  await platformLink().assertSignedByLower(ctx, input);
  return lookUp(ctx, input.hashes);
}

/** The hashes of a normalised registration under the key in force. */
export async function hashesOf(ctx: Ctx<Actor | null>, n: Normalised): Promise<string[]> {
  return registryHashes((await identityKey(ctx.db, ctx.config)).key, n.values);
}

/** Which certificate a matched hash stands for (for the message): the credit code or the ID number. */
function certLabel(n: Normalised, secret: string, match: RegistryMatch) {
  const credit = n.creditCode
    ? registryHashes(secret, { dedup_key: `C${n.creditCode}`, cert_type: 'credit_code', cert_no: n.creditCode })
    : [];
  const byCredit = match.hashes.some((h) => credit.includes(h));
  return byCredit
    ? { field: 'certNo', certZh: '统一社会信用代码', certEn: 'unified social credit code' }
    : {
        field: n.values.cert_type === 'id_card' ? 'certNo' : 'legalPersonIdNo',
        certZh: '身份证号码',
        certEn: 'ID number',
      };
}

/**
 * 全国查重 A registration at this platform against the national registry (after the local check, which compares the
 * numbers themselves): a live producer on another platform is refused with where it is registered (409
 * SUBJECT_REGISTERED_ELSEWHERE). Returns whether the check was complete (false: accepted provisionally).
 */
export async function assertNotRegisteredElsewhere(
  ctx: Ctx<Actor | null>,
  n: Normalised,
  except?: string,
): Promise<boolean> {
  const secret = (await identityKey(ctx.db, ctx.config)).key;
  const me = myPlatform(ctx);
  const found = await lookUp(ctx, registryHashes(secret, n.values));
  const other = found.matches.find((m) => m.platformId !== me && m.recordId !== except);
  if (other) {
    const { field, certZh, certEn } = certLabel(n, secret, other);
    throw new Problem(
      'SUBJECT_REGISTERED_ELSEWHERE',
      {
        field,
        certZh,
        certEn,
        platformZh: other.platformName,
        platformEn: other.platformNameEn,
        statusZh: STATUS_LABELS[other.status].zh,
        statusEn: STATUS_LABELS[other.status].en,
      },
      { platformId: other.platformId, platformName: other.platformName, platformNameEn: other.platformNameEn },
    );
  }
  return found.complete;
}

/**
 * 疑似重复（待合并）Producers registered more than once across platforms, as this platform sees them (its own subjects
 * and the ones shared in, inside the reader's jurisdiction): what a provisional registration leaves behind when the
 * upper platform was unreachable. Each item lists the records sharing a duplicate key, with their platforms.
 */
export async function registryDuplicates(ctx: Ctx): Promise<RegistryDuplicate[]> {
  const dup = await repo.duplicatedHashes(ctx.db, ctx.actor.scope, FINAL_STATUSES);
  if (!dup.length) return [];
  const matches = (await lookHereNamed(ctx, dup)).map((m) => ({
    ...m,
    statusZh: STATUS_LABELS[m.status].zh,
    statusEn: STATUS_LABELS[m.status].en,
    local: m.platformId === myPlatform(ctx),
  }));
  const groups = new Map<string, typeof matches>();
  for (const h of dup) {
    const records = matches.filter((m) => m.hashes.includes(h) && m.divisionCode.startsWith(ctx.actor.scope));
    const key = records
      .map((m) => m.recordId)
      .sort()
      .join(',');
    if (records.length > 1 && !groups.has(key)) groups.set(key, records);
  }
  return [...groups.values()].map((records) => ({ records }));
}

// ── a new key: re-derive codes and hashes ───────────────────────────────────────────────────────────────────────
const DERIVED_FP = 'subjects.derivedKeyFp';
const PAGE = 500;

/**
 * Re-issues what this platform derived with an earlier key once the national identity key has arrived: the
 * personal part of identity codes (basis P; the county part kept), the producers' accounts' user codes with them, and
 * the registry hashes — then shares the changed subjects so national holds the new codes and hashes. Idempotent; a
 * no-op when everything was derived with the key in force. Called by the `subjects.rekey` job and before codes are
 * derived.
 */
export async function ensureDerivedWithCurrentKey(ctx: Ctx<Actor | null>): Promise<number> {
  const key = await identityKey(ctx.db, ctx.config);
  if ((await getSetting<string>(ctx.db, DERIVED_FP)) === key.fingerprint) return 0;
  let after: string | null = null;
  const changed: string[] = [];
  for (;;) {
    const page = await repo.subjectsAfter(ctx.db, after, PAGE);
    if (!page.length) break;
    after = page[page.length - 1]?.id ?? null;
    for (const s of page) {
      const hashes = registryHashes(key.key, s);
      const old = s.identity_code;
      const code =
        old && old[1] === 'P'
          ? identityCode({
              orgForm: s.org_form,
              certType: s.cert_type,
              certNo: s.cert_no,
              personalIdNo: s.legal_person_id_no,
              countyCode: old.slice(2, 8),
              secret: key.key,
            })
          : old;
      if (code === old && hashes.join() === s.registry_hashes.join()) continue;
      await repo.update(ctx.db, s.id, { identity_code: code, registry_hashes: hashes });
      if (code !== old && old && code) {
        for (const a of await repo.accountsOf(ctx.db, s.org_id))
          if (a.user_code?.startsWith(old))
            await updateAccountDetails({ ...ctx, actor: null } as unknown as Ctx, a.id, {
              userCode: code + a.user_code.slice(old.length),
            });
      }
      changed.push(s.id);
    }
  }
  await shareSubjectRows(ctx, changed);
  await putSetting(ctx.db, DERIVED_FP, key.fingerprint);
  if (changed.length)
    await audit(ctx, {
      actor: null,
      verb: 'subject.rekey',
      targetType: 'platform_setting',
      targetId: DERIVED_FP,
      divisionCode: ctx.config.platformRegion,
      summary: { fingerprint: key.fingerprint, subjects: changed.length },
    });
  return changed.length;
}

// ── sharing subjects up, with their hashes ──────────────────────────────────────────────────────────────────────

/**
 * Upward sharing (信息归集, docs/sharing.md): every write of subjects hands the rows as written to the share seam in
 * its transaction (the catalogue decides the fields; status, identity code and registry hashes always travel). The
 * registry hashes are (re)computed here under the key in force, so every write path keeps them. Call after the write.
 */
export async function shareSubjectRows(ctx: ShareCtx, ids: readonly string[]): Promise<void> {
  if (!ids.length) return;
  const secret = (await identityKey(ctx.db, ctx.config)).key;
  for (const s of await repo.byIds(ctx.db, ids)) {
    const hashes = registryHashes(secret, s);
    if (hashes.join() !== s.registry_hashes.join()) await repo.setRegistryHashes(ctx.db, s.id, hashes);
    await shareRecord(
      ctx,
      'subject',
      s.id,
      {
        id: s.id,
        orgForm: s.org_form,
        subjectType: s.subject_type,
        isSlaughterhouse: s.is_slaughterhouse,
        industries: s.industries,
        name: s.name,
        certType: s.cert_type,
        certNo: s.cert_no,
        legalPersonName: s.legal_person_name,
        legalPersonIdNo: s.legal_person_id_no,
        legalPersonPhone: s.legal_person_phone,
        contactName: s.contact_name,
        contactPhone: s.contact_phone,
        contactEmail: s.contact_email,
        address: s.address,
        divisionCode: s.division_code,
        longitude: s.longitude,
        latitude: s.latitude,
        certifications: s.certifications,
        status: s.status,
        identityCode: s.identity_code,
        registryHashes: hashes,
      },
      s.division_code,
    );
  }
}
