import ExcelJS from 'exceljs';
import { assertInScope, divisionLevel, inScope } from '../../kernel/auth/scope.js';
import { audit } from '../../kernel/audit.js';
import type { Ctx } from '../../kernel/context.js';
import { registerFileOwner } from '../../kernel/files.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { MonitoringItem, MonitoringKind, MonitoringLevel } from '../../schema.js';
import * as codes from '../codes/service.js';
import * as credit from '../credit/service.js';
import * as notifications from '../notifications/service.js';
import { attachAll } from '../patrols/service.js';
import * as regions from '../regions/service.js';
import * as chain from './chain.js';
import * as repo from './repo.js';

/**
 * Monitoring (监测, seed 001 art. 15 抽样检测): task (kind × level) → assignments to testing organisations
 * (quantity, deadline) → sampling sheets → results per test item entered by the lab (single or Excel import).
 * A failed result runs the risk chain (createRiskCase): trace, notify the producer's county, propose a recall,
 * record the bad entry on the credit archive.
 */
const TASK = ['监测任务', 'Monitoring task'] as const;
const ASSIGNMENT = ['监测任务分配', 'Assignment'] as const;
const SHEET = ['抽样单', 'Sampling sheet'] as const;
const RISK = ['风险处置', 'Risk case'] as const;

export const KINDS: Record<MonitoringKind, { zh: string; en: string }> = {
  routine: { zh: '例行监测', en: 'routine monitoring' },
  special: { zh: '专项监测', en: 'special monitoring' },
  supervisory: { zh: '监督抽查', en: 'supervisory sampling' },
  retest: { zh: '复检', en: 're-test' },
  emergency: { zh: '应急监测', en: 'emergency monitoring' },
};
const LEVEL_OF: MonitoringLevel[] = ['ministry', 'province', 'city', 'county'];

registerFileOwner('sampling_sheet', async (ctx, ownerId) => {
  const s = await ctx.db.selectFrom('sampling_sheet').select(['division_code', 'testing_org_id']).where('id', '=', ownerId).executeTakeFirst();
  return !!s && (inScope(ctx.actor.scope, s.division_code) || s.testing_org_id === ctx.actor.orgId);
});

// ── tasks ──
export interface TaskInput {
  title: string;
  kind: MonitoringKind;
  level?: MonitoringLevel;
  products: string[];
  items: MonitoringItem[];
  startDate: string;
  endDate: string;
  drawId?: string;
  assignments: { testingOrgId: string; divisionCode: string; quantity: number; deadline: string }[];
}

export async function createMonitoringTask(ctx: Ctx, input: TaskInput) {
  const lvl = divisionLevel(ctx.actor.scope);
  if (lvl > 3) throw problems.invalid('level', '乡镇及以下机构不能下达监测任务，请由县级以上机构下达', 'cannot be set below county: township agencies do not issue monitoring tasks');
  const level = LEVEL_OF[lvl];
  if (input.level && input.level !== level) throw problems.invalid('level', `须与本机构层级一致（${level}）`, `must match your organisation's level (${level})`);
  if (input.endDate < input.startDate) throw problems.invalid('endDate', '结束日期不能早于开始日期', 'cannot be before the start date');
  const itemNames = new Set<string>();
  for (const [i, it] of input.items.entries()) {
    if (itemNames.has(it.item)) throw problems.invalid(`items/${i}/item`, `检测项目“${it.item}”重复`, `test item "${it.item}" is repeated`);
    itemNames.add(it.item);
  }
  const orgs = new Map((await repo.orgsIn(ctx.db, input.assignments.map((a) => a.testingOrgId))).map((o) => [o.id, o]));
  const seen = new Set<string>();
  for (const [i, a] of input.assignments.entries()) {
    const o = orgs.get(a.testingOrgId);
    if (!o || o.kind !== 'testing' || o.status !== 'active') throw problems.invalid(`assignments/${i}/testingOrgId`, '不是有效的检测机构', 'is not an active testing organisation');
    if (!inScope(ctx.actor.scope, a.divisionCode)) throw new Problem('OUT_OF_JURISDICTION', { targetZh: '抽样地区', targetEn: 'sampling area', field: `assignments/${i}/divisionCode` });
    await regions.assertExists(ctx, a.divisionCode, `assignments/${i}/divisionCode`);
    if (a.deadline < input.startDate) throw problems.invalid(`assignments/${i}/deadline`, '完成期限不能早于任务开始日期', 'cannot be before the task starts');
    const k = `${a.testingOrgId}/${a.divisionCode}`;
    if (seen.has(k)) throw problems.invalid(`assignments/${i}`, '同一检测机构在同一地区重复分配', 'repeats an organisation and area');
    seen.add(k);
  }
  const year = input.startDate.slice(0, 4);
  const prefix = `JC${year}${(ctx.actor.scope || '00').padEnd(6, '0').slice(0, 6)}`;
  await repo.lockKey(prefix).execute(ctx.db);
  const { n } = await repo.countTasks(ctx.db, prefix);
  const code = `${prefix}${String(Number(n) + 1).padStart(4, '0')}`;
  const task = await repo.insertTask(ctx.db, {
    code, title: input.title, kind: input.kind, level, org_id: ctx.actor.orgId, division_code: ctx.actor.scope, products: input.products,
    items: JSON.stringify(input.items), start_date: input.startDate, end_date: input.endDate, draw_id: input.drawId ?? null, created_by: ctx.actor.id,
  });
  await repo.insertAssignments(ctx.db, input.assignments.map((a) => ({ task_id: task.id, testing_org_id: a.testingOrgId, division_code: a.divisionCode, quantity: a.quantity, deadline: a.deadline })));
  await notifications.notify(ctx.db, input.assignments.map((a) => ({
    orgId: a.testingOrgId, divisionCode: a.divisionCode, kind: 'monitoring.assigned', link: '/monitoring/lab',
    titleZh: `新监测任务：${input.title}（${a.quantity} 个样品，${a.deadline} 前完成）`, titleEn: `New monitoring task: ${input.title} (${a.quantity} samples by ${a.deadline})`,
  })));
  await audit(ctx, { verb: 'monitoring.manage', targetType: 'monitoring_task', targetId: task.id, divisionCode: task.division_code, summary: { code, kind: input.kind, level, assignments: input.assignments.length } });
  return getTask(ctx, task.id);
}

export async function getTask(ctx: Ctx, id: string) {
  const t = await repo.taskById(ctx.db, id);
  if (!t) throw problems.notFound(...TASK);
  const assignments = await repo.assignmentsOf(ctx.db, id);
  if (!inScope(ctx.actor.scope, t.division_code) && !assignments.some((a) => a.testing_org_id === ctx.actor.orgId)) throw problems.outOfJurisdiction(...TASK);
  return {
    ...taskDto(t),
    assignments: assignments.map((a) => ({
      id: a.id, testingOrgId: a.testing_org_id, testingOrgName: a.org_name, divisionCode: a.division_code, quantity: a.quantity, deadline: a.deadline,
      sampled: Number(a.sampled ?? 0), tested: Number(a.tested ?? 0), failed: Number(a.failed ?? 0),
    })),
  };
}
function taskDto(t: NonNullable<Awaited<ReturnType<typeof repo.taskById>>>) {
  return {
    id: t.id, code: t.code, title: t.title, kind: t.kind, kindZh: KINDS[t.kind].zh, level: t.level, orgId: t.org_id, divisionCode: t.division_code,
    products: t.products, items: t.items, startDate: t.start_date, endDate: t.end_date, status: t.status, createdAt: t.created_at.toISOString(),
  };
}
export async function listTasks(ctx: Ctx) {
  return (await repo.listTasks(ctx.db, ctx.actor.scope, ctx.actor.orgId, 200)).map(taskDto);
}
export async function myAssignments(ctx: Ctx) {
  const rows = await repo.myAssignments(ctx.db, ctx.actor.orgId);
  return rows.map((a) => ({ id: a.id, taskId: a.task_id, taskCode: a.task_code, taskTitle: a.task_title, taskKind: a.task_kind, products: a.task_products, divisionCode: a.division_code, quantity: a.quantity, deadline: a.deadline, sampled: Number(a.sampled ?? 0) }));
}

// ── sampling ──
async function loadAssignment(ctx: Ctx, id: string) {
  const a = await repo.assignmentById(ctx.db, id);
  if (!a) throw problems.notFound(...ASSIGNMENT);
  // A lab acts on its own assignments; other roles (platform administrators) by jurisdiction.
  if (ctx.actor.orgKind === 'testing' ? a.testing_org_id !== ctx.actor.orgId : !inScope(ctx.actor.scope, a.division_code)) throw problems.outOfJurisdiction(...ASSIGNMENT);
  return a;
}

export interface SheetInput {
  productName: string;
  traceCode?: string | null;
  tempCode?: string | null;
  identityCode?: string | null;
  subjectId?: string | null;
  tempSubject?: { name: string; contact?: string | null; phone?: string | null; address?: string | null } | null;
  place: string;
  divisionCode: string;
  sampledAt: string;
  longitude?: number;
  latitude?: number;
  quantity?: string | null;
  photoIds?: string[];
  /** A double-random sampling task this sheet fulfils (randomchecks). */
  randomTaskId?: string | null;
}

export async function submitSamplingSheet(ctx: Ctx, assignmentId: string, input: SheetInput) {
  const a = await loadAssignment(ctx, assignmentId);
  if (a.task_status !== 'issued') throw new Problem('INVALID_STATE', { stateZh: '已结束', stateEn: 'closed', actionZh: '抽样', actionEn: 'sample', field: 'assignmentId' });
  if (!inScope(a.division_code, input.divisionCode)) throw problems.invalid('divisionCode', '抽样地点不在分配的抽样地区内', 'is outside the assigned sampling area');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  let traceCode: string | null = null;
  let batchId: string | null = null;
  let tracedSubject: string | null = null;
  if (input.traceCode?.trim()) {
    // The trace code on the product (issue 4's resolver): links the sample to its batch and producer when active.
    const res = (await codes.resolveCode(ctx, input.traceCode)) as { status: string; code?: string; batch?: { id: string } | null; subject?: { id: string } | null };
    if (res.status === 'malformed') throw problems.invalid('traceCode', '不是有效的追溯码，请重新扫码；没有追溯码的样品请留空，系统会生成临时码', 'is not a valid trace code; scan again, or leave it empty for a temporary code');
    traceCode = res.code ?? input.traceCode.replace(/[\s-]/g, '').toUpperCase();
    batchId = res.batch?.id ?? null;
    tracedSubject = res.subject?.id ?? null;
  }
  let tempCode = input.tempCode?.trim() || null;
  let subjectId: string | null = null;
  if (input.identityCode) subjectId = (await credit.findSubjectByCode(ctx, input.identityCode, 'identityCode')).id;
  else if (input.subjectId) subjectId = (await credit.findSubject(ctx, input.subjectId, 'subjectId')).id;
  else subjectId = tracedSubject;
  if (!subjectId && !input.tempSubject?.name) throw problems.invalid('tempSubject', '请扫描主体身份码，或填写未注册主体（临时主体）的名称', 'is required when no identity code or subject is given');
  if (new Date(input.sampledAt).getTime() > Date.now() + 10 * 60_000) throw problems.invalid('sampledAt', '抽样时间不能晚于现在', 'cannot be in the future');
  await repo.lockKey(a.task_id).execute(ctx.db);
  const { n } = await repo.countSheets(ctx.db, a.task_id);
  const sampleCode = `${a.task_code}-${String(Number(n) + 1).padStart(4, '0')}`;
  // 临时码 for a sample without a trace code: derived from the sample code (unique, printable on the sample bag).
  if (!traceCode && !tempCode) tempCode = `T${sampleCode.replace(/-/g, '')}`;
  const sheet = await repo.insertSheet(ctx.db, {
    assignment_id: a.id, task_id: a.task_id, testing_org_id: a.testing_org_id, sample_code: sampleCode, product_name: input.productName, trace_code: traceCode,
    batch_id: batchId, temp_code: tempCode, subject_id: subjectId, temp_subject: subjectId ? null : JSON.stringify(input.tempSubject), place: input.place,
    division_code: input.divisionCode, sampled_at: new Date(input.sampledAt), longitude: input.longitude ?? null, latitude: input.latitude ?? null,
    quantity: input.quantity ?? null, photo_ids: input.photoIds ?? [], sampler_id: ctx.actor.id, sampler_name: ctx.actor.displayName, tested_at: null,
  });
  await attachAll(ctx, input.photoIds ?? [], 'sampling_sheet', sheet.id, 'photoIds');
  if (input.randomTaskId) {
    const task = await ctx.db.selectFrom('random_check_task').selectAll().where('id', '=', input.randomTaskId).forUpdate().executeTakeFirst();
    if (!task || task.kind !== 'sampling' || task.status !== 'open' || task.subject_id !== subjectId) {
      throw problems.invalid('randomTaskId', '不是该主体待办的双随机抽样任务', 'is not an open random-check sampling task for this producer');
    }
    await ctx.db.updateTable('random_check_task').set({ status: 'done', done_ref: sheet.id }).where('id', '=', task.id).execute();
  }
  await audit(ctx, { verb: 'monitoring.sample', targetType: 'sampling_sheet', targetId: sheet.id, divisionCode: sheet.division_code, summary: { sampleCode, productName: input.productName, traceCode, tempCode, subjectId } });
  return getSheet(ctx, sheet.id);
}

async function loadSheet(ctx: Ctx, id: string, lock = false) {
  const s = await repo.sheetById(ctx.db, id, lock);
  if (!s) throw problems.notFound(...SHEET);
  if (!(s.testing_org_id === ctx.actor.orgId || (ctx.actor.orgKind !== 'testing' && inScope(ctx.actor.scope, s.division_code)))) throw problems.outOfJurisdiction(...SHEET);
  return s;
}
async function sheetDto(ctx: Ctx, s: repo.SheetRow, results?: Awaited<ReturnType<typeof repo.resultsOf>>) {
  const rs = results ?? (await repo.resultsOf(ctx.db, [s.id]));
  return {
    id: s.id, assignmentId: s.assignment_id, taskId: s.task_id, taskCode: s.task_code, taskTitle: s.task_title, taskItems: s.task_items,
    testingOrgId: s.testing_org_id, testingOrgName: s.org_name, sampleCode: s.sample_code, productName: s.product_name, traceCode: s.trace_code, tempCode: s.temp_code,
    subjectId: s.subject_id, subjectName: s.subject_name ?? (s.temp_subject as { name?: string } | null)?.name ?? '', tempSubject: s.temp_subject,
    place: s.place, divisionCode: s.division_code, sampledAt: s.sampled_at.toISOString(), longitude: s.longitude, latitude: s.latitude, quantity: s.quantity,
    photoIds: s.photo_ids, samplerName: s.sampler_name, status: s.status, testedAt: s.tested_at?.toISOString() ?? null,
    results: rs.filter((r) => r.sheet_id === s.id).map((r) => ({ item: r.item, value: r.value === null ? null : Number(r.value), valueText: r.value_text, unit: r.unit, limit: r.limit_value === null ? null : Number(r.limit_value), standard: r.standard, passed: r.passed })),
  };
}
export async function getSheet(ctx: Ctx, id: string) {
  return sheetDto(ctx, await loadSheet(ctx, id));
}
export async function listSheets(ctx: Ctx, q: { taskId?: string; status?: string }) {
  const rows = await repo.listSheets(ctx.db, { scope: ctx.actor.orgKind === 'testing' ? null : ctx.actor.scope, orgId: ctx.actor.orgId, taskId: q.taskId, status: q.status, limit: 200 });
  const rs = await repo.resultsOf(ctx.db, rows.map((r) => r.id));
  return Promise.all(rows.map((r) => sheetDto(ctx, r, rs)));
}

// ── results ──
export interface ResultInput {
  item: string;
  value?: number | null;
  valueText?: string | null;
  unit: string;
  limit?: number | null;
  standard: string;
  passed?: boolean;
}

/** pass/fail: computed from value ≤ limit when both are numbers; otherwise the lab's judgement is required. */
export function judge(r: ResultInput, field: string): boolean {
  if (r.value !== undefined && r.value !== null && r.limit !== undefined && r.limit !== null) {
    const computed = r.value <= r.limit;
    if (r.passed !== undefined && r.passed !== computed) throw problems.invalid(`${field}/passed`, `与检测值 ${r.value} 和限量 ${r.limit} 不符`, `contradicts value ${r.value} and limit ${r.limit}`);
    return computed;
  }
  if (r.passed === undefined) throw problems.invalid(`${field}/passed`, '没有检测值或限量时须填写判定结果（合格/不合格）', 'is required when there is no numeric value and limit');
  return r.passed;
}

export async function submitTestResults(ctx: Ctx, sheetId: string, results: ResultInput[], field = 'results') {
  const s = await loadSheet(ctx, sheetId, true);
  if (s.testing_org_id !== ctx.actor.orgId && ctx.actor.orgKind === 'testing') throw problems.outOfJurisdiction(...SHEET);
  if (s.status !== 'sampled') throw new Problem('INVALID_STATE', { stateZh: s.status === 'passed' ? '合格' : '不合格', stateEn: s.status, actionZh: '录入检测结果（如需复检请下达复检任务）', actionEn: 'enter results (issue a re-test task instead)' });
  const seen = new Set<string>();
  const rows = results.map((r, i) => {
    if (seen.has(r.item)) throw problems.invalid(`${field}/${i}/item`, `检测项目“${r.item}”重复`, `item "${r.item}" is repeated`);
    seen.add(r.item);
    if ((r.value === undefined || r.value === null) && !r.valueText) throw problems.invalid(`${field}/${i}/value`, '请填写检测值（未检出填“未检出”）', 'is required (or valueText such as "ND")');
    const passed = judge(r, `${field}/${i}`);
    return { sheet_id: s.id, item: r.item, value: r.value === undefined || r.value === null ? null : String(r.value), value_text: r.valueText ?? null, unit: r.unit, limit_value: r.limit === undefined || r.limit === null ? null : String(r.limit), standard: r.standard, passed, entered_by: ctx.actor.id };
  });
  await repo.insertResults(ctx.db, rows);
  const failed = rows.filter((r) => !r.passed);
  await repo.updateSheet(ctx.db, s.id, { status: failed.length ? 'failed' : 'passed', tested_at: new Date() });
  await audit(ctx, { verb: 'monitoring.test', targetType: 'sampling_sheet', targetId: s.id, divisionCode: s.division_code, summary: { sampleCode: s.sample_code, items: rows.length, failed: failed.map((f) => f.item) } });
  let riskCaseId: string | null = null;
  if (failed.length) riskCaseId = await createRiskCase(ctx, s, failed.map((f) => ({ item: f.item, value: f.value, valueText: f.value_text, unit: f.unit, limit: f.limit_value, standard: f.standard })));
  return { ...(await getSheet(ctx, s.id)), riskCaseId };
}

// ── Excel import ──
const HEADERS: Record<string, keyof ImportRow> = {
  样品编号: 'sampleCode', samplecode: 'sampleCode', 检测项目: 'item', item: 'item', 检测值: 'value', value: 'value', 单位: 'unit', unit: 'unit',
  限量: 'limit', limit: 'limit', 判定依据: 'standard', standard: 'standard', 判定结果: 'result', result: 'result',
};
interface ImportRow {
  sampleCode: string;
  item: string;
  value: string;
  unit: string;
  limit: string;
  standard: string;
  result: string;
}

export async function resultsTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('检测结果');
  ws.addRow(['样品编号', '检测项目', '检测值', '单位', '限量', '判定依据', '判定结果']);
  ws.addRow(['JC20264401170001-0001', '毒死蜱', 0.12, 'mg/kg', 0.02, 'GB 2763-2021', '']);
  ws.addRow(['JC20264401170001-0001', '克百威', '未检出', 'mg/kg', 0.02, 'GB 2763-2021', '合格']);
  ws.columns.forEach((c) => { c.width = 22; });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Imports results for many sheets from one workbook: all rows valid, or nothing is written (errors per row). */
export async function importTestResults(ctx: Ctx, contentBase64: string) {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(contentBase64.replace(/^data:[^,]*,/, ''), 'base64') as never);
  } catch {
    throw new Problem('FILE_TYPE_NOT_ALLOWED', { field: 'contentBase64', allowedZh: 'Excel（.xlsx）文件', allowedEn: 'Excel (.xlsx) file' });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw problems.invalid('contentBase64', '工作簿没有工作表', 'has no worksheet');
  const header = (ws.getRow(1).values as unknown[]).map((v) => String(v ?? '').trim().replace(/\s/g, '').toLowerCase());
  const cols = new Map<keyof ImportRow, number>();
  header.forEach((h, i) => { const k = HEADERS[h] ?? HEADERS[h.toLowerCase()]; if (k) cols.set(k, i); });
  for (const need of ['sampleCode', 'item', 'value', 'unit', 'standard'] as const) {
    if (!cols.has(need)) throw problems.invalid('contentBase64', `缺少列“${Object.keys(HEADERS).find((k) => HEADERS[k] === need)}”`, `lacks the column "${need}"`);
  }
  const rows: (ImportRow & { line: number })[] = [];
  ws.eachRow((row, line) => {
    if (line === 1) return;
    const v = row.values as unknown[];
    const get = (k: keyof ImportRow) => { const i = cols.get(k); const x = i === undefined ? '' : v[i]; return x === null || x === undefined ? '' : typeof x === 'object' && x && 'result' in x ? String((x as { result: unknown }).result) : String(x).trim(); };
    const r = { sampleCode: get('sampleCode'), item: get('item'), value: get('value'), unit: get('unit'), limit: get('limit'), standard: get('standard'), result: get('result'), line };
    if (Object.values(r).some((x) => x !== '' && x !== line)) rows.push(r);
  });
  const errors: { row: number; field: string; messageZh: string; messageEn: string }[] = [];
  const sheets = new Map((await repo.sheetsByCodes(ctx.db, [...new Set(rows.map((r) => r.sampleCode))])).map((s) => [s.sample_code, s]));
  const bySheet = new Map<string, ResultInput[]>();
  for (const r of rows) {
    const s = sheets.get(r.sampleCode);
    const err = (field: string, zh: string, en: string) => errors.push({ row: r.line, field, messageZh: zh, messageEn: en });
    if (!s) { err('样品编号', `样品编号“${r.sampleCode}”不存在`, `no sample "${r.sampleCode}"`); continue; }
    if (s.testing_org_id !== ctx.actor.orgId && ctx.actor.orgKind === 'testing') { err('样品编号', '不是本机构的样品', 'not a sample of your organisation'); continue; }
    if (s.status !== 'sampled') { err('样品编号', '该样品已录入过结果', 'results already entered'); continue; }
    if (!r.item) { err('检测项目', '必填', 'required'); continue; }
    const num = Number(r.value);
    const value = r.value !== '' && Number.isFinite(num) ? num : null;
    const limNum = Number(r.limit);
    const limit = r.limit !== '' && Number.isFinite(limNum) ? limNum : null;
    if (r.limit !== '' && limit === null) { err('限量', `“${r.limit}”不是数字`, `"${r.limit}" is not a number`); continue; }
    const passed = r.result === '合格' || r.result.toLowerCase() === 'pass' ? true : r.result === '不合格' || r.result.toLowerCase() === 'fail' ? false : undefined;
    const input: ResultInput = { item: r.item, value, valueText: value === null ? r.value || null : null, unit: r.unit, limit, standard: r.standard, passed };
    try {
      if (!r.unit || !r.standard) throw problems.invalid('x', '单位和判定依据必填', 'unit and standard are required');
      judge(input, 'x');
    } catch (e) {
      err('判定结果', (e as Problem).message, (e as Problem).messageEn);
      continue;
    }
    const list = bySheet.get(s.id) ?? [];
    if (list.some((x) => x.item === r.item)) { err('检测项目', `“${r.item}”重复`, `"${r.item}" repeated`); continue; }
    list.push(input);
    bySheet.set(s.id, list);
  }
  if (errors.length || rows.length === 0) throw new Problem('IMPORT_ROWS_INVALID', { count: errors.length || 1, field: 'contentBase64' }, errors.length ? errors : [{ row: 0, field: '', messageZh: '文件中没有数据行', messageEn: 'no data rows' }]);
  const out: { sheetId: string; sampleCode: string; status: string; riskCaseId: string | null }[] = [];
  for (const [sheetId, list] of bySheet) {
    const r = await submitTestResults(ctx, sheetId, list);
    out.push({ sheetId, sampleCode: r.sampleCode, status: r.status, riskCaseId: r.riskCaseId });
  }
  return { imported: rows.length, sheets: out };
}

// ── the risk chain ──
async function createRiskCase(ctx: Ctx, s: repo.SheetRow, failed: unknown[]): Promise<string> {
  const subject = s.subject_id ? await credit.findSubject(ctx, s.subject_id) : null;
  const divisionCode = subject?.division_code ?? s.division_code;
  const county = divisionCode.slice(0, 6);
  const subjectName = subject?.name ?? (s.temp_subject as { name?: string } | null)?.name ?? '';
  const trace = await chain.traceBatch(ctx, { traceCode: s.trace_code, batchId: s.batch_id });
  const items = (failed as { item: string }[]).map((f) => f.item).join('、');
  const proposedRecall = {
    reasonZh: `${s.product_name}（样品 ${s.sample_code}）${items} 检测不合格`,
    reasonEn: `${s.product_name} (sample ${s.sample_code}) failed: ${items}`,
    traceCode: s.trace_code ?? s.temp_code,
    scopeZh: '该批次及其全部下游流向',
    scopeEn: 'the batch and every downstream holder',
  };
  const risk = await repo.insertRisk(ctx.db, {
    sheet_id: s.id, subject_id: subject?.id ?? null, subject_name: subjectName, trace_code: s.trace_code, batch_id: s.batch_id, product_name: s.product_name,
    county_code: county, division_code: divisionCode, failed_items: JSON.stringify(failed), trace: JSON.stringify(trace), proposed_recall: JSON.stringify(proposedRecall),
    recall_id: null, credit_record_id: null, recall_opened_at: null, recall_opened_by: null,
  });
  let creditRecordId: string | null = null;
  if (subject) {
    creditRecordId = await credit.recordBad(ctx, { subjectId: subject.id, divisionCode, source: 'test', sourceId: s.id, severity: 'serious', titleZh: `抽检不合格：${proposedRecall.reasonZh}`, titleEn: `Sampling test failed: ${proposedRecall.reasonEn}` });
    await repo.updateRisk(ctx.db, risk.id, { credit_record_id: creditRecordId });
  }
  const countyOrgs = await notifications.countyRegulators(ctx.db, county);
  await notifications.notify(ctx.db, countyOrgs.map((orgId) => ({
    orgId, divisionCode, kind: 'risk.failedTest', link: `/risk-cases/${risk.id}`,
    titleZh: `抽检不合格：${subjectName} ${s.product_name}（${items}），请处置并启动召回`,
    titleEn: `Failed test: ${subjectName} ${s.product_name} (${items}); handle it and open the recall`,
  })));
  await audit(ctx, { verb: 'risk.open', targetType: 'risk_case', targetId: risk.id, divisionCode, summary: { sheetId: s.id, county, traceStatus: trace.status, creditRecordId } });
  return risk.id;
}

function riskDto(r: NonNullable<Awaited<ReturnType<typeof repo.riskById>>>, verbs: Set<string>) {
  return {
    id: r.id, sheetId: r.sheet_id, subjectId: r.subject_id, subjectName: r.subject_name, traceCode: r.trace_code, batchId: r.batch_id, productName: r.product_name,
    countyCode: r.county_code, divisionCode: r.division_code, failedItems: r.failed_items, trace: r.trace, proposedRecall: r.proposed_recall, recallId: r.recall_id,
    status: r.status, creditRecordId: r.credit_record_id, createdAt: r.created_at.toISOString(), recallOpenedAt: r.recall_opened_at?.toISOString() ?? null,
    allowedActions: r.status === 'open' && verbs.has('risk.recall') ? ['openRecall', 'close'] : r.status === 'recall_opened' && verbs.has('risk.recall') ? ['close'] : [],
  };
}
export async function getRisk(ctx: Ctx, id: string) {
  const r = await repo.riskById(ctx.db, id);
  if (!r) throw problems.notFound(...RISK);
  assertInScope(ctx.actor.scope, r.division_code, ...RISK);
  return riskDto(r, ctx.actor.verbs);
}
export async function listRisks(ctx: Ctx, status?: string) {
  return (await repo.listRisks(ctx.db, ctx.actor.scope, status, 200)).map((r) => riskDto(r, ctx.actor.verbs));
}

/** One click: opens the proposed recall (through the chain module when it exists). */
export async function openRecall(ctx: Ctx, id: string, action: 'openRecall' | 'close', note?: string) {
  const r = await repo.riskById(ctx.db, id, true);
  if (!r) throw problems.notFound(...RISK);
  assertInScope(ctx.actor.scope, r.county_code, ...RISK);
  const allowed = riskDto(r, ctx.actor.verbs).allowedActions;
  if (!allowed.includes(action)) {
    const zh = { open: '待处置', recall_opened: '已启动召回', closed: '已结案' }[r.status];
    throw new Problem('INVALID_STATE', { stateZh: zh, stateEn: r.status, actionZh: action === 'openRecall' ? '启动召回' : '结案', actionEn: action });
  }
  if (action === 'openRecall') {
    const recallId = await chain.openRecall(ctx, { batchId: r.batch_id, reasonZh: (r.proposed_recall as { reasonZh: string }).reasonZh });
    await repo.updateRisk(ctx.db, r.id, { status: 'recall_opened', recall_id: recallId, recall_opened_at: new Date(), recall_opened_by: ctx.actor.id });
  } else {
    await repo.updateRisk(ctx.db, r.id, { status: 'closed' });
  }
  await audit(ctx, { verb: 'risk.recall', targetType: 'risk_case', targetId: r.id, divisionCode: r.division_code, summary: { action, note: note ?? null } });
  return getRisk(ctx, r.id);
}
