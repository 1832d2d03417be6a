import { randomInt } from 'node:crypto';
import { audit } from '../../kernel/audit.js';
import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { attachFile } from '../../kernel/files.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import { notify } from '../notifications/service.js';
import { supervisionOrgFor } from '../public/routing.js';
import { lookupPublic } from '../public/service.js';
import * as repo from './repo.js';
import * as regions from '../regions/service.js';
import {
  ABOUT_LABELS,
  CATEGORY_LABELS,
  type Complaint,
  type ComplaintActionInput,
  type ComplaintInput,
  type ComplaintQuery,
  type ComplaintStatusView,
  type Submitted,
} from './schemas.js';
import { complaintWorkflow } from './states.js';
import type { ComplaintCategory } from './tables.js';

/**
 * Complaints (投诉举报) from the public page: routed to the supervision organisation of the producer's county
 * (seed 003 "监管部门根据权限可以查询本辖区追溯信息"), which accepts, handles and closes them with an outcome
 * (the state table is states.ts).
 */
const categoryLabel = (c: string) => CATEGORY_LABELS[c as ComplaintCategory] ?? { zh: c, en: c };

export const dto = (ctx: Ctx<Actor | null>, c: repo.ComplaintRow): Complaint => {
  const status = complaintWorkflow.stateLabel(c.status);
  const category = categoryLabel(c.category);
  return {
    id: c.id,
    number: c.number,
    code: c.code,
    about: c.about,
    aboutZh: ABOUT_LABELS[c.about].zh,
    aboutEn: ABOUT_LABELS[c.about].en,
    aboutName: c.about_name,
    place: c.place,
    category: c.category,
    categoryName: category.zh,
    categoryNameEn: category.en,
    text: c.text,
    contactName: c.contact_name,
    contactPhone: c.contact_phone,
    photoFileId: c.photo_file_id,
    divisionCode: c.division_code,
    orgId: c.org_id,
    orgName: c.org_name,
    subjectId: c.subject_id,
    batchId: c.batch_id,
    status: c.status,
    statusName: status.zh,
    statusNameEn: status.en,
    outcome: c.outcome,
    handledAt: c.handled_at?.toISOString() ?? null,
    createdAt: c.created_at.toISOString(),
    allowedActions: ctx.actor?.verbs.has('complaint.handle')
      ? complaintWorkflow.allowedActions(c.status, ['handler'])
      : [],
  };
};

/** Who may read a complaint's photo: a complaint handler whose jurisdiction holds the complaint. */
export async function mayReadComplaintFile(ctx: Ctx, id: string): Promise<boolean> {
  const division = await repo.divisionOf(ctx.db, id);
  return division !== null && ctx.actor.verbs.has('complaint.handle') && inScope(ctx.actor.scope, division);
}

/**
 * Public: anyone may complain (seed 000 art. 26) — about a product by the code it carries, or without a code about a
 * producer, an information collector or a service agency. A code routes it to the owner's county; without one, the
 * place picked (a division) or the platform's region does.
 */
export async function submitComplaint(ctx: Ctx<Actor | null>, input: ComplaintInput): Promise<Submitted> {
  const text = input.text.trim();
  if (!text) throw problems.invalid('text', '请描述问题', 'describe the problem');
  const about = input.about ?? 'product';
  const aboutName = input.aboutName?.trim() || null;
  const codeText = input.code?.trim() || null;
  if (!codeText && about === 'product') throw new Problem('COMPLAINT_NO_TARGET', { field: 'code' });
  if (!codeText && !aboutName)
    throw problems.invalid(
      'aboutName',
      '没有追溯码时，请填写被投诉的主体、采集人员或服务机构的名称',
      'is required without a code: name the producer, collector or agency',
    );
  if (input.divisionCode) await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  const r = codeText ? await lookupPublic(ctx, codeText) : null;
  const batchId =
    r && r.owner.kind !== null && r.owner.serial !== null
      ? await repo.batchOfCode(ctx.db, r.owner.kind, r.owner.serial)
      : null;
  // An unknown (possibly counterfeit) code still reaches someone: the platform region's supervision organisation.
  if (r?.body.status === 'malformed') throw new Problem('COMPLAINT_NO_TARGET', { field: 'code' });
  const division = r?.owner.divisionCode ?? input.divisionCode ?? ctx.config.platformRegion;
  const org = await supervisionOrgFor(ctx.db, division);
  const number = `TS${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  const category = input.category ?? 'quality';
  const row = await repo.insertComplaint(ctx.db, {
    number,
    code: codeText ? (r?.body.code ?? codeText).slice(0, 64) : null,
    about,
    about_name: aboutName,
    place: input.place?.trim() || null,
    batch_id: batchId,
    subject_id: r?.owner.subjectId ?? null,
    division_code: division,
    org_id: org?.id ?? null,
    category,
    text,
    contact_name: input.contactName?.trim() || null,
    contact_phone: input.contactPhone?.trim() || null,
    photo_file_id: null,
    outcome: null,
    handled_by: null,
    handled_at: null,
    client_ip: ctx.ip,
  });
  if (input.photoFileId) {
    await attachFile(ctx, input.photoFileId, 'complaint', row.id, 'photoFileId');
    await repo.updateComplaint(ctx.db, row.id, { photo_file_id: input.photoFileId });
  }
  if (org) {
    await notify(ctx.db, [
      {
        orgId: org.id,
        divisionCode: division,
        kind: 'complaint',
        titleZh: `新投诉 ${number}：${CATEGORY_LABELS[category].zh}（${r?.body.code ?? codeText ?? `${ABOUT_LABELS[about].zh} ${aboutName}`}）`,
        titleEn: `New complaint ${number} about ${r?.body.code ?? codeText ?? `${ABOUT_LABELS[about].en} ${aboutName}`}`,
        body: text.slice(0, 200),
        link: `/complaints?id=${row.id}`,
      },
    ]);
  }
  await audit(ctx as Ctx, {
    verb: 'complaint.submit',
    targetType: 'complaint',
    targetId: row.id,
    divisionCode: division,
    targetName: number,
    summary: { action: 'submit' },
    after: { about: ABOUT_LABELS[about].zh, aboutName, code: r?.body.code ?? codeText, routedTo: org?.name ?? null },
  });
  return { id: row.id, number, status: 'submitted', orgName: org?.name ?? null };
}

export async function listComplaints(ctx: Ctx, q: ComplaintQuery): Promise<Paged<Complaint>> {
  const page = await repo.listComplaints(ctx.db, ctx.actor.scope, { status: q.status }, pageOf(q));
  return mapPage(page, (c) => dto(ctx, c));
}

async function complaintInScope(ctx: Ctx, id: string) {
  const c = await repo.complaintById(ctx.db, id);
  if (!c) throw problems.notFound('投诉', 'Complaint');
  assertInScope(ctx.actor.scope, c.division_code, '投诉', 'complaint');
  return c;
}

export async function getComplaint(ctx: Ctx, id: string): Promise<Complaint> {
  return dto(ctx, await complaintInScope(ctx, id));
}

export async function handleComplaint(ctx: Ctx, id: string, input: ComplaintActionInput): Promise<Complaint> {
  const c = await complaintInScope(ctx, id);
  const t = complaintWorkflow.transition(c.status, input.action, ['handler']);
  const outcome = input.outcome?.trim() || null;
  if (t.to === 'closed' && !outcome)
    throw problems.invalid('outcome', '办结须填写处理结果', 'give the outcome to close it');
  await repo.updateComplaint(ctx.db, id, {
    status: t.to,
    ...(outcome ? { outcome } : {}),
    handled_by: ctx.actor.id,
    handled_at: new Date(),
  });
  await audit(ctx, {
    verb: 'complaint.handle',
    targetType: 'complaint',
    targetId: id,
    divisionCode: c.division_code,
    targetName: c.number,
    summary: { action: input.action },
    before: { status: complaintWorkflow.stateLabel(c.status).zh },
    after: { status: complaintWorkflow.stateLabel(t.to).zh, ...(outcome ? { outcome } : {}) },
  });
  return dto(ctx, (await repo.complaintById(ctx.db, id)) as repo.ComplaintRow);
}

/** Public: the status of a complaint by its number (the complainant follows it up; no personal data is shown). */
export async function complaintStatus(ctx: Ctx<Actor | null>, number: string): Promise<ComplaintStatusView> {
  const c = await repo.complaintByNumber(ctx.db, number.trim().toUpperCase());
  if (!c) throw problems.notFound(`投诉 ${number.slice(0, 40)}`, `Complaint ${number.slice(0, 40)}`);
  const status = complaintWorkflow.stateLabel(c.status);
  const category = categoryLabel(c.category);
  return {
    number: c.number,
    status: c.status,
    statusName: status.zh,
    statusNameEn: status.en,
    aboutZh: ABOUT_LABELS[c.about].zh,
    aboutEn: ABOUT_LABELS[c.about].en,
    categoryName: category.zh,
    categoryNameEn: category.en,
    orgName: c.org_name,
    outcome: c.status === 'closed' ? c.outcome : null,
    createdAt: c.created_at.toISOString(),
    handledAt: c.handled_at?.toISOString() ?? null,
  };
}
