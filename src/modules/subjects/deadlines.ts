import type { Kysely } from 'kysely';
import { auditOutsideRequest } from '../../kernel/audit.js';
import { ancestorsOf, countyOf } from '../../kernel/auth/scope.js';
import { chinaDate, workingDaysBetween } from '../../kernel/calendar.js';
import type { DB } from '../../schema.js';
import * as notifications from '../notifications/service.js';
import * as repo from './repo.js';

/**
 * The review clock of seed 001 第八条 (审核 5 个工作日): the working day before an application's deadline the county
 * reviewers are reminded; once it is overdue the level above (the city, else the province) is told, and so is the
 * county again. Runs hourly as the `subject.deadlines` job; each notice goes once per application.
 */
export async function runReviewDeadlines(db: Kysely<DB>, today = chinaDate()) {
  return db.transaction().execute(async (trx) => {
    const reminded: string[] = [];
    const escalated: string[] = [];
    for (const a of await repo.pendingForDeadlines(trx)) {
      const county = countyOf(a.division_code) ?? a.division_code;
      // The review page opened on this application (its drawer).
      const link = `/subject-reviews?application=${a.id}`;
      if (today > a.due_date && !a.escalated_at) {
        const late = workingDaysBetween(a.due_date, today);
        const above = await orgsAbove(trx, county);
        const county_ = await notifications.countyRegulators(trx, county);
        await notifications.notify(
          trx,
          [...above, ...county_].map((orgId) => ({
            orgId,
            kind: 'subject.review_overdue',
            titleZh: `主体注册审核已超期 ${late} 个工作日：${a.name}`,
            titleEn: `Producer application overdue by ${late} working day(s): ${a.name}`,
            body: `截止 ${a.due_date}（县级审核时限 5 个工作日）`,
            link,
            divisionCode: a.division_code,
          })),
        );
        escalated.push(a.id);
      } else if (today <= a.due_date && !a.reminded_at && workingDaysBetween(today, a.due_date) <= 1) {
        await notifications.notify(
          trx,
          (await notifications.countyRegulators(trx, county)).map((orgId) => ({
            orgId,
            kind: 'subject.review_due',
            titleZh: `主体注册申请即将到期（${a.due_date}）：${a.name}`,
            titleEn: `Producer application due ${a.due_date}: ${a.name}`,
            link,
            divisionCode: a.division_code,
          })),
        );
        reminded.push(a.id);
      }
    }
    await repo.markDeadlineSent(trx, reminded, 'reminded_at');
    await repo.markDeadlineSent(trx, escalated, 'escalated_at');
    if (reminded.length || escalated.length)
      await auditOutsideRequest(trx, {
        verb: 'subject.deadlines',
        targetType: 'subject_application',
        actor: { id: null, username: 'system', orgId: null },
        summary: { reminded, escalated },
      });
    return { reminded: reminded.length, escalated: escalated.length };
  });
}

/** Supervision organisations of the nearest level above the county that has any (city, else province). */
async function orgsAbove(db: Kysely<DB>, county: string): Promise<string[]> {
  for (const code of ancestorsOf(county).slice(0, -1).reverse()) {
    const orgs = await notifications.regulatorsAt(db, code);
    if (orgs.length) return orgs;
  }
  return [];
}
