import { audit } from '../../../kernel/audit.js';
import { countyOf } from '../../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../../kernel/context.js';
import { Problem, problems } from '../../../kernel/problems.js';
import * as accounts from '../../accounts/service.js';
import * as regions from '../../regions/service.js';
import * as repo from '../repo.js';
import { type CertType, FILE_KINDS } from '../tables.js';
import { missingProofs } from '../review-rules.js';
import { normaliseFields, snapshot } from '../rules.js';
import type { RegisterInput, ResubmitInput } from '../schemas.js';
import { STATUS_LABELS } from '../states.js';
import { assertNoDuplicate, attachFiles, newApplication, shareSubjects } from './common.js';
import { ownSubjectFor } from './changes.js';
import { assertNotRegisteredElsewhere } from '../registry.js';
import { mine } from './read.js';
import { applicationSubmitted } from './review-queue.js';

/** 第八条 上传证明材料: the proofs the certificate needs must be among the files (sent now or already on the record). */
function assertProofs(certType: CertType, kinds: readonly string[]) {
  const missing = missingProofs(certType, kinds);
  if (missing.length)
    throw problems.invalid(
      'files',
      `缺少证明材料：${missing.map((k) => FILE_KINDS[k].zh).join('、')}`,
      `are missing the proof: ${missing.map((k) => FILE_KINDS[k].en).join(', ')}`,
    );
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === '23505';
}

/**
 * 主体注册 Self-registration: one transaction creates the producer organisation, its main account (as
 * producer_applicant: it can log in to follow and correct the application, nothing else), the subject in status
 * `pending`, its proof files and the registration application with a 5-working-day deadline.
 */
export async function register(ctx: Ctx<Actor | null>, input: RegisterInput) {
  const n = normaliseFields(input);
  assertProofs(
    n.values.cert_type,
    (input.files ?? []).map((f) => f.kind),
  );
  await regions.assertExists(ctx, n.values.division_code, 'divisionCode');
  accounts.assertStrongPassword(input.password);
  await assertNoDuplicate(ctx, n);
  const username = input.username.trim();
  await accounts.assertUsernameFree(ctx, username);
  const checked = await assertNotRegisteredElsewhere(ctx, n);
  try {
    const org = await accounts.insertOrganisation(
      ctx,
      {
        name: n.values.name,
        kind: 'producer',
        divisionCode: n.values.division_code,
        contactName: n.values.contact_name,
        contactPhone: n.values.contact_phone,
        address: n.values.address,
      },
      null,
    );
    const account = await accounts.insertAccount(
      ctx,
      {
        username,
        displayName: n.values.contact_name,
        phone: n.values.contact_phone,
        orgId: org.id,
        roles: ['producer_applicant'],
        password: input.password,
        mustChangePassword: false,
        passwordChangedAt: new Date(),
      },
      null,
    );
    const subject = await repo.insert(ctx.db, {
      ...n.values,
      org_id: org.id,
      status: 'pending',
      identity_code: null,
      approved_at: null,
      source: 'self',
      source_ref: null,
      created_by: account.id,
    });
    await attachFiles(ctx, subject.id, input.files);
    const app = await newApplication(ctx, {
      subjectId: subject.id,
      kind: 'register',
      division: n.values.division_code,
      data: checked ? snapshot(n) : { ...snapshot(n), registryUnchecked: true },
      reason: null,
      submittedBy: ctx.actor?.id ?? account.id,
    });
    await shareSubjects(ctx, [subject.id]);
    await applicationSubmitted(
      ctx,
      { id: app.id, kind: 'register', due_date: app.due_date },
      { id: subject.id, name: n.values.name, org_id: org.id, division_code: n.values.division_code },
      { orgId: org.id, collectorId: account.id },
    );
    await audit(ctx, {
      verb: 'subject.register',
      targetType: 'subject',
      targetId: subject.id,
      divisionCode: n.values.division_code,
      summary: {
        name: n.values.name,
        orgForm: n.values.org_form,
        username,
        applicationId: app.id,
        dueDate: app.due_date,
        // The national registry could not be asked: accepted provisionally (docs/subjects.md "One registry").
        ...(checked ? {} : { registryUnchecked: true }),
      },
      actor: ctx.actor ?? { id: account.id, username, orgId: org.id },
    });
    return {
      subjectId: subject.id,
      applicationId: app.id,
      username,
      status: 'pending' as const,
      dueDate: app.due_date,
    };
  } catch (err) {
    // A concurrent registration won the race: the transaction is aborted, so answer from the constraint's name.
    if (isUniqueViolation(err)) {
      const constraint = (err as { constraint?: string }).constraint ?? '';
      if (constraint.startsWith('account_username'))
        throw problems.duplicate('用户名', 'Username', username, 'username');
      throw new Problem('SUBJECT_DUPLICATE', {
        field: 'certNo',
        certZh: '证件号码',
        certEn: 'certificate number',
        statusZh: STATUS_LABELS.pending.zh,
        statusEn: STATUS_LABELS.pending.en,
      });
    }
    throw err;
  }
}

/** 修改后重新提交 A rejected applicant corrects the registration and submits again (new deadline). */
export async function resubmit(ctx: Ctx, input: ResubmitInput) {
  const { s, t } = await ownSubjectFor(ctx, 'resubmit');
  if (input.expectedVersion !== undefined && input.expectedVersion !== s.version)
    throw new Problem('STALE_VERSION', { field: 'expectedVersion' });
  const n = normaliseFields(input);
  const onRecord = (await repo.filesOf(ctx.db, s.id)).map((f) => f.kind);
  assertProofs(n.values.cert_type, [...onRecord, ...(input.files ?? []).map((f) => f.kind)]);
  if (countyOf(n.values.division_code) !== countyOf(s.division_code))
    await regions.assertExists(ctx, n.values.division_code, 'divisionCode');
  await assertNoDuplicate(ctx, n, s.id);
  await assertNotRegisteredElsewhere(ctx, n, s.id);
  await repo.update(ctx.db, s.id, { ...n.values, status: t.to, version: s.version + 1 });
  await shareSubjects(ctx, [s.id]);
  await accounts.updateOrganisationDetails(ctx, s.org_id, {
    name: n.values.name,
    divisionCode: n.values.division_code,
  });
  await attachFiles(ctx, s.id, input.files);
  const app = await newApplication(ctx, {
    subjectId: s.id,
    kind: 'register',
    division: n.values.division_code,
    data: snapshot(n),
    reason: null,
    submittedBy: ctx.actor.id,
  });
  await applicationSubmitted(
    ctx,
    { id: app.id, kind: 'register', due_date: app.due_date },
    { id: s.id, name: n.values.name, org_id: s.org_id, division_code: n.values.division_code },
    { orgId: s.org_id, collectorId: ctx.actor.id },
  );
  await audit(ctx, {
    verb: 'subject.resubmit',
    targetType: 'subject',
    targetId: s.id,
    divisionCode: n.values.division_code,
    summary: { applicationId: app.id, dueDate: app.due_date },
  });
  return mine(ctx);
}
