import type { Actor, Ctx } from '../../kernel/context.js';
import { ANONYMOUS_UPLOADS, FILE_RULES, type FileRule, readStoredFile, saveFile } from '../../kernel/files.js';
import { sizeText } from '../../kernel/http.js';
import { Problem } from '../../kernel/problems.js';
import * as repo from './repo.js';
import type { StoredFile } from './schemas.js';

/** The largest file part the caller may send for a purpose (anonymous callers: small ones only). */
export function uploadLimit(actor: Actor | null, purpose: FileRule): number {
  const rule = FILE_RULES[purpose].maxBytes;
  return actor ? rule : Math.min(rule, ANONYMOUS_UPLOADS.maxBytes);
}

/** Before reading an anonymous upload: an allowed purpose, and the client's hourly quota not used up. */
export async function assertAnonymousUploadAllowed(ctx: Ctx<Actor | null>, purpose: FileRule): Promise<void> {
  if (ctx.actor) return;
  if (!ANONYMOUS_UPLOADS.purposes.includes(purpose)) throw new Problem('UPLOAD_LOGIN_REQUIRED');
  const used = await repo.anonymousUploadsSince(ctx.db, ctx.ip ?? '', new Date(Date.now() - 3600_000));
  if (used.files >= ANONYMOUS_UPLOADS.filesPerHour || used.bytes >= ANONYMOUS_UPLOADS.bytesPerHour)
    throw new Problem('UPLOAD_QUOTA_EXCEEDED', {
      files: ANONYMOUS_UPLOADS.filesPerHour,
      limit: sizeText(ANONYMOUS_UPLOADS.bytesPerHour),
    });
}

/** Stores one uploaded file (type checked by its bytes against the purpose's rule); unattached until an owner claims it. */
export async function upload(
  ctx: Ctx<Actor | null>,
  part: { name: string; data: Buffer; field: string },
  purpose: FileRule,
): Promise<StoredFile> {
  await assertAnonymousUploadAllowed(ctx, purpose);
  const limit = uploadLimit(ctx.actor, purpose);
  if (part.data.length > limit) throw new Problem('FILE_TOO_LARGE', { field: part.field, limit: sizeText(limit) });
  return saveFile(ctx, { name: part.name, data: part.data, rule: purpose, field: part.field });
}

/** A stored file's bytes, if the owner module lets the caller read it. */
export function download(ctx: Ctx, id: string) {
  return readStoredFile(ctx, id);
}
