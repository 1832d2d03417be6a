import type { Kysely } from 'kysely';
import { audit } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import { reviewOfRecord } from '../review/service.js';
import * as repo from './repo.js';
import { duplicates, weakenings } from './rules.js';
import {
  type CatalogContent,
  type CatalogFile,
  type CatalogResource,
  type CollectedRecord,
  type CreateDraft,
  type ImportBody,
  STATUS_LABELS,
  type SharedField,
  type UpdateDraft,
  type VersionDetail,
  type VersionSummary,
} from './schemas.js';
import type { CatalogTier } from './tables.js';

/**
 * The information resource catalogue (信息资源目录, seed 000 arts. 4, 6, 7, 9) as versioned data. The national tier
 * authors versions (draft → published → retired; one is in force); lower tiers receive them by file import (and the
 * sharing interface once it exists) and may add optional local fields, never weakening a national rule. The
 * collection hook (hook.ts) checks every write against the version in force.
 */
const VERSION = ['目录版本', 'Catalogue version'] as const;

/** This platform's tier: the national platform authors the catalogue; a provincial/city/county one receives it. */
export const platformTier = (ctx: Ctx<Actor | null>): CatalogTier =>
  ctx.config.platformRegion === '' ? 'national' : 'local';

// Published versions never change, so their parsed content is cached by id.
const contentCache = new Map<string, CatalogContent>();

/** The version in force: its number and content (null before any is published). */
export async function currentCatalogVersion(
  db: Kysely<DB>,
): Promise<{ version: string; resources: CatalogResource[] } | null> {
  const row = await db
    .selectFrom('info_catalog_version')
    .select(['id', 'version'])
    .where('status', '=', 'published')
    .executeTakeFirst();
  if (!row) return null;
  let content = contentCache.get(row.id);
  if (!content) {
    const full = await repo.versionByNo(db, row.version);
    if (!full) return null;
    content = full.content;
    contentCache.set(row.id, content);
  }
  return { version: row.version, resources: content.resources };
}

/**
 * The fields of a resource that the version in force shares upward (归集, seed 000 art. 4), with their type and
 * personal-information class: what the upward-sharing interface (issue 14) sends. Empty for an unknown resource.
 */
export async function sharedFieldsOf(db: Kysely<DB>, resourceKey: string): Promise<SharedField[]> {
  const cur = await currentCatalogVersion(db);
  const r = cur?.resources.find((x) => x.key === resourceKey);
  return (r?.fields ?? [])
    .filter((f) => f.sharedUpward)
    .map((f) => ({ key: f.key, type: f.type, personal: f.personal }));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function baseDto(r: repo.VersionRow) {
  const s = STATUS_LABELS[r.status];
  return {
    id: r.id,
    version: r.version,
    tier: r.tier,
    divisionCode: r.division_code,
    baseVersion: r.base_version,
    status: r.status,
    statusZh: s.zh,
    statusEn: s.en,
    title: r.title,
    note: r.note,
    origin: r.origin,
    createdAt: r.created_at.toISOString(),
    publishedAt: iso(r.published_at),
    retiredAt: iso(r.retired_at),
  };
}

/** What the caller may do with a version on this platform (the web shows exactly these buttons). */
function allowedActions(ctx: Ctx, r: repo.VersionRow): string[] {
  const out = ['export'];
  const mayEdit = ctx.actor.verbs.has('infocatalog.edit');
  const mine = platformTier(ctx) === r.tier || (r.tier === 'national' && platformTier(ctx) === 'national');
  if (r.status === 'draft' && mayEdit && mine) out.push('update', 'publish');
  if (r.status === 'published' && mayEdit) out.push('draftFrom');
  if (r.status === 'draft' && mayEdit && r.origin === 'imported') out.push('publish');
  return [...new Set(out)];
}

export async function listCatalogVersions(ctx: Ctx) {
  const rows = await repo.listVersions(ctx.db);
  const items: VersionSummary[] = rows.map((r) => ({
    ...baseDto(r),
    resources: r.content.resources.length,
    fields: r.content.resources.reduce((a, x) => a + x.fields.length, 0),
  }));
  return {
    items,
    platformTier: platformTier(ctx),
    current: rows.find((r) => r.status === 'published')?.version ?? null,
  };
}

async function find(ctx: Ctx<Actor | null>, version: string) {
  const r = await repo.versionByNo(ctx.db, version);
  if (!r) throw problems.notFound(...VERSION);
  return r;
}

export async function getCatalogVersion(ctx: Ctx, version: string): Promise<VersionDetail> {
  const r = await find(ctx, version);
  return { ...baseDto(r), content: r.content, allowedActions: allowedActions(ctx, r) };
}

function tierProblem(ctx: Ctx<Actor | null>, reasonZh: string, reasonEn: string) {
  const national = platformTier(ctx) === 'national';
  return new Problem('CATALOG_TIER', {
    tierZh: national ? '国家平台' : '地方平台',
    tierEn: national ? 'the national platform' : 'a local platform',
    reasonZh,
    reasonEn,
  });
}

/** A content's own consistency, and at a lower tier that it keeps every national rule of its base. */
async function checkContent(ctx: Ctx<Actor | null>, content: CatalogContent, tier: CatalogTier, base: string | null) {
  const dup = duplicates(content);
  if (dup.length)
    throw problems.invalid('content', `有重复的键：${dup.join('、')}`, `has duplicate keys: ${dup.join(', ')}`);
  for (const r of content.resources)
    if (r.workAtField && !r.fields.some((f) => f.key === r.workAtField))
      throw problems.invalid(
        'content',
        `资源 ${r.key} 的作业时间字段不存在`,
        `resource ${r.key} names a missing work-time field`,
      );
  if (tier === 'local') {
    const national = base ? await repo.versionByNo(ctx.db, base) : undefined;
    if (!national || national.tier !== 'national')
      throw problems.invalid(
        'baseVersion',
        '须基于一个已导入的国家目录版本',
        'must extend an imported national version',
      );
    const w = weakenings(national.content, content);
    if (w.length)
      throw new Problem(
        'CATALOG_WEAKENED',
        { reasonZh: w.map((x) => x.zh).join('；'), reasonEn: w.map((x) => x.en).join('; ') },
        w,
      );
  }
}

/** A new draft, from a given content, from a named version, or from the version in force. */
export async function createCatalogDraft(ctx: Ctx, input: CreateDraft): Promise<VersionDetail> {
  if (await repo.versionByNo(ctx.db, input.version)) throw problems.duplicate(...VERSION, input.version, 'version');
  const from = input.from ? await find(ctx, input.from) : await repo.published(ctx.db);
  const tier = platformTier(ctx);
  const content = input.content ?? from?.content ?? { resources: [] };
  // A lower tier's draft extends the national version its source is (or extends).
  const base = tier === 'local' ? (from?.tier === 'national' ? from.version : (from?.base_version ?? null)) : null;
  await checkContent(ctx, content, tier, base);
  const row = await repo.insertVersion(ctx.db, {
    version: input.version,
    tier,
    division_code: ctx.config.platformRegion,
    base_version: base,
    status: 'draft',
    title: input.title,
    note: input.note ?? null,
    content: JSON.stringify(content),
    created_by: ctx.actor.id,
  });
  await audit(ctx, {
    verb: 'infocatalog.edit',
    targetType: 'info_catalog_version',
    targetId: row.id,
    summary: { version: row.version, from: from?.version ?? null },
  });
  return getCatalogVersion(ctx, row.version);
}

export async function updateCatalogDraft(ctx: Ctx, version: string, patch: UpdateDraft): Promise<VersionDetail> {
  const r = await find(ctx, version);
  if (r.status !== 'draft') throw stateProblem(r.status, '修改', 'edit');
  if (r.origin === 'imported') throw tierProblem(ctx, '导入的版本不能修改', 'an imported version cannot be edited');
  if (patch.content) await checkContent(ctx, patch.content, r.tier, r.base_version);
  await repo.updateVersion(ctx.db, r.id, {
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.note !== undefined ? { note: patch.note } : {}),
    ...(patch.content ? { content: JSON.stringify(patch.content) } : {}),
  });
  await audit(ctx, {
    verb: 'infocatalog.edit',
    targetType: 'info_catalog_version',
    targetId: r.id,
    summary: { version, fields: Object.keys(patch) },
  });
  return getCatalogVersion(ctx, version);
}

function stateProblem(status: keyof typeof STATUS_LABELS, actionZh: string, actionEn: string) {
  const s = STATUS_LABELS[status];
  return new Problem('INVALID_STATE', { stateZh: s.zh, stateEn: s.en, actionZh, actionEn, field: 'version' });
}

/** Publishes a draft: it comes into force and the version in force is retired, in one transaction. */
export async function publishCatalogVersion(ctx: Ctx, version: string): Promise<VersionDetail> {
  const r = await find(ctx, version);
  if (r.status !== 'draft') throw stateProblem(r.status, '发布', 'publish');
  if (r.tier === 'national' && platformTier(ctx) === 'local' && r.origin !== 'imported')
    throw tierProblem(ctx, '国家目录只能由国家平台编制', 'national versions are authored by the national platform');
  const current = await repo.lockPublished(ctx.db);
  const now = new Date();
  if (current) await repo.updateVersion(ctx.db, current.id, { status: 'retired', retired_at: now });
  await repo.updateVersion(ctx.db, r.id, { status: 'published', published_at: now });
  await audit(ctx, {
    verb: 'infocatalog.publish',
    targetType: 'info_catalog_version',
    targetId: r.id,
    summary: { version, retired: current?.version ?? null },
  });
  return getCatalogVersion(ctx, version);
}

/** The exchange file of a version (what importCatalog reads). */
export async function exportCatalogFile(ctx: Ctx, version: string): Promise<CatalogFile> {
  const r = await find(ctx, version);
  return {
    format: 'suyuan-info-catalog/1',
    version: r.version,
    tier: r.tier,
    divisionCode: r.division_code,
    baseVersion: r.base_version,
    title: r.title,
    note: r.note,
    publishedAt: iso(r.published_at),
    content: r.content,
  };
}

/**
 * Imports a version received from the upper tier (a file now; the sharing interface later). The national platform
 * takes no lower tier's file. Importing the same version again with the same content is a no-op; with other content
 * it is refused. `publish` brings it into force at once.
 */
export async function importCatalog(ctx: Ctx, body: ImportBody): Promise<VersionDetail> {
  const f = body.file;
  if (f.tier === 'local' && platformTier(ctx) === 'national')
    throw tierProblem(ctx, '不接收地方目录', 'it takes no local catalogue');
  if (f.tier === 'local' && !ctx.config.platformRegion.startsWith(f.divisionCode))
    throw tierProblem(ctx, '只接收上级或本级的地方目录', 'it takes local catalogues of its own or upper tiers only');
  const existing = await repo.versionByNo(ctx.db, f.version);
  if (existing) {
    if (JSON.stringify(existing.content) !== JSON.stringify(f.content))
      throw problems.duplicate(...VERSION, `${f.version}（内容不同 different content）`, 'file.version');
    if (body.publish && existing.status === 'draft') return publishCatalogVersion(ctx, f.version);
    return getCatalogVersion(ctx, f.version);
  }
  await checkContent(ctx, f.content, f.tier, f.baseVersion);
  const row = await repo.insertVersion(ctx.db, {
    version: f.version,
    tier: f.tier,
    division_code: f.divisionCode,
    base_version: f.baseVersion,
    status: 'draft',
    title: f.title,
    note: f.note,
    content: JSON.stringify(f.content),
    origin: 'imported',
    created_by: ctx.actor.id,
  });
  await audit(ctx, {
    verb: 'infocatalog.import',
    targetType: 'info_catalog_version',
    targetId: row.id,
    summary: { version: f.version, tier: f.tier },
  });
  return body.publish ? publishCatalogVersion(ctx, f.version) : getCatalogVersion(ctx, f.version);
}

/** The version in force with its content (404 before any is published). */
export async function getCurrentCatalog(ctx: Ctx): Promise<VersionDetail> {
  const r = await repo.published(ctx.db);
  if (!r) throw problems.notFound('现行目录版本', 'Catalogue version in force');
  return getCatalogVersion(ctx, r.version);
}

/**
 * How one record was collected (getCollectedRecord): the late flag and the review item a record's page shows. A
 * producer or service agency sees its own organisation's records, a regulator those inside its jurisdiction.
 */
export async function getCollectedRecord(ctx: Ctx, resource: string, recordId: string): Promise<CollectedRecord> {
  const own = ctx.actor.orgKind === 'producer' || ctx.actor.orgKind === 'service';
  const r = await repo.collectedVisible(
    ctx.db,
    resource,
    recordId,
    own ? { orgId: ctx.actor.orgId } : { scope: ctx.actor.scope },
  );
  // Nothing known (never collected through the catalogue, or not the caller's to see): an empty status, which says
  // nothing about whether the record exists.
  if (!r)
    return {
      resource,
      recordId,
      collected: false,
      catalogVersion: null,
      workAt: null,
      uploadedAt: null,
      lateDays: null,
      late: false,
      review: null,
    };
  return {
    resource: r.resource,
    recordId: r.record_id,
    collected: true,
    catalogVersion: r.catalog_version,
    workAt: r.work_at ? r.work_at.toISOString() : null,
    uploadedAt: r.uploaded_at.toISOString(),
    lateDays: r.late_days,
    late: r.late,
    review: await reviewOfRecord(ctx, r.resource, r.record_id),
  };
}
