import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { audit, auditOutsideRequest } from '../../kernel/audit.js';
import { assertInScope } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { mapPage, pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import { countyRegulators, notify, orgsOfSubjects } from '../notifications/service.js';
import { resourceNamer } from './catalog.js';
import * as repo from './corrections-repo.js';
import { platformIdOf } from './identity.js';
import type {
  Correction,
  CorrectionAnswerInput,
  CorrectionInput,
  CorrectionQuery,
  CorrectionReport,
  InboundBatch,
  WireCorrection,
} from './schemas.js';

/**
 * Corrections requested from above (更正请求, issue 14 item 5). The lower platform stays the system of record: an
 * upper platform's regulator asks for a correction of a shared-in record; the request rides down the signed sharing
 * channel (in the answer to the lower platform's next push, resent until the lower acknowledges it on its following
 * push; a county's record goes via its province), becomes a notification for the owning organisation and the county
 * regulators at the origin platform, and nothing is overwritten anywhere. It shows corrected (已更正) when a newer
 * version of the record arrives (the origin's own user edited it), or answered (已答复) when the origin answers.
 */

const LABELS: Record<string, { zh: string; en: string }> = {
  open: { zh: '待处理', en: 'Open' },
  corrected: { zh: '已更正', en: 'Corrected' },
  answered: { zh: '已答复', en: 'Answered' },
};

const meOf = (config: Pick<Config, 'platformTier' | 'platformRegion'>) =>
  platformIdOf(config.platformTier, config.platformRegion);

type Namer = Awaited<ReturnType<typeof resourceNamer>>;

function dto(r: repo.CorrectionRow & { effective_status: string }, me: string, names: Namer): Correction {
  const status = r.effective_status as Correction['status'];
  return {
    id: r.id,
    direction: r.from_upper ? 'received' : 'sent',
    originPlatform: r.origin_platform,
    resource: r.resource,
    resourceLabel: names.resource(r.resource),
    recordId: r.record_id,
    version: r.version,
    divisionCode: r.division_code,
    fields: r.fields,
    fieldLabels: r.fields.map((f) => names.field(r.resource, f)),
    reason: r.reason,
    requestedByPlatform: r.requested_by_platform,
    requestedByName: r.requested_by_name,
    deliverTo: r.deliver_to,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    status,
    statusLabel: LABELS[status] ?? { zh: status, en: status },
    answer: r.answer,
    answeredAt: r.answered_at?.toISOString() ?? null,
    correctedAt: r.corrected_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    canAnswer: status === 'open' && r.from_upper && r.origin_platform === me,
  };
}

async function one(ctx: Ctx, id: string): Promise<Correction> {
  const page = await repo.list(ctx.db, ctx.actor.scope, { id }, pageOf({ pageSize: 1 }));
  const row = page.items[0];
  if (!row) throw problems.notFound('更正请求', 'correction request');
  return dto(row, meOf(ctx.config), await resourceNamer(ctx.db));
}

/** requestSharedCorrection: a regulator of the record's jurisdiction asks its origin platform to correct it. */
export async function requestSharedCorrection(ctx: Ctx, input: CorrectionInput): Promise<Correction> {
  const rec = await repo.latestShared(ctx.db, input.originPlatform, input.resource, input.recordId);
  if (!rec) throw problems.notFound('共享记录', 'shared record');
  assertInScope(ctx.actor.scope, rec.division_code, '共享记录', 'shared record');
  const fields = [...new Set(input.fields.map((f) => f.trim()))];
  const known = Object.keys(rec.payload);
  const bad = fields.find((f) => !known.includes(f));
  if (bad !== undefined) throw problems.invalid('fields', `记录中没有字段“${bad}”`, `the record has no field "${bad}"`);
  const reason = input.reason.trim();
  if (!reason) throw problems.invalid('reason', '请填写更正理由', 'give the reason for the correction');
  const id = randomUUID();
  await repo.insertCorrections(ctx.db, [
    {
      id,
      origin_platform: rec.origin_platform,
      resource: rec.resource,
      record_id: rec.record_id,
      version: rec.version,
      division_code: rec.division_code,
      fields: JSON.stringify(fields),
      reason,
      requested_by_platform: meOf(ctx.config),
      requested_by_name: ctx.actor.orgName || ctx.actor.displayName,
      from_upper: false,
      deliver_to: rec.sender_platform,
      delivered_at: null,
      acked_at: null,
      answer: null,
      answered_at: null,
      corrected_at: null,
    },
  ]);
  await audit(ctx, {
    verb: 'sharing.correct',
    targetType: 'share_correction',
    targetId: id,
    divisionCode: rec.division_code,
    summary: {
      action: 'request',
      origin: rec.origin_platform,
      resource: rec.resource,
      recordId: rec.record_id,
      version: rec.version,
      fields,
      reason,
      via: rec.sender_platform,
    },
  });
  return one(ctx, id);
}

/** Correction requests made here or received from above, with their status, in the caller's jurisdiction. */
export async function listCorrections(ctx: Ctx, q: CorrectionQuery) {
  const me = meOf(ctx.config);
  const names = await resourceNamer(ctx.db);
  return mapPage(await repo.list(ctx.db, ctx.actor.scope, q, pageOf(q)), (r) => dto(r, me, names));
}

/** answerCorrection: the origin platform answers a request (when it will not or need not change the record). */
export async function answerCorrection(ctx: Ctx, id: string, input: CorrectionAnswerInput): Promise<Correction> {
  const c = await one(ctx, id);
  if (!c.canAnswer)
    throw problems.invalid(
      'id',
      '只有记录所在平台可以答复待处理的更正请求',
      'only the origin platform answers an open request',
    );
  await repo.answer(ctx.db, id, input.answer.trim());
  await audit(ctx, {
    verb: 'sharing.correct',
    targetType: 'share_correction',
    targetId: id,
    divisionCode: c.divisionCode,
    summary: { action: 'answer', answer: input.answer.trim() },
  });
  return one(ctx, id);
}

// ── upper side: inside the receiver's transaction ────────────────────────────

/**
 * Called by the receiver with every push (batch or heartbeat) of an approved lower platform: takes its
 * acknowledgements and answers, marks requests corrected by the record versions it just applied, and returns the
 * requests still to be delivered to it.
 */
export async function exchangeWithLower(
  ctx: Ctx<Actor | null>,
  from: string,
  body: Pick<InboundBatch, 'acks' | 'reports'>,
  applied: { origin: string; resource: string; id: string; version: number }[],
): Promise<{ corrections?: WireCorrection[]; reportAcks?: string[] }> {
  await repo.markDelivered(ctx.db, from, body.acks ?? []);
  const reportAcks: string[] = [];
  for (const r of body.reports ?? []) {
    const hit = await repo.applyAnswer(ctx.db, from, r);
    reportAcks.push(r.id);
    if (hit)
      await audit(ctx, {
        actor: null,
        verb: 'sharing.correct',
        targetType: 'share_correction',
        targetId: r.id,
        divisionCode: hit.division_code,
        summary: { action: 'answered', from, answer: r.answer },
      });
  }
  for (const c of await repo.markCorrected(ctx.db, applied))
    await audit(ctx, {
      actor: null,
      verb: 'sharing.correct',
      targetType: 'share_correction',
      targetId: c.id,
      divisionCode: c.division_code,
      summary: { action: 'corrected', from, origin: c.origin_platform, recordId: c.record_id },
    });
  const pending = await repo.undelivered(ctx.db, from);
  return {
    ...(pending.length ? { corrections: pending.map(toWire) } : {}),
    ...(reportAcks.length ? { reportAcks } : {}),
  };
}

const toWire = (r: repo.CorrectionRow): WireCorrection => ({
  id: r.id,
  origin: r.origin_platform,
  resource: r.resource,
  recordId: r.record_id,
  version: r.version,
  division: r.division_code,
  fields: r.fields,
  reason: r.reason,
  requestedBy: r.requested_by_platform,
  requesterName: r.requested_by_name,
  requestedAt: r.created_at.toISOString(),
});

// ── lower side: in the delivery loop ─────────────────────────────────────────

/** What the next push carries up: acknowledgements of requests received, answers not yet taken. */
export async function outgoing(db: Kysely<DB>): Promise<Pick<InboundBatch, 'acks' | 'reports'>> {
  const { acks, reports } = await repo.toReport(db);
  const rs: CorrectionReport[] = reports.map((r) => ({
    id: r.id,
    status: 'answered',
    answer: r.answer ?? '',
    at: (r.answered_at ?? new Date()).toISOString(),
  }));
  return { ...(acks.length ? { acks } : {}), ...(rs.length ? { reports: rs } : {}) };
}

/**
 * Takes the upper platform's answer, in one transaction: marks what we sent as acknowledged / reported, and stores
 * the requests it carries — each once (by id). A request for one of our own records notifies the owning organisation
 * and the county regulators; one for a record we relayed is sent on down to the platform that shared it with us.
 */
export async function takeFromUpper(
  db: Kysely<DB>,
  config: Pick<Config, 'platformTier' | 'platformRegion'>,
  sent: Pick<InboundBatch, 'acks' | 'reports'>,
  answer: { status: string; corrections?: WireCorrection[]; reportAcks?: string[] },
): Promise<number> {
  if (!sent.acks?.length && !answer.reportAcks?.length && !answer.corrections?.length) return 0;
  const me = meOf(config);
  return db.transaction().execute(async (tx) => {
    // The upper platform takes acknowledgements only while the connection is approved there.
    if (answer.status === 'approved') await repo.markAcked(tx, sent.acks ?? []);
    await repo.markReported(tx, answer.reportAcks ?? []);
    const list = answer.corrections ?? [];
    if (!list.length) return 0;
    const rows = [];
    for (const c of list) {
      const relay = c.origin === me ? null : await repo.latestShared(tx, c.origin, c.resource, c.recordId);
      rows.push({
        id: c.id,
        origin_platform: c.origin,
        resource: c.resource,
        record_id: c.recordId,
        version: c.version,
        division_code: c.division,
        fields: JSON.stringify(c.fields),
        reason: c.reason,
        requested_by_platform: c.requestedBy,
        requested_by_name: c.requesterName,
        from_upper: true,
        deliver_to: relay?.sender_platform ?? null,
        delivered_at: null,
        acked_at: null,
        answer: null,
        answered_at: null,
        corrected_at: null,
      });
    }
    const fresh = await repo.insertCorrections(tx, rows);
    // One we already hold is being resent: our acknowledgement was lost, so acknowledge it again.
    await repo.unack(
      tx,
      list.filter((c) => !fresh.has(c.id)).map((c) => c.id),
    );
    const mine = list.filter((c) => fresh.has(c.id) && c.origin === me);
    const subjectOrgs = await orgsOfSubjects(
      tx,
      mine.filter((c) => c.resource === 'subject').map((c) => c.recordId),
    );
    for (const c of list.filter((x) => fresh.has(x.id))) {
      if (c.origin === me) {
        const owner =
          c.resource === 'subject'
            ? subjectOrgs.get(c.recordId)
            : c.resource === 'organisation'
              ? c.recordId
              : undefined;
        const county = await countyRegulators(tx, c.division);
        const text = {
          titleZh: `上级平台（${c.requesterName}）请求更正记录：${c.fields.join('、')}`,
          titleEn: `The upper platform (${c.requesterName}) asks to correct a record: ${c.fields.join(', ')}`,
          body: c.reason,
          link: '/sharing/corrections',
          kind: 'share_correction',
          divisionCode: c.division,
        };
        const orgs = [...new Set([owner, ...county].filter((x): x is string => !!x))];
        await notify(
          tx,
          orgs.map((orgId) => ({ ...text, orgId })),
        );
      }
      await auditOutsideRequest(tx, {
        actor: null,
        verb: 'sharing.correct',
        targetType: 'share_correction',
        targetId: c.id,
        divisionCode: c.division,
        summary: { action: c.origin === me ? 'received' : 'relayed', from: c.requestedBy, recordId: c.recordId },
      });
    }
    return fresh.size;
  });
}
