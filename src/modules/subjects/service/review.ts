import { audit } from '../../../kernel/audit.js';
import { inScope } from '../../../kernel/auth/scope.js';
import { chinaDate, workingDaysBetween } from '../../../kernel/calendar.js';
import type { Ctx } from '../../../kernel/context.js';
import { mapPage, pageOf } from '../../../kernel/paging.js';
import { Problem, problems } from '../../../kernel/problems.js';
import * as accounts from '../../accounts/service.js';
import * as directory from '../../directory/service.js';
import { identityCode, identitySecret } from '../identity.js';
import { ensureDerivedWithCurrentKey } from '../registry.js';
import * as repo from '../repo.js';
import { changePatch } from '../rules.js';
import { REJECT_REASONS, REJECT_REASON_VALUES, reasonText } from '../review-rules.js';
import type {
  ApproveManyResult,
  OpenAccountInput,
  QueueItem,
  QueueQuery,
  RejectionReason,
  SubjectAction,
} from '../schemas.js';
import { isReviewerOf, subjectFlow } from '../states.js';
import { APPLICATION, SUBJECT, assertActive, isMainAccount, shareSubjects } from './common.js';
import { get } from './read.js';
import { applicationDecided } from './review-queue.js';

/** The county's review: the queue with working-day deadlines, approval and rejection, opening a main account. */

export async function reviewQueue(ctx: Ctx, q: QueueQuery) {
  const today = chinaDate();
  const res = await repo.queue(
    ctx.db,
    {
      scope: ctx.actor.scope,
      within: q.within,
      kind: q.kind,
      // One record opened from the review queue: its applications whatever their status, else the pending ones.
      status: q.status ?? (q.subjectId || q.applicationId ? undefined : 'pending'),
      subjectId: q.subjectId,
      applicationId: q.applicationId,
      overdueBefore: q.overdue ? today : undefined,
    },
    pageOf(q),
  );
  return mapPage(res, (a): QueueItem => {
    const overdue = a.status === 'pending' && today > a.due_date;
    const canDecide = a.status === 'pending' && isReviewerOf(ctx.actor, a.division_code);
    return {
      id: a.id,
      subjectId: a.subject_id,
      subjectName: a.subject_name,
      orgForm: a.org_form,
      subjectStatus: a.subject_status,
      kind: a.kind,
      status: a.status,
      reason: a.reason,
      divisionCode: a.division_code,
      divisionName: a.division_name ?? '',
      submittedAt: a.submitted_at.toISOString(),
      dueDate: a.due_date,
      overdue,
      overdueWorkingDays: overdue ? workingDaysBetween(a.due_date, today) : 0,
      workingDaysLeft: overdue || a.status !== 'pending' ? 0 : workingDaysBetween(today, a.due_date),
      decidedAt: a.decided_at?.toISOString() ?? null,
      decidedByName: a.decided_by_name,
      // The reviewer decides a pending application: the actions of the state table its subject is in.
      allowedActions: canDecide ? subjectFlow.allowedActions(a.subject_status, ['reviewer']) : [],
    };
  });
}

async function loadForDecision(ctx: Ctx, applicationId: string, action: Extract<SubjectAction, 'approve' | 'reject'>) {
  const app = await repo.applicationById(ctx.db, applicationId, true);
  if (!app) throw problems.notFound(...APPLICATION);
  const s = await repo.byId(ctx.db, app.subject_id, true);
  if (!s) throw problems.notFound(...SUBJECT);
  if (!inScope(ctx.actor.scope, s.division_code)) throw problems.outOfJurisdiction(...SUBJECT);
  if (!isReviewerOf(ctx.actor, s.division_code)) throw new Problem('SUBJECT_REVIEW_COUNTY_ONLY');
  const a = subjectFlow.actionLabel(action);
  if (app.status !== 'pending')
    throw new Problem('INVALID_STATE', {
      stateZh: '已处理',
      stateEn: `application ${app.status}`,
      actionZh: a.zh,
      actionEn: a.en,
    });
  const t = subjectFlow.transition(s.status, action, ['reviewer']);
  if (t.kind !== app.kind) {
    const st = subjectFlow.stateLabel(s.status);
    throw new Problem('INVALID_STATE', { stateZh: st.zh, stateEn: st.en, actionZh: a.zh, actionEn: a.en });
  }
  if (app.kind === 'revoke' && app.submitted_by === ctx.actor.id) throw new Problem('SUBJECT_FOUR_EYES');
  return { app, s, t };
}

/**
 * Producer rights open and close with the main account's role: producer_admin while the registration is active,
 * producer_applicant otherwise; sub-accounts are disabled (and logged out) when rights close.
 */
async function setProducerRights(ctx: Ctx, orgId: string, active: boolean) {
  for (const a of await repo.accountsOf(ctx.db, orgId)) {
    if (isMainAccount(a.roles))
      await accounts.setAccountRoles(ctx, a.id, [active ? 'producer_admin' : 'producer_applicant']);
    else if (!active) await accounts.updateAccountDetails(ctx, a.id, { status: 'disabled' });
  }
}

/** 审核通过 approveSubjectApplication: registration → identity code + producer rights; change → applied; cancel/revoke → final. */
export async function approve(ctx: Ctx, applicationId: string, note: string | null) {
  const { app, s, t } = await loadForDecision(ctx, applicationId, 'approve');
  const now = new Date();
  const patch: Parameters<typeof repo.update>[2] = { status: t.to, version: s.version + 1 };
  if (app.kind === 'register') {
    await ensureDerivedWithCurrentKey(ctx);
    const code =
      s.identity_code ??
      identityCode({
        orgForm: s.org_form,
        certType: s.cert_type,
        certNo: s.cert_no,
        personalIdNo: s.legal_person_id_no,
        countyCode: s.division_code,
        secret: await identitySecret(ctx),
      });
    patch.identity_code = code;
    patch.approved_at = now;
    await setProducerRights(ctx, s.org_id, true);
    const main = (await repo.accountsOf(ctx.db, s.org_id)).find((a) => a.roles.includes('producer_admin'));
    if (main && !main.user_code) await accounts.updateAccountDetails(ctx, main.id, { userCode: `${code}-00` });
  } else if (app.kind === 'change') {
    Object.assign(patch, changePatch(app.data as Record<string, unknown>));
    const name = (app.data as { name?: string }).name;
    if (name || patch.division_code)
      await accounts.updateOrganisationDetails(ctx, s.org_id, {
        name: name || undefined,
        divisionCode: patch.division_code as string | undefined,
      });
  } else {
    await setProducerRights(ctx, s.org_id, false);
  }
  await repo.update(ctx.db, s.id, patch);
  await shareSubjects(ctx, [s.id]);
  // The census entry (监管名录) of this producer, if any, now points at its registration.
  if (app.kind === 'register' || app.kind === 'change')
    await directory.linkEntriesToSubject(ctx, s.id, s.division_code);
  await repo.decideApplication(ctx.db, app.id, {
    status: 'approved',
    decided_at: now,
    decided_by: ctx.actor.id,
    decided_by_name: ctx.actor.displayName,
    decision_note: note,
  });
  // The application's item on the review queue (kernel/review.ts) is resolved with it.
  await applicationDecided(ctx, app, s.id, { action: 'approve', reasons: [], comment: note });
  await audit(ctx, {
    verb: 'subject.approve',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: {
      applicationId: app.id,
      kind: app.kind,
      from: s.status,
      to: t.to,
      identityCode: patch.identity_code ?? s.identity_code,
      note,
    },
  });
  return get(ctx, s.id);
}

/**
 * 批量审核通过 Approves a filtered set at once: each application on its own rules; the ones that cannot be approved
 * (decided meanwhile, outside the jurisdiction…) are listed with the reason, the others are approved.
 */
export async function approveMany(ctx: Ctx, ids: string[], note: string | null): Promise<ApproveManyResult> {
  const out: ApproveManyResult = { approved: [], failed: [] };
  for (const id of ids) {
    try {
      await approve(ctx, id, note);
      out.approved.push(id);
    } catch (e) {
      // Every refusal is raised by the checks, before the application's first write.
      if (!(e instanceof Problem)) throw e;
      const p = e.toJSON();
      out.failed.push({ id, code: p.code, message: p.message, messageEn: p.messageEn });
    }
  }
  return out;
}

/** The standard rejection reasons, for the reviewer's picker. */
export const rejectReasons = () =>
  REJECT_REASON_VALUES.map((code) => ({ code, ...REJECT_REASONS[code], field: REJECT_REASONS[code].field ?? null }));

/** 驳回 rejectSubjectApplication: reasons (from the list and/or free text) are required; registration → rejected, others → back. */
export async function reject(ctx: Ctx, applicationId: string, input: RejectionReason[], note: string | null) {
  const reasons = input.map(reasonText);
  if (!reasons.length || reasons.some((r) => r === null))
    throw problems.invalid('reasons', '：请从列表选择或写明驳回原因', ': pick a reason from the list or write one');
  const { app, s, t } = await loadForDecision(ctx, applicationId, 'reject');
  await repo.update(ctx.db, s.id, { status: t.to, version: s.version + 1 });
  await shareSubjects(ctx, [s.id]);
  await repo.decideApplication(ctx.db, app.id, {
    status: 'rejected',
    decided_at: new Date(),
    decided_by: ctx.actor.id,
    decided_by_name: ctx.actor.displayName,
    decision_note: note,
    reasons: JSON.stringify(reasons),
  });
  await applicationDecided(ctx, app, s.id, {
    action: 'return',
    reasons: reasons.flatMap((r) => (r ? [r.reason] : [])),
    comment: note,
  });
  await audit(ctx, {
    verb: 'subject.reject',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { applicationId: app.id, kind: app.kind, from: s.status, to: t.to, reasons },
  });
  return get(ctx, s.id);
}

/**
 * 开通账号 An approved producer without a login (historic import, or registered on paper) gets its main account
 * from its county reviewer: producer_admin, user code -00, password to be changed at first login.
 */
export async function openAccount(ctx: Ctx, id: string, input: OpenAccountInput) {
  const s = await repo.byId(ctx.db, id, true);
  if (!s) throw problems.notFound(...SUBJECT);
  if (!inScope(ctx.actor.scope, s.division_code)) throw problems.outOfJurisdiction(...SUBJECT);
  if (!isReviewerOf(ctx.actor, s.division_code)) throw new Problem('SUBJECT_REVIEW_COUNTY_ONLY');
  assertActive(s);
  const existing = await repo.accountsOf(ctx.db, s.org_id);
  if (existing.some((a) => isMainAccount(a.roles))) throw new Problem('SUBJECT_HAS_ACCOUNT');
  accounts.assertStrongPassword(input.password);
  const username = input.username.trim();
  const { id: accountId } = await accounts.insertAccount(
    ctx,
    {
      username,
      displayName: input.displayName ?? s.contact_name,
      phone: s.contact_phone,
      orgId: s.org_id,
      roles: ['producer_admin'],
      password: input.password,
      mustChangePassword: true,
      userCode: s.identity_code ? `${s.identity_code}-00` : null,
    },
    null,
  );
  await audit(ctx, {
    verb: 'subject.openAccount',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: s.division_code,
    summary: { username, accountId },
  });
  return { accountId, username, mustChangePassword: true };
}
