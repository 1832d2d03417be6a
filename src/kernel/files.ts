import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import type { Kysely } from 'kysely';
import type { Config, S3Config } from '../config.js';
import type { DB } from '../schema.js';
import type { Actor, Ctx } from './context.js';
import { Problem } from './problems.js';

/**
 * File storage (文件存储). Metadata rows live in `stored_file`; the bytes go to a `FileStore`: a local directory
 * (`DATA_DIR/files`, default) or an S3-compatible bucket when `S3_ENDPOINT` is set (`S3_BUCKET`, `S3_REGION`,
 * `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`; path-style addressing, so MinIO, Ceph RGW, OSS/COS S3 endpoints work).
 *
 * Kinds of upload have rules (`FILE_RULES`): allowed types, checked against the file's magic bytes, not its name or
 * the client's claimed type, and a size limit. Files start unattached; `attachFile` gives them an owner, and the
 * owner's module decides who may read them (its ModuleDef's `fileOwners`).
 */
export interface FileStore {
  kind: 'local' | 's3';
  put(key: string, data: Buffer, mime: string): Promise<void>;
  get(key: string): Promise<Buffer>;
  delete(key: string): Promise<void>;
}

export class LocalFileStore implements FileStore {
  readonly kind = 'local';
  constructor(readonly root: string) {}
  private file(key: string) {
    if (!/^[a-z0-9/-]+$/.test(key)) throw new Error(`bad storage key ${key}`);
    return path.join(this.root, key);
  }
  async put(key: string, data: Buffer, _mime?: string) {
    const f = this.file(key);
    await mkdir(path.dirname(f), { recursive: true });
    const tmp = `${f}.${process.pid}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, f);
  }
  get(key: string) {
    return readFile(this.file(key));
  }
  async delete(key: string) {
    await rm(this.file(key), { force: true });
  }
}

export class S3FileStore implements FileStore {
  readonly kind = 's3';
  private client: AwsClient;
  constructor(readonly cfg: S3Config) {
    this.client = new AwsClient({
      accessKeyId: cfg.accessKeyId,
      secretAccessKey: cfg.secretAccessKey,
      region: cfg.region,
      service: 's3',
      retries: 2,
    });
  }
  private url(key: string) {
    return `${this.cfg.endpoint}/${encodeURIComponent(this.cfg.bucket)}/${key}`;
  }
  private async check(res: Response, what: string) {
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      throw new Error(`S3 ${what} failed: ${res.status} ${text.slice(0, 300)}`);
    }
  }
  async put(key: string, data: Buffer, mime: string) {
    const res = await this.client.fetch(this.url(key), {
      method: 'PUT',
      body: new Uint8Array(data),
      headers: { 'content-type': mime },
    });
    await this.check(res, `PUT ${key}`);
  }
  async get(key: string) {
    const res = await this.client.fetch(this.url(key));
    await this.check(res, `GET ${key}`);
    return Buffer.from(await res.arrayBuffer());
  }
  async delete(key: string) {
    const res = await this.client.fetch(this.url(key), { method: 'DELETE' });
    if (res.status !== 404) await this.check(res, `DELETE ${key}`);
  }
  /** Creates the bucket when missing (development servers; production buckets are provisioned). */
  async ensureBucket() {
    const head = await this.client.fetch(`${this.cfg.endpoint}/${encodeURIComponent(this.cfg.bucket)}`, {
      method: 'HEAD',
    });
    if (head.ok) return;
    const res = await this.client.fetch(`${this.cfg.endpoint}/${encodeURIComponent(this.cfg.bucket)}`, {
      method: 'PUT',
    });
    await this.check(res, 'create bucket');
  }
}

const stores = new WeakMap<Config, FileStore>();
/** The store for a configuration (one per process and config). */
export function fileStore(config: Config): FileStore {
  let s = stores.get(config);
  if (!s) {
    s = config.s3 ? new S3FileStore(config.s3) : new LocalFileStore(path.join(config.dataDir, 'files'));
    stores.set(config, s);
  }
  return s;
}

// ── types and limits ─────────────────────────────────────────────────────────
const MAGIC: { mime: string; ext: string; test: (b: Buffer) => boolean }[] = [
  { mime: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: 'image/png',
    ext: 'png',
    test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    mime: 'image/webp',
    ext: 'webp',
    test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  { mime: 'application/pdf', ext: 'pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ext: 'xlsx',
    test: (b) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04,
  },
  { mime: 'video/mp4', ext: 'mp4', test: (b) => isMp4(b) },
  { mime: 'text/csv', ext: 'csv', test: (b) => !b.subarray(0, 4096).includes(0) },
];

/**
 * Uploads without an account (issue 12): only registration proofs and complaint photos, small, a quota per client
 * address per hour, swept after an hour when not attached; every upload refused while the disk is nearly full.
 */
export const ANONYMOUS_UPLOADS = {
  purposes: ['proof', 'image'] as readonly string[],
  maxBytes: 3 * 1024 * 1024,
  filesPerHour: 20,
  bytesPerHour: 30 * 1024 * 1024,
};
export const ANONYMOUS_TTL_MS = 3600_000;
/** Uploads stop when the local file store's disk has less than this free. */
export const MIN_FREE_DISK_BYTES = 512 * 1024 * 1024;

/** Refuses an upload when the local store's disk is nearly full (S3 stores are left to their operators). */
export async function assertDiskRoom(config: Config, incoming: number, minFree = MIN_FREE_DISK_BYTES): Promise<void> {
  const store = fileStore(config);
  if (store.kind !== 'local') return;
  const root = (store as LocalFileStore).root;
  await mkdir(root, { recursive: true });
  const s = await statfs(root);
  if (s.bavail * s.bsize - incoming < minFree) throw new Problem('STORAGE_FULL');
}

/** Types a stored file may be shown inline as (verified again by its bytes when served). */
export const INLINE_IMAGE_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;

/** MP4 brands (ISO base media file format) accepted as video/mp4: what phones and cameras write. */
const MP4_BRANDS = /^(isom|iso[2-9a-z]|mp41|mp42|avc1|hvc1|M4V |M4VP|dash|mmp4|MSNV|f4v |3gp[4-9]|3g2a)$/;
/**
 * Is this an MP4 file: a first box of type `ftyp` whose size is sane (8 + 4 + 4·n bytes, within the file) and whose
 * major brand is an MP4 brand. QuickTime (`qt  `) and anything else are refused.
 */
export function isMp4(b: Buffer): boolean {
  if (b.length < 16 || b.subarray(4, 8).toString('latin1') !== 'ftyp') return false;
  const size = b.readUInt32BE(0);
  if (size < 16 || size > 4096 || size > b.length || size % 4 !== 0) return false;
  return MP4_BRANDS.test(b.subarray(8, 12).toString('latin1'));
}

/** What each kind of upload accepts. */
export const FILE_RULES = {
  /** Proof of a producer: licence, ID card photos, permits. */
  proof: {
    mimes: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
    maxBytes: 5 * 1024 * 1024,
    zh: 'JPG/PNG/WEBP 图片或 PDF',
    en: 'JPG/PNG/WEBP image or PDF',
  },
  image: {
    mimes: ['image/jpeg', 'image/png', 'image/webp'],
    maxBytes: 5 * 1024 * 1024,
    zh: 'JPG/PNG/WEBP 图片',
    en: 'JPG/PNG/WEBP image',
  },
  /** Short videos (seed 000 art. 3: 视频) for patrols, bases and cases: MP4 only, checked by its `ftyp` box. */
  video: {
    mimes: ['video/mp4'],
    maxBytes: 50 * 1024 * 1024,
    zh: 'MP4 视频（50 MB 以内）',
    en: 'MP4 video (up to 50 MB)',
    signedIn: true,
  },
  spreadsheet: {
    mimes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'],
    maxBytes: 30 * 1024 * 1024,
    zh: 'Excel（.xlsx）或 CSV 文件',
    en: 'Excel (.xlsx) or CSV file',
  },
} as const;
export type FileRule = keyof typeof FILE_RULES;

/** The real type of the bytes (magic numbers), restricted to `allowed`; CSV only when the name says .csv. */
export function sniffMime(data: Buffer, name: string, allowed: readonly string[]): string | null {
  for (const m of MAGIC) {
    if (!allowed.includes(m.mime)) continue;
    if (m.mime === 'text/csv' && !name.toLowerCase().endsWith('.csv')) continue;
    if (m.test(data)) return m.mime;
  }
  return null;
}

export interface StoredFile {
  id: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** Validates and stores an upload; the row is written in the caller's transaction. */
export async function saveFile(
  ctx: Ctx<Actor | null>,
  input: { name: string; data: Buffer; rule: FileRule; field?: string },
): Promise<StoredFile> {
  const rule = FILE_RULES[input.rule];
  const field = input.field ?? 'file';
  if ('signedIn' in rule && rule.signedIn && !ctx.actor) throw new Problem('UNAUTHENTICATED');
  if (input.data.length === 0) throw new Problem('FILE_EMPTY', { field });
  if (input.data.length > rule.maxBytes)
    throw new Problem('FILE_TOO_LARGE', { field, limit: `${Math.round(rule.maxBytes / 1024 / 1024)} MB` });
  const mime = sniffMime(input.data, input.name, rule.mimes);
  if (!mime) throw new Problem('FILE_TYPE_NOT_ALLOWED', { field, allowedZh: rule.zh, allowedEn: rule.en });
  const name =
    [...input.name]
      .map((c) => (c === '/' || c === '\\' || c.charCodeAt(0) < 32 ? '_' : c))
      .join('')
      .slice(-120) || 'file';
  const id = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const storageKey = `${day}/${id}`;
  const sha256 = createHash('sha256').update(input.data).digest('hex');
  await fileStore(ctx.config).put(storageKey, input.data, mime);
  const row = await ctx.db
    .insertInto('stored_file')
    .values({
      id,
      storage_key: storageKey,
      name,
      mime,
      size: input.data.length,
      sha256,
      owner_type: null,
      owner_id: null,
      created_by: ctx.actor?.id ?? null,
      created_ip: ctx.ip,
    })
    .returning(['id', 'name', 'mime', 'size', 'sha256', 'created_at'])
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    name: row.name,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Gives an unattached file an owner. Anonymous uploads (registration) may be attached by anyone who knows the id
 * within an hour (then the sweep deletes them); a logged-in uploader's file only by the same account.
 */
export async function attachFile(
  ctx: Ctx<Actor | null>,
  fileId: string,
  ownerType: string,
  ownerId: string,
  field = 'files',
): Promise<StoredFile> {
  const row = await ctx.db
    .selectFrom('stored_file')
    .selectAll()
    .where('id', '=', fileId)
    .forUpdate()
    .executeTakeFirst();
  const mine =
    row &&
    (row.created_by === null
      ? Date.now() - row.created_at.getTime() < ANONYMOUS_TTL_MS
      : row.created_by === ctx.actor?.id);
  const already = row && row.owner_type === ownerType && row.owner_id === ownerId;
  if (!row || (!already && (row.owner_type !== null || !mine)))
    throw new Problem('FILE_NOT_USABLE', { field, id: fileId });
  if (!already)
    await ctx.db
      .updateTable('stored_file')
      .set({ owner_type: ownerType, owner_id: ownerId })
      .where('id', '=', fileId)
      .execute();
  return {
    id: row.id,
    name: row.name,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * The bytes of a stored file without an owner check, for background jobs that were handed the id by a request that
 * was already authorised (e.g. the import pipeline, kernel/imports.ts). Undefined when the file is gone.
 */
export async function storedFileData(
  db: Kysely<DB>,
  config: Config,
  id: string,
): Promise<{ file: StoredFile; data: Buffer } | undefined> {
  const row = await db.selectFrom('stored_file').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const data = await fileStore(config).get(row.storage_key);
  return {
    file: {
      id: row.id,
      name: row.name,
      mime: row.mime,
      size: row.size,
      sha256: row.sha256,
      createdAt: row.created_at.toISOString(),
    },
    data,
  };
}

/** Attaches several files to one owner, in order, naming `field` when one is not usable. */
export async function attachFiles(
  ctx: Ctx<Actor | null>,
  fileIds: readonly string[],
  ownerType: string,
  ownerId: string,
  field = 'files',
): Promise<void> {
  for (const id of fileIds) await attachFile(ctx, id, ownerType, ownerId, field);
}

/** Name and type of stored files, for showing them on their owner's record (missing ids are left out). */
export async function fileRefs(
  db: Kysely<DB>,
  fileIds: readonly string[],
): Promise<{ id: string; name: string; mime: string; size: number }[]> {
  if (fileIds.length === 0) return [];
  return db
    .selectFrom('stored_file')
    .select(['id', 'name', 'mime', 'size'])
    .where('id', 'in', [...fileIds])
    .execute();
}

/** Deletes a file that is still unattached (row, then bytes); false when it has meanwhile been attached or removed. */
export async function deleteUnattachedFile(db: Kysely<DB>, config: Config, id: string): Promise<boolean> {
  const gone = await db
    .deleteFrom('stored_file')
    .where('id', '=', id)
    .where('owner_type', 'is', null)
    .returning('storage_key')
    .executeTakeFirst();
  if (!gone) return false;
  await fileStore(config).delete(gone.storage_key);
  return true;
}

// ── reading: owners decide ───────────────────────────────────────────────────
export type OwnerCheck = (ctx: Ctx, ownerId: string) => Promise<boolean>;
const owners = new Map<string, OwnerCheck>();
/**
 * Kernel-internal: a module declares who may read files it owns (e.g. subjects: the producer itself and regulators
 * in scope) in its ModuleDef (`fileOwners`), and only `installModules` calls this.
 */
export function registerFileOwner(ownerType: string, mayRead: OwnerCheck): void {
  owners.set(ownerType, mayRead);
}

export async function readStoredFile(ctx: Ctx, id: string): Promise<{ file: StoredFile; data: Buffer }> {
  const row = await ctx.db.selectFrom('stored_file').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new Problem('NOT_FOUND', { targetZh: '文件', targetEn: 'File' });
  let allowed = false;
  if (row.owner_type === null) allowed = row.created_by !== null && row.created_by === ctx.actor.id;
  else allowed = (await owners.get(row.owner_type)?.(ctx, row.owner_id as string)) ?? false;
  if (!allowed) throw new Problem('OUT_OF_JURISDICTION', { targetZh: '文件', targetEn: 'file' });
  const data = await fileStore(ctx.config).get(row.storage_key);
  return {
    file: {
      id: row.id,
      name: row.name,
      mime: row.mime,
      size: row.size,
      sha256: row.sha256,
      createdAt: row.created_at.toISOString(),
    },
    data,
  };
}
