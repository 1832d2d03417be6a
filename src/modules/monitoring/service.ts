import { inScope } from '../../kernel/auth/scope.js';
import type { OwnerCheck } from '../../kernel/files.js';

/**
 * Monitoring (监测, seed 001 art. 15 抽样检测): task (kind × level) → assignments to testing organisations
 * (quantity, deadline) → sampling sheets → results per test item entered by the lab (single, or the Excel import in import.ts).
 * A failed result runs the risk chain (service/risks.ts): trace, notify the producer's county, propose a recall,
 * record the bad entry on the credit archive. One file per concern under service/; this file is the module's
 * service as other modules and the routes see it.
 */
export { createMonitoringTask, getTask, listTasks } from './service/tasks.js';
export { myAssignments } from './service/assignments.js';
export { getSheet, listSheets, submitSamplingSheet } from './service/sheets.js';
export { judge, submitTestResults } from './service/results.js';
export { actOnRisk, getRisk, listRisks, riskDivisionInScope } from './service/risks.js';
/** 风险分级: a task's sample quota split across regions × products by the shrunk failure rates. */
export { suggestQuotas } from '../risksampling/service.js';

export const mayReadSheetFile: OwnerCheck = async (ctx, ownerId) => {
  const s = await ctx.db
    .selectFrom('sampling_sheet')
    .select(['division_code', 'testing_org_id'])
    .where('id', '=', ownerId)
    .executeTakeFirst();
  if (!s) return false;
  if (s.testing_org_id === ctx.actor.orgId) return true;
  // The owning module's read rule: verb and jurisdiction (a producer in the same division is not a regulator).
  return (
    ctx.actor.orgKind !== 'producer' &&
    ctx.actor.verbs.has('monitoring.read') &&
    inScope(ctx.actor.scope, s.division_code)
  );
};
