import { audit } from '../../../kernel/audit.js';
import { countyOf, inScope } from '../../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../../kernel/context.js';
import { Problem, problems } from '../../../kernel/problems.js';
import * as regions from '../../regions/service.js';
import * as repo from '../repo.js';
import { COLUMN } from '../rules.js';
import {
  type AgencyChangeInput,
  CHANGEABLE,
  type Changeable,
  type ChangeRequestInput,
  type SubjectAction,
} from '../schemas.js';
import { allowedActions, subjectFlow, whoIs } from '../states.js';
import {
  OWN_SUBJECT,
  SUBJECT,
  applicationDto,
  assertSubjectInScope,
  attachFiles,
  newApplication,
  shareSubjects,
} from './common.js';
import { get, mine } from './read.js';
import { applicationSubmitted } from './review-queue.js';

/** Requests that open an application: the owner's change and cancellation, a regulator's revocation. */

function invalidState(s: repo.SubjectRow, action: SubjectAction): Problem {
  const st = subjectFlow.stateLabel(s.status);
  const a = subjectFlow.actionLabel(action);
  return new Problem('INVALID_STATE', { stateZh: st.zh, stateEn: st.en, actionZh: a.zh, actionEn: a.en });
}

/**
 * The transition for `action` if the actor may take it now: refused as out of jurisdiction when the actor is not who
 * the table names, and as an invalid state otherwise (no such action from here, or the owner's role does not allow it).
 */
function allowedTransition(actor: Actor, s: repo.SubjectRow, action: SubjectAction) {
  const t = subjectFlow.transition(s.status, action, whoIs(actor, s), () => problems.outOfJurisdiction(...SUBJECT));
  if (!allowedActions(actor, s).includes(action)) throw invalidState(s, action);
  return t;
}

/** The caller's own subject, locked, and the transition `action` takes it through. */
export async function ownSubjectFor(ctx: Ctx, action: SubjectAction) {
  const mineRow = await repo.byOrg(ctx.db, ctx.actor.orgId);
  if (!mineRow) throw problems.notFound(...OWN_SUBJECT);
  const s = (await repo.byId(ctx.db, mineRow.id, true)) as repo.SubjectRow;
  return { s, t: allowedTransition(ctx.actor, s, action) };
}

/** 申请变更 An approved producer asks for a change; the county re-reviews; the subject stays usable meanwhile. */
export async function requestChange(ctx: Ctx, input: ChangeRequestInput) {
  const { s } = await ownSubjectFor(ctx, 'requestChange');
  await changeRequest(ctx, s, input, null);
  return mine(ctx);
}

/** A change request entered by an authorised service agency for the producer (agencies module checks the grant). */
export async function requestChangeOnBehalf(
  ctx: Ctx,
  subjectId: string,
  input: AgencyChangeInput,
  agencyOrgName: string,
) {
  const s = await repo.byId(ctx.db, subjectId, true);
  if (!s) throw problems.notFound(...SUBJECT);
  // The agency acts for the owner: the state must allow a change, whoever asks.
  subjectFlow.transition(s.status, 'requestChange', () => true);
  await changeRequest(ctx, s, input, s.id, agencyOrgName);
  const row = (await repo.byId(ctx.db, s.id)) as repo.SubjectRow;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    applications: (await repo.applicationsOf(ctx.db, s.id)).map(applicationDto),
  };
}

async function changeRequest(
  ctx: Ctx,
  s: repo.SubjectRow,
  input: ChangeRequestInput | AgencyChangeInput,
  onBehalfOf: string | null,
  agencyOrgName?: string,
) {
  const changes = Object.fromEntries(
    Object.entries(input.changes).filter(([k, v]) => (CHANGEABLE as readonly string[]).includes(k) && v !== undefined),
  ) as Partial<Record<Changeable, unknown>>;
  if (!Object.keys(changes).length) throw problems.invalid('changes', '：没有要变更的内容', ': nothing to change');
  if (typeof changes.divisionCode === 'string') {
    if (!inScope(countyOf(s.division_code) ?? s.division_code, changes.divisionCode))
      throw problems.invalid(
        'changes.divisionCode',
        '：跨县迁移请先注销再到新县注册',
        ': moving to another county needs cancellation and a new registration there',
      );
    await regions.assertExists(ctx, changes.divisionCode, 'changes.divisionCode');
  }
  const before = Object.fromEntries(Object.keys(changes).map((k) => [k, s[COLUMN[k as Changeable]]]));
  await attachFiles(ctx, s.id, 'files' in input ? input.files : undefined);
  const app = await newApplication(ctx, {
    subjectId: s.id,
    kind: 'change',
    division: s.division_code,
    data: { ...changes, before },
    reason: input.reason,
    submittedBy: ctx.actor.id,
    enteredByOrg: agencyOrgName ? `${agencyOrgName}（${ctx.actor.displayName}）` : null,
  });
  await repo.update(ctx.db, s.id, {
    status: subjectFlow.transition(s.status, 'requestChange', () => true).to,
    version: s.version + 1,
  });
  await shareSubjects(ctx, [s.id]);
  await applicationSubmitted(ctx, { ...app, kind: 'change' }, s, { orgId: s.org_id, collectorId: ctx.actor.id });
  await audit(ctx, {
    verb: 'subject.requestChange',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { applicationId: app.id, changes, before },
    onBehalfOf,
  });
}

/** 申请注销 The producer asks to cancel its registration. */
export async function requestCancel(ctx: Ctx, reason: string) {
  const { s, t } = await ownSubjectFor(ctx, 'requestCancel');
  const app = await newApplication(ctx, {
    subjectId: s.id,
    kind: 'cancel',
    division: s.division_code,
    data: {},
    reason,
    submittedBy: ctx.actor.id,
  });
  await repo.update(ctx.db, s.id, { status: t.to, version: s.version + 1 });
  await shareSubjects(ctx, [s.id]);
  await applicationSubmitted(ctx, { ...app, kind: 'cancel' }, s, { orgId: s.org_id, collectorId: ctx.actor.id });
  await audit(ctx, {
    verb: 'subject.requestCancel',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { applicationId: app.id, reason },
  });
  return mine(ctx);
}

/** 提请撤销 A regulator proposes revocation (false information, violations); another county reviewer decides. */
export async function requestRevoke(ctx: Ctx, id: string, reason: string) {
  const s = await repo.byId(ctx.db, id, true);
  if (!s) throw problems.notFound(...SUBJECT);
  assertSubjectInScope(ctx.actor, s);
  const t = allowedTransition(ctx.actor, s, 'requestRevoke');
  const app = await newApplication(ctx, {
    subjectId: s.id,
    kind: 'revoke',
    division: s.division_code,
    data: {},
    reason,
    submittedBy: ctx.actor.id,
  });
  await repo.update(ctx.db, s.id, { status: t.to, version: s.version + 1 });
  await shareSubjects(ctx, [s.id]);
  // The proposing regulator's organisation entered it; its proposer may not decide it (four eyes, 第十二条).
  await applicationSubmitted(ctx, { ...app, kind: 'revoke' }, s, {
    orgId: ctx.actor.orgId,
    collectorId: ctx.actor.id,
  });
  await audit(ctx, {
    verb: 'subject.requestRevoke',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { applicationId: app.id, reason },
  });
  return get(ctx, s.id);
}
