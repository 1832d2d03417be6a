import { type Static, Type } from 'typebox';
import { FILE_RULES, type FileRule } from '../../kernel/files.js';
import { LiteralUnion, Uuid } from '../../kernel/schemas.js';

/** Upload purposes: the kernel's upload rules. */
export const FILE_PURPOSES = Object.keys(FILE_RULES) as FileRule[];

export const StoredFile = Type.Object({
  id: Uuid,
  name: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  createdAt: Type.String(),
});
export type StoredFile = Static<typeof StoredFile>;

export const UploadQuery = Type.Object({
  purpose: Type.Optional(
    LiteralUnion(FILE_PURPOSES, {
      default: 'proof',
      description: Object.entries(FILE_RULES)
        .map(([k, r]) => `${k}: ${r.zh} ${r.en}`)
        .join(' · '),
    }),
  ),
});
export type UploadQuery = Static<typeof UploadQuery>;

export const FileParams = Type.Object({ id: Uuid });
export type FileParams = Static<typeof FileParams>;

/** Every type a stored file can have (the union of the upload rules), for the download's declared content. */
export const STORED_MIMES = [...new Set(Object.values(FILE_RULES).flatMap((r) => r.mimes))];

/** What the sweep job returns. */
export const SweepResult = Type.Object({ deleted: Type.Integer() });
export type SweepResult = Static<typeof SweepResult>;
