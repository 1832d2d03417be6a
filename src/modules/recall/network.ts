import { randomUUID } from 'node:crypto';
import { audit, auditOutsideRequest } from '../../kernel/audit.js';
import { inScope } from '../../kernel/auth/scope.js';
import { KIND_DIGIT, parseCode } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import { type NetworkMessage, platformLink, sendToPlatform } from '../../kernel/sharing.js';
import { type Paged, mapPage, pageOf } from '../../kernel/paging.js';
import { batchById } from '../batches/service.js';
import { platformOfConfig } from '../codes/service.js';
import { codeOfClass, walkNetwork } from '../lineage/network.js';
import { reportProgress } from './progress.js';
import * as repo from './repo.js';
import type {
  NetworkRecall,
  NetworkRecallDetail,
  NetworkRecallInput,
  NetworkRecallListItem,
  NetworkRecallQuery,
} from './schemas.js';
import { coverAndNotify } from './service.js';
import { levelLabel, noticeWorkflow, recallWorkflow } from './states.js';

/**
 * A recall opened at national reaches the holders on every platform (issue 15 item 3). National holds no batches: it
 * walks the chain of the code downstream over the shared events (lineage/network.ts), groups the lots by the platform
 * holding them and sends each platform a `recall.network` message with its lots (down the signed sharing channel).
 * Each platform opens its own recall of those lots (opener: the upper platform), which covers their descendants
 * there, notifies every holder and the county regulators, and shows on its recall page like any other.
 */

interface RecallPayload {
  recallId: string;
  number: string;
  level: number;
  reason: string;
  codes: string[];
}

export async function openNetworkRecall(ctx: Ctx, input: NetworkRecallInput): Promise<NetworkRecall> {
  if (ctx.actor.orgKind === 'producer') throw problems.outOfJurisdiction('跨平台召回', 'recall across platforms');
  const w = await walkNetwork(ctx, input.code);
  const root = w.lots.find((l) => l.key === w.root);
  if (!root || !inScope(ctx.actor.scope, root.divisionCode)) throw problems.outOfJurisdiction('批次', 'batch');
  const byPlatform = new Map<string, string[]>();
  for (const l of w.lots.filter((x) => x.depth >= 0 && x.platform)) {
    const code = codeOfClass(l.key);
    if (code) byPlatform.set(l.platform, [...(byPlatform.get(l.platform) ?? []), code]);
  }
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  const number = `QG${day}${String((await repo.countNetworkNumbered(ctx.db, `QG${day}`)) + 1).padStart(4, '0')}`;
  const id = randomUUID();
  const level = input.level ?? 2;
  const platforms = [...byPlatform].map(([platform, codes]) => ({ platform, codes }));
  for (const p of platforms)
    await sendToPlatform(ctx, p.platform, 'recall.network', {
      recallId: id,
      number,
      level,
      reason: input.reason,
      codes: p.codes,
    } satisfies RecallPayload);
  await repo.insertNetworkRecall(ctx.db, {
    id,
    number,
    root_class: w.root,
    division_code: root.divisionCode,
    level,
    reason: input.reason,
    platforms: JSON.stringify(platforms.map((p) => ({ platform: p.platform, classes: p.codes }))),
    opener_org_id: ctx.actor.orgId,
    opened_by: ctx.actor.id,
  });
  await audit(ctx, {
    verb: 'recall.open',
    targetType: 'recall',
    targetId: id,
    divisionCode: root.divisionCode,
    summary: { number, code: codeOfClass(w.root), reason: input.reason, level, platforms },
  });
  return {
    id,
    number,
    code: codeOfClass(w.root) ?? input.code,
    level,
    reason: input.reason,
    platforms,
    openedAt: new Date().toISOString(),
  };
}

/**
 * Handler of `recall.network` on a holder's platform: a recall of each named lot of this platform not yet under
 * an open recall (a lot downstream of another named lot is covered by that one's walk).
 */
export async function takeNetworkRecall(ctx: Ctx<null>, m: NetworkMessage) {
  const p = m.payload as unknown as RecallPayload;
  const mine = platformOfConfig(ctx.config);
  let n = 0;
  for (const code of p.codes) {
    const parsed = parseCode(code);
    if (!parsed.ok || parsed.code.platform !== mine) continue;
    const hit = await repo.batchIdOfCode(ctx.db, KIND_DIGIT[parsed.code.kind], parsed.code.serial);
    const b = hit?.batch_id ? await batchById(ctx.db, hit.batch_id) : undefined;
    if (!b || (await repo.openRecallsOf(ctx.db, [b.id])).length) continue;
    let number = n ? `${p.number}-${n}` : p.number;
    while (await repo.recallNumberTaken(ctx.db, number)) number = `${p.number}-${++n}`;
    n++;
    const id = await coverAndNotify(ctx, b, {
      number,
      level: p.level,
      reason: p.reason,
      openerKind: 'upper',
      openedByPlatform: m.from,
      networkRecallId: p.recallId,
    });
    await reportProgress(ctx, id);
    await auditOutsideRequest(ctx.db, {
      actor: null,
      verb: 'recall.open',
      targetType: 'recall',
      targetId: id,
      divisionCode: b.division_code,
      summary: { number, batchId: b.id, reason: p.reason, level: p.level, openedBy: m.from, networkRecall: p.recallId },
    });
  }
}

// ── at the opening platform: the recalls it opened and their progress ────────

/** Network recalls whose lot is inside the caller's jurisdiction (regulators; producers see none). */
export async function listNetworkRecalls(ctx: Ctx, q: NetworkRecallQuery): Promise<Paged<NetworkRecallListItem>> {
  if (ctx.actor.orgKind === 'producer') throw problems.outOfJurisdiction('跨平台召回', 'recall across platforms');
  const page = await repo.listNetworkRecalls(ctx.db, ctx.actor.scope, pageOf(q));
  return mapPage(page, (r) => ({
    id: r.id,
    number: r.number,
    code: codeOfClass(r.root_class),
    level: r.level,
    reason: r.reason,
    divisionCode: r.division_code,
    openedAt: r.opened_at.toISOString(),
    platforms: r.platforms.length,
    holders: Number(r.holders ?? 0),
    acknowledged: Number(r.acknowledged ?? 0),
  }));
}

/** A network recall with the latest progress each holder's platform reported (progress.ts). */
export async function getNetworkRecall(ctx: Ctx, id: string): Promise<NetworkRecallDetail> {
  const r = await repo.networkRecallById(ctx.db, id);
  if (!r) throw problems.notFound('跨平台召回', 'Recall across platforms');
  if (ctx.actor.orgKind === 'producer' || !inScope(ctx.actor.scope, r.division_code))
    throw problems.outOfJurisdiction('跨平台召回', 'recall across platforms');
  const reports = await repo.progressOf(ctx.db, id);
  const level = levelLabel(r.level);
  const platforms = await Promise.all(
    r.platforms.map(async (p) => {
      const name = await platformLink().namePlatform(ctx, p.platform);
      return {
        platform: p.platform,
        platformName: name.zh,
        platformNameEn: name.en,
        codes: p.classes,
        recalls: reports
          .filter((g) => g.platform === p.platform)
          .map((g) => {
            const status = recallWorkflow.stateLabel(g.status);
            return {
              recallId: g.recall_id,
              number: g.number,
              status: g.status,
              statusName: status.zh,
              statusNameEn: status.en,
              holders: g.holders,
              acknowledged: g.acknowledged,
              external: g.external,
              recovered: Number(g.recovered),
              reportedAt: g.reported_at.toISOString(),
              notices: g.notices.map((n) => {
                const s = noticeWorkflow.stateLabel(n.status);
                // A holder outside the caller's jurisdiction is counted, not named (as in the network lineage).
                const masked = !n.divisionCode || !inScope(ctx.actor.scope, n.divisionCode);
                return {
                  ...n,
                  holderName: masked ? '' : n.holderName,
                  code: masked ? null : n.code,
                  masked,
                  statusName: s.zh,
                  statusNameEn: s.en,
                };
              }),
            };
          }),
      };
    }),
  );
  const sum = (k: 'holders' | 'acknowledged' | 'external') => reports.reduce((t, g) => t + g[k], 0);
  const holders = sum('holders');
  const acknowledged = sum('acknowledged');
  return {
    id: r.id,
    number: r.number,
    code: codeOfClass(r.root_class),
    level: r.level,
    levelName: level.zh,
    levelNameEn: level.en,
    reason: r.reason,
    divisionCode: r.division_code,
    openedAt: r.opened_at.toISOString(),
    progress: {
      platforms: r.platforms.length,
      reported: new Set(reports.map((g) => g.platform)).size,
      holders,
      acknowledged,
      external: sum('external'),
      recovered: reports.reduce((t, g) => t + Number(g.recovered), 0),
      percent: holders ? Math.round((acknowledged / holders) * 100) : 0,
    },
    platforms,
  };
}
