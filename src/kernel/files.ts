import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AwsClient } from 'aws4fetch';
import type { Config, S3Config } from '../config.js';
import type { Actor, Ctx } from './context.js';
import { Problem } from './problems.js';

/**
 * File storage (文件存储). Metadata rows live in `stored_file`; the bytes go to a `FileStore`: a local directory
 * (`DATA_DIR/files`, default) or an S3-compatible bucket when `S3_ENDPOINT` is set (`S3_BUCKET`, `S3_REGION`,
 * `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY`; path-style addressing, so MinIO, Ceph RGW, OSS/COS S3 endpoints work).
 *
 * Kinds of upload have rules (`FILE_RULES`): allowed types, checked against the file's magic bytes, not its name or
 * the client's claimed type, and a size limit. Files start unattached; `attachFile` gives them an owner, and the
 * owner's module decides who may read them (`registerFileOwner`).
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
    this.client = new AwsClient({ accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey, region: cfg.region, service: 's3', retries: 2 });
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
    const res = await this.client.fetch(this.url(key), { method: 'PUT', body: new Uint8Array(data), headers: { 'content-type': mime } });
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
    const head = await this.client.fetch(`${this.cfg.endpoint}/${encodeURIComponent(this.cfg.bucket)}`, { method: 'HEAD' });
    if (head.ok) return;
    const res = await this.client.fetch(`${this.cfg.endpoint}/${encodeURIComponent(this.cfg.bucket)}`, { method: 'PUT' });
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
  { mime: 'image/png', ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: 'image/webp', ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { mime: 'application/pdf', ext: 'pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ext: 'xlsx', test: (b) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04 },
  { mime: 'text/csv', ext: 'csv', test: (b) => !b.subarray(0, 4096).includes(0) },
];

/** What each kind of upload accepts. */
export const FILE_RULES = {
  /** Proof of a producer: licence, ID card photos, permits. */
  proof: { mimes: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'], maxBytes: 5 * 1024 * 1024, zh: 'JPG/PNG/WEBP 图片或 PDF', en: 'JPG/PNG/WEBP image or PDF' },
  image: { mimes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 5 * 1024 * 1024, zh: 'JPG/PNG/WEBP 图片', en: 'JPG/PNG/WEBP image' },
  spreadsheet: { mimes: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'], maxBytes: 30 * 1024 * 1024, zh: 'Excel（.xlsx）或 CSV 文件', en: 'Excel (.xlsx) or CSV file' },
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
export async function saveFile(ctx: Ctx<Actor | null>, input: { name: string; data: Buffer; rule: FileRule; field?: string }): Promise<StoredFile> {
  const rule = FILE_RULES[input.rule];
  const field = input.field ?? 'file';
  if (input.data.length === 0) throw new Problem('FILE_EMPTY', { field });
  if (input.data.length > rule.maxBytes) throw new Problem('FILE_TOO_LARGE', { field, limit: `${Math.round(rule.maxBytes / 1024 / 1024)} MB` });
  const mime = sniffMime(input.data, input.name, rule.mimes);
  if (!mime) throw new Problem('FILE_TYPE_NOT_ALLOWED', { field, allowedZh: rule.zh, allowedEn: rule.en });
  const name = [...input.name].map((c) => (c === '/' || c === '\\' || c.charCodeAt(0) < 32 ? '_' : c)).join('').slice(-120) || 'file';
  const id = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const storageKey = `${day}/${id}`;
  const sha256 = createHash('sha256').update(input.data).digest('hex');
  await fileStore(ctx.config).put(storageKey, input.data, mime);
  const row = await ctx.db
    .insertInto('stored_file')
    .values({ id, storage_key: storageKey, name, mime, size: input.data.length, sha256, owner_type: null, owner_id: null, created_by: ctx.actor?.id ?? null, created_ip: ctx.ip })
    .returning(['id', 'name', 'mime', 'size', 'sha256', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256, createdAt: row.created_at.toISOString() };
}

/**
 * Gives an unattached file an owner. Anonymous uploads (registration) may be attached by anyone who knows the id
 * within a day; a logged-in uploader's file only by the same account.
 */
export async function attachFile(ctx: Ctx<Actor | null>, fileId: string, ownerType: string, ownerId: string, field = 'files'): Promise<StoredFile> {
  const row = await ctx.db.selectFrom('stored_file').selectAll().where('id', '=', fileId).forUpdate().executeTakeFirst();
  const mine = row && (row.created_by === null ? Date.now() - row.created_at.getTime() < 86_400_000 : row.created_by === ctx.actor?.id);
  const already = row && row.owner_type === ownerType && row.owner_id === ownerId;
  if (!row || (!already && (row.owner_type !== null || !mine))) throw new Problem('FILE_NOT_USABLE', { field, id: fileId });
  if (!already) await ctx.db.updateTable('stored_file').set({ owner_type: ownerType, owner_id: ownerId }).where('id', '=', fileId).execute();
  return { id: row.id, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256, createdAt: row.created_at.toISOString() };
}

// ── reading: owners decide ───────────────────────────────────────────────────
type OwnerCheck = (ctx: Ctx, ownerId: string) => Promise<boolean>;
const owners = new Map<string, OwnerCheck>();
/** A module declares who may read files it owns (e.g. subjects: the producer itself and regulators in scope). */
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
  return { file: { id: row.id, name: row.name, mime: row.mime, size: row.size, sha256: row.sha256, createdAt: row.created_at.toISOString() }, data };
}
