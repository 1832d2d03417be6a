import { inScope } from '../../kernel/auth/scope.js';
import type { OwnerCheck } from '../../kernel/files.js';
import * as repo from './repo.js';

/**
 * The subjects service, split by concern under `service/`: registration and resubmission (`register.ts`), reads and
 * documents (`read.ts`), the county's review (`review.ts`), change/cancel/revoke requests (`changes.ts`) and
 * sub-accounts (`staff.ts`); `common.ts` holds what they share. The registration rules live in `rules.ts` and the
 * enumerations and contracts in `schemas.ts` (re-exported here for other modules). The historic import (`import.ts`, on the
 * kernel's import pipeline) builds on this service, not the reverse.
 */
export {
  CERTIFICATIONS,
  CERT_TYPES,
  type ChangeInput,
  INDUSTRIES,
  ORG_FORMS,
  SUBJECT_TYPES,
  type AgencyChangeInput,
  type RegisterInput,
} from './schemas.js';
export { type SubjectFields, dedupKeyOf, normaliseFields } from './rules.js';
export { REVIEW_WORKING_DAYS, subjectDto } from './service/common.js';
export { register, resubmit } from './service/register.js';
export {
  exportWorkbook,
  get,
  getByIdentityCode,
  identityCard,
  meta,
  mine,
  myIdentityCard,
  myIdentityQr,
  requireActiveSubject,
  requireOwnActiveSubject,
  search,
} from './service/read.js';
export { approve, approveMany, openAccount, reject, rejectReasons, reviewQueue } from './service/review.js';
export { requestCancel, requestChange, requestChangeOnBehalf, requestRevoke } from './service/changes.js';
export { createStaff, listStaff, updateStaff } from './service/staff.js';

// ── files of subjects: the producer itself and regulators in scope may read them (declared in index.ts) ──
export const mayReadSubjectFile: OwnerCheck = async (ctx, ownerId) => {
  const s = await repo.byId(ctx.db, ownerId);
  if (!s) return false;
  if (ctx.actor.orgId === s.org_id) return true;
  return (
    ctx.actor.orgKind !== 'producer' && ctx.actor.verbs.has('subject.read') && inScope(ctx.actor.scope, s.division_code)
  );
};
