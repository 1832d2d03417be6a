import type { Kysely } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { inScope } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import { appendEvent } from '../batches/events.js';
import { batchById } from '../batches/service.js';
import { producerOf, readScopeOf } from '../catalog/owner.js';
import { codeText } from '../codes/service.js';
import { countyRegulators, notify } from '../notifications/service.js';
import { reportProgress } from './progress.js';
import * as repo from './repo.js';
import type { RecallOpenerKind } from './tables.js';
import type { AcknowledgeInput, CloseInput, OpenRecallInput, Recall, RecallListItem, RecallQuery } from './schemas.js';
import { OPENER_LABELS, type RecallRole, levelLabel, noticeWorkflow, recallWorkflow, step } from './states.js';

/**
 * Recall (产品可召回, seed 002): a regulator (for a batch inside its jurisdiction) or a producer (for its own batch)
 * opens a recall → the forward trace marks the batch and every descendant (recall_batch, read by the public page
 * through `recallWarnings` / the view batch_recall_status) → one notice per downstream holder: registered subjects
 * are notified in the platform, outside parties (unregistered buyers, markets) are listed with their contacts for
 * phone calls → holders acknowledge (and say how much they recovered) → progress → report (Excel, PDF; report.ts)
 * → close. The state tables are states.ts.
 */

/** For the public page (issue 6): open recalls covering any of these batches. */
export async function recallWarnings(db: Kysely<DB>, batchIds: string[]) {
  if (!batchIds.length) return new Map<string, { number: string; level: number; reason: string; openedAt: string }>();
  const rows = await repo.openRecallsOf(db, batchIds);
  return new Map(
    rows.map((r) => [
      r.batch_id,
      { number: r.number, level: r.level, reason: r.reason, openedAt: r.opened_at.toISOString() },
    ]),
  );
}

export async function openRecall(ctx: Ctx, input: OpenRecallInput): Promise<Recall> {
  const b = await batchById(ctx.db, input.batchId);
  if (!b) throw problems.notFound('批次', 'Batch');
  let openerKind: 'producer' | 'regulator' = 'regulator';
  if (ctx.actor.orgKind === 'producer') {
    const me = await producerOf(ctx, 'own');
    if (b.subject_id !== me.id) throw new Problem('NOT_YOUR_BATCH', { field: 'batchId' });
    openerKind = 'producer';
  } else if (!inScope(ctx.actor.scope, b.division_code)) throw problems.outOfJurisdiction('批次', 'batch');
  const [already] = await repo.openRecallsOf(ctx.db, [b.id]);
  if (already) throw new Problem('RECALL_ALREADY_OPEN', { number: already.number, field: 'batchId' });
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const number = `ZH${day}${String((await repo.countNumbered(ctx.db, `ZH${day}`)) + 1).padStart(4, '0')}`;
  const id = await coverAndNotify(ctx, b, {
    number,
    level: input.level ?? 2,
    reason: input.reason,
    openerKind,
    openedByPlatform: null,
  });
  await audit(ctx, {
    verb: 'recall.open',
    targetType: 'recall',
    targetId: id,
    divisionCode: b.division_code,
    summary: { number, batchId: b.id, reason: input.reason, level: input.level ?? 2 },
  });
  return getRecall(ctx, id);
}

/**
 * Opens a recall of a batch here: covers it and every descendant, notices every holder, notifies them and the
 * county regulators, records the recalling event. `ctx.actor` is null for a recall opened on an upper platform
 * (network.ts), which arrives as a message.
 */
export async function coverAndNotify(
  ctx: Ctx<Actor | null>,
  b: NonNullable<Awaited<ReturnType<typeof batchById>>>,
  o: {
    number: string;
    level: number;
    reason: string;
    openerKind: RecallOpenerKind;
    openedByPlatform: string | null;
    networkRecallId?: string;
  },
): Promise<string> {
  const { number, level } = o;
  const input = { reason: o.reason };
  const openerKind = o.openerKind;
  const recall = await repo.insertRecall(ctx.db, {
    number,
    batch_id: b.id,
    subject_id: b.subject_id,
    division_code: b.division_code,
    opener_kind: openerKind,
    opener_org_id: ctx.actor?.orgId ?? null,
    level,
    reason: input.reason,
    opened_by: ctx.actor?.id ?? null,
    opened_by_platform: o.openedByPlatform,
    network_recall_id: o.networkRecallId ?? null,
    closed_at: null,
    closed_by: null,
    close_note: null,
  });
  await repo.coverDescendants(ctx.db, recall.id, b.id);
  await repo.noticeOwners(ctx.db, recall.id);
  await repo.noticeBuyers(ctx.db, recall.id);
  const holders = await repo.holderOrgs(ctx.db, recall.id);
  const title = {
    titleZh: `召回通知 ${number}：${b.product_name}（${levelLabel(level).zh}）`,
    titleEn: `Recall ${number}: ${b.product_name}`,
    body: input.reason,
    link: `/chain/recalls/${recall.id}`,
    kind: 'recall.notice',
  };
  await notify(ctx.db, [
    ...holders.map((h) => ({ ...title, orgId: h.org_id, divisionCode: h.division_code })),
    ...(await countyRegulators(ctx.db, b.division_code))
      .filter((org) => org !== ctx.actor?.orgId)
      .map((o) => ({ ...title, orgId: o, divisionCode: b.division_code })),
  ]);
  await appendEvent(ctx, {
    eventType: 'object',
    action: 'OBSERVE',
    bizStep: 'recalling',
    stage: 'storage',
    disposition: 'recalled',
    eventTime: new Date(),
    subjectId: b.subject_id,
    divisionCode: b.division_code,
    batchId: b.id,
    bizTx: [{ type: 'recall', id: number }],
    payload: {
      reason: input.reason,
      level,
      openerKind,
      ...(o.openedByPlatform ? { openedBy: o.openedByPlatform } : {}),
    },
  });
  return recall.id;
}

/** The recall if the caller may see it: its producer, a holder, or a regulator of its division. */
async function visibleRecall(ctx: Ctx, id: string) {
  const r = await repo.recallById(ctx.db, id);
  if (!r) throw problems.notFound('召回', 'Recall');
  const rs = await readScopeOf(ctx);
  let holder = false;
  if ('subjectId' in rs) {
    holder = (await repo.noticesOfHolder(ctx.db, id, rs.subjectId)).length > 0;
    if (r.subject_id !== rs.subjectId && !holder) throw problems.outOfJurisdiction('召回', 'recall');
  } else if (!inScope(rs.scope, r.division_code)) throw problems.outOfJurisdiction('召回', 'recall');
  return { r, subjectId: 'subjectId' in rs ? rs.subjectId : null, holder };
}

/** The organisation that opened the recall, or a regulator whose jurisdiction holds the batch. */
const isOpener = (ctx: Ctx, r: { opener_org_id: string | null; division_code: string }) =>
  r.opener_org_id === ctx.actor.orgId ||
  (ctx.actor.orgKind !== 'producer' && inScope(ctx.actor.scope, r.division_code));

const batchCodeKind = (kind: string | null) => (kind === 'circulation' ? 'circulation' : 'production');

export async function getRecall(ctx: Ctx, id: string): Promise<Recall> {
  const { r, subjectId, holder } = await visibleRecall(ctx, id);
  const notices = await repo.notices(ctx.db, id);
  const batches = await repo.countCovered(ctx.db, id);
  const inPlatform = notices.filter((n) => n.status !== 'external');
  const acknowledged = notices.filter((n) => n.status === 'acknowledged').length;
  const roles: RecallRole[] = [];
  if (holder && notices.some((n) => n.holder_subject_id === subjectId && n.status === 'notified')) roles.push('holder');
  if (isOpener(ctx, r)) roles.push('opener');
  const status = recallWorkflow.stateLabel(r.status);
  const level = levelLabel(r.level);
  return {
    id: r.id,
    number: r.number,
    batchId: r.batch_id,
    batchNo: r.batch_no,
    code: r.code_serial === null ? null : codeText(ctx.config, batchCodeKind(r.batch_kind), Number(r.code_serial)),
    productName: r.product_name,
    subjectName: r.subject_name,
    divisionCode: r.division_code,
    openerKind: r.opener_kind,
    openerKindName: OPENER_LABELS[r.opener_kind].zh,
    openerKindNameEn: OPENER_LABELS[r.opener_kind].en,
    level: r.level,
    levelName: level.zh,
    levelNameEn: level.en,
    reason: r.reason,
    status: r.status,
    statusName: status.zh,
    statusNameEn: status.en,
    openedAt: r.opened_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    progress: {
      batches,
      holders: inPlatform.length,
      acknowledged,
      external: notices.length - inPlatform.length,
      percent: inPlatform.length ? Math.round((acknowledged / inPlatform.length) * 100) : 100,
      recovered: notices.reduce((s, n) => s + Number(n.recovered_quantity ?? 0), 0),
    },
    notices: notices
      .filter((n) => subjectId === null || r.subject_id === subjectId || n.holder_subject_id === subjectId)
      .map((n) => {
        const s = noticeWorkflow.stateLabel(n.status);
        return {
          id: n.id,
          holderSubjectId: n.holder_subject_id,
          holderName: n.holder_name,
          contactName: n.contact_name,
          phone: n.phone,
          divisionCode: n.division_code,
          batchId: n.batch_id,
          batchNo: n.batch_no,
          code:
            n.code_serial === null || n.code_serial === undefined
              ? n.voucher_serial
                ? codeText(ctx.config, 'voucher', Number(n.voucher_serial))
                : null
              : codeText(ctx.config, batchCodeKind(n.batch_kind), Number(n.code_serial)),
          saleId: n.sale_id,
          quantity: n.quantity === null ? null : Number(n.quantity),
          unit: n.unit,
          status: n.status,
          statusName: s.zh,
          statusNameEn: s.en,
          acknowledgedAt: n.acknowledged_at?.toISOString() ?? null,
          recoveredQuantity: n.recovered_quantity === null ? null : Number(n.recovered_quantity),
          note: n.note,
        };
      }),
    allowedActions: recallWorkflow.allowedActions(r.status, roles),
  };
}

export async function listRecalls(ctx: Ctx, q: RecallQuery): Promise<Paged<RecallListItem>> {
  const rs = await readScopeOf(ctx);
  const page = await repo.listRecalls(ctx.db, rs, { status: q.status }, pageOf(q));
  return mapPage(page, (r) => {
    const status = recallWorkflow.stateLabel(r.status);
    return {
      id: r.id,
      number: r.number,
      status: r.status,
      statusName: status.zh,
      statusNameEn: status.en,
      level: r.level,
      reason: r.reason,
      openedAt: r.opened_at.toISOString(),
      divisionCode: r.division_code,
      batchNo: r.batch_no,
      productName: r.product_name,
      holders: Number(r.holders ?? 0),
      acknowledged: Number(r.acknowledged ?? 0),
    };
  });
}

export async function acknowledgeRecall(ctx: Ctx, id: string, input: AcknowledgeInput): Promise<Recall> {
  const me = await producerOf(ctx, 'own');
  const { r } = await visibleRecall(ctx, id);
  step(() => recallWorkflow.transition(r.status, 'acknowledge', ['holder']));
  const mine = await repo.noticesOfHolder(ctx.db, id, me.id);
  if (!mine.length) throw new Problem('NOT_A_RECALL_HOLDER');
  const pending = mine.some((n) => n.status === 'notified') ? 'notified' : mine[0].status;
  const t = step(() => noticeWorkflow.transition(pending, 'acknowledge', ['holder']));
  const n = await repo.acknowledgeNotices(ctx.db, id, me.id, {
    status: t.to,
    acknowledged_at: new Date(),
    acknowledged_by: ctx.actor.id,
    recovered_quantity: input.recoveredQuantity ?? null,
    note: input.note ?? null,
  });
  // Acknowledged meanwhile (another click or device): the notice is no longer pending.
  if (n === 0) step(() => noticeWorkflow.transition('acknowledged', 'acknowledge', ['holder']));
  const opener = r.opener_org_id ? await repo.organisationById(ctx.db, r.opener_org_id) : undefined;
  if (opener)
    await notify(ctx.db, [
      {
        orgId: opener.id,
        kind: 'recall.acknowledged',
        titleZh: `${me.name}已确认召回通知 ${r.number}`,
        titleEn: `${me.name} acknowledged recall ${r.number}`,
        link: `/chain/recalls/${id}`,
        divisionCode: opener.division_code,
      },
    ]);
  await audit(ctx, {
    verb: 'recall.acknowledge',
    targetType: 'recall',
    targetId: id,
    divisionCode: r.division_code,
    summary: { notices: n, recoveredQuantity: input.recoveredQuantity ?? null },
  });
  await reportProgress(ctx, id);
  return getRecall(ctx, id);
}

export async function closeRecall(ctx: Ctx, id: string, input: CloseInput): Promise<Recall> {
  const { r } = await visibleRecall(ctx, id);
  if (!isOpener(ctx, r)) throw problems.outOfJurisdiction('召回', 'recall');
  const t = step(() => recallWorkflow.transition(r.status, 'close', ['opener']));
  await repo.updateRecall(ctx.db, id, {
    status: t.to,
    closed_at: new Date(),
    closed_by: ctx.actor.id,
    close_note: input.note,
  });
  await audit(ctx, {
    verb: 'recall.open',
    targetType: 'recall',
    targetId: id,
    divisionCode: r.division_code,
    summary: { closed: true, note: input.note },
  });
  await reportProgress(ctx, id);
  return getRecall(ctx, id);
}
