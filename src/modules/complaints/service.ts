import { randomInt } from 'node:crypto';
import { audit } from '../../kernel/audit.js';
import { assertInScope } from '../../kernel/auth/scope.js';
import { attachFile, registerFileOwner } from '../../kernel/files.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { Problem, problems } from '../../kernel/problems.js';
import { scopeFilter } from '../../kernel/auth/scope.js';
import type { ComplaintStatus } from '../../schema.js';
import { notify } from '../notifications/service.js';
import { supervisionOrgFor } from '../public/routing.js';
import { lookupPublic } from '../public/service.js';

/**
 * Complaints (投诉举报) from the public page: routed to the supervision organisation of the producer's county
 * (seed 003 "监管部门根据权限可以查询本辖区追溯信息"), which accepts, handles and closes them with an outcome.
 *
 *   state      action   next       who
 *   submitted  accept   handling   complaint.handle, in jurisdiction
 *   submitted  close    closed     complaint.handle, in jurisdiction (outcome required)
 *   handling   close    closed     complaint.handle, in jurisdiction (outcome required)
 */
export const TRANSITIONS: { from: ComplaintStatus; action: 'accept' | 'close'; to: ComplaintStatus }[] = [
  { from: 'submitted', action: 'accept', to: 'handling' },
  { from: 'submitted', action: 'close', to: 'closed' },
  { from: 'handling', action: 'close', to: 'closed' },
];
export const CATEGORIES = { quality: '质量问题', counterfeit: '疑似假冒', label: '标签不符', other: '其他' } as const;

export interface ComplaintInput {
  code: string;
  category?: keyof typeof CATEGORIES;
  text: string;
  contactName?: string | null;
  contactPhone?: string | null;
  photoFileId?: string | null;
}

const allowedActions = (ctx: Ctx<Actor | null>, status: ComplaintStatus) =>
  ctx.actor?.verbs.has('complaint.handle') ? TRANSITIONS.filter((t) => t.from === status).map((t) => t.action) : [];

type Row = NonNullable<Awaited<ReturnType<typeof byId>>>;
const byId = (ctx: Ctx<Actor | null>, id: string) =>
  ctx.db.selectFrom('complaint as c').leftJoin('organisation as o', 'o.id', 'c.org_id').selectAll('c').select('o.name as org_name').where('c.id', '=', id).executeTakeFirst();

export const dto = (ctx: Ctx<Actor | null>, c: Row) => ({
  id: c.id, number: c.number, code: c.code, category: c.category, categoryName: CATEGORIES[c.category as keyof typeof CATEGORIES] ?? c.category,
  text: c.text, contactName: c.contact_name, contactPhone: c.contact_phone, photoFileId: c.photo_file_id, divisionCode: c.division_code,
  orgId: c.org_id, orgName: c.org_name, subjectId: c.subject_id, batchId: c.batch_id, status: c.status, outcome: c.outcome,
  handledAt: c.handled_at?.toISOString() ?? null, createdAt: c.created_at.toISOString(), allowedActions: allowedActions(ctx, c.status),
});

registerFileOwner('complaint', async (ctx, id) => {
  const c = await ctx.db.selectFrom('complaint').select('division_code').where('id', '=', id).executeTakeFirst();
  return !!c && ctx.actor.verbs.has('complaint.handle') && c.division_code.startsWith(ctx.actor.scope);
});

/** Public: anyone may complain about a code they hold. Resolves the owner and routes it to its county. */
export async function submitComplaint(ctx: Ctx<Actor | null>, input: ComplaintInput) {
  const text = input.text.trim();
  if (!text) throw problems.invalid('text', '请描述问题', 'describe the problem');
  const r = await lookupPublic(ctx, input.code);
  let batchId: string | null = null;
  if (r.owner.kind !== null && r.owner.serial !== null) {
    batchId = (await ctx.db.selectFrom('trace_code').select('batch_id').where('kind', '=', r.owner.kind).where('serial', '=', r.owner.serial).executeTakeFirst())?.batch_id ?? null;
  }
  // An unknown (possibly counterfeit) code still reaches someone: the platform region's supervision organisation.
  if (r.body.status === 'malformed') throw new Problem('COMPLAINT_NO_TARGET', { field: 'code' });
  const division = r.owner.divisionCode ?? ctx.config.platformRegion;
  const org = await supervisionOrgFor(ctx.db, division);
  const number = `TS${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '')}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
  const row = await ctx.db
    .insertInto('complaint')
    .values({
      number, code: (r.body.code ?? input.code).slice(0, 64), batch_id: batchId, subject_id: r.owner.subjectId, division_code: division, org_id: org?.id ?? null,
      category: input.category ?? 'quality', text, contact_name: input.contactName?.trim() || null, contact_phone: input.contactPhone?.trim() || null,
      photo_file_id: null, outcome: null, handled_by: null, handled_at: null, client_ip: ctx.ip,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.photoFileId) {
    await attachFile(ctx, input.photoFileId, 'complaint', row.id, 'photoFileId');
    await ctx.db.updateTable('complaint').set({ photo_file_id: input.photoFileId }).where('id', '=', row.id).execute();
  }
  if (org) {
    await notify(ctx.db, [{
      orgId: org.id, divisionCode: division, kind: 'complaint', titleZh: `新投诉 ${number}：${CATEGORIES[input.category ?? 'quality']}（${r.body.code ?? input.code}）`,
      titleEn: `New complaint ${number} about ${r.body.code ?? input.code}`, body: text.slice(0, 200), link: `/complaints?id=${row.id}`,
    }]);
  }
  await audit(ctx as Ctx, { verb: 'complaint.submit', targetType: 'complaint', targetId: row.id, divisionCode: division, summary: { number, code: r.body.code ?? input.code, orgId: org?.id ?? null } });
  return { id: row.id, number, status: 'submitted' as const, orgName: org?.name ?? null };
}

export async function listComplaints(ctx: Ctx, q: { status?: ComplaintStatus; page?: number; pageSize?: number }) {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  let base = ctx.db.selectFrom('complaint as c').where((eb) => scopeFilter(eb, 'c.division_code', ctx.actor.scope));
  if (q.status) base = base.where('c.status', '=', q.status);
  const rows = await base.leftJoin('organisation as o', 'o.id', 'c.org_id').selectAll('c').select('o.name as org_name').orderBy('c.created_at', 'desc').limit(pageSize).offset((page - 1) * pageSize).execute();
  const total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { items: rows.map((r) => dto(ctx, r)), total, page, pageSize };
}

export async function getComplaint(ctx: Ctx, id: string) {
  const c = await byId(ctx, id);
  if (!c) throw problems.notFound('投诉', 'Complaint');
  assertInScope(ctx.actor.scope, c.division_code, '投诉', 'complaint');
  return dto(ctx, c);
}

export async function handleComplaint(ctx: Ctx, id: string, input: { action: 'accept' | 'close'; outcome?: string }) {
  const c = await byId(ctx, id);
  if (!c) throw problems.notFound('投诉', 'Complaint');
  assertInScope(ctx.actor.scope, c.division_code, '投诉', 'complaint');
  const t = TRANSITIONS.find((x) => x.from === c.status && x.action === input.action);
  if (!t) throw new Problem('INVALID_STATE', { stateZh: c.status, stateEn: c.status, actionZh: input.action, actionEn: input.action });
  const outcome = input.outcome?.trim() || null;
  if (t.to === 'closed' && !outcome) throw problems.invalid('outcome', '办结须填写处理结果', 'give the outcome to close it');
  await ctx.db.updateTable('complaint').set({ status: t.to, ...(outcome ? { outcome } : {}), handled_by: ctx.actor.id, handled_at: new Date() }).where('id', '=', id).execute();
  await audit(ctx, { verb: 'complaint.handle', targetType: 'complaint', targetId: id, divisionCode: c.division_code, summary: { from: c.status, to: t.to, outcome } });
  return dto(ctx, (await byId(ctx, id)) as Row);
}
