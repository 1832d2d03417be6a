import type { Static } from 'typebox';
import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import type { ImportDef, ImportReport, Parsed, SheetRecord } from '../../kernel/imports.js';
import { getJob } from '../../kernel/jobs.js';
import { Problem, problems } from '../../kernel/problems.js';
import type { FieldError } from '../../kernel/spreadsheet.js';
import { schemaFieldErrors } from '../../kernel/validation.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import { Rules } from './rules.js';
import { CreateRecordBody, type ImportOutcome } from './schemas.js';
import { REVIEW_DAYS, type RecordColumns, matchSubjects, queueForReview, toColumns } from './service/records.js';
import { audit } from '../../kernel/audit.js';
import { deadlineFrom } from '../../kernel/calendar.js';
import { COLUMNS, type ColumnKey, LISTS, SHEET, codeOfLabel, errorWorkbook } from './sheet.js';
import {
  type RecordInput,
  type UncheckedRecord,
  checkRecord,
  checkedRecord,
  isTownOrVillage,
  minScaleOf,
} from './validate.js';

/**
 * The origin-record import (批量导入采集表) on the import pipeline (kernel/imports.ts): every row is validated (the
 * sheet's labels → codes, then the same rules as the form); good rows are inserted, or updated by key (record
 * number, else township + credit code or name + product + base), in batches of 1,000, each in one transaction (a
 * crash leaves whole batches and a re-import completes the rest); updated records re-enter review; bad rows go to
 * the error workbook, which is the template again with the reasons in a last column.
 */
export const JOB_KIND = 'origin.import';

interface Row {
  input: RecordInput;
  cols: RecordColumns;
  /** The threshold when the row's scale alone is below it (the operator's plots together are checked per batch). */
  groupMin?: number;
}
interface State {
  scope: string;
  rules: Rules;
  /** Import keys seen in this file → row number. */
  seen: Map<string, number>;
  /** Counties whose map rollup must be rebuilt (records that were on the map changed). */
  touched: Set<string>;
}

/** The row validator: labels to codes, the unit against the product, then `checkRecord` as for the form. */
function parse(rec: SheetRecord<ColumnKey>, state: State): Parsed<Row> {
  const errors: FieldError[] = [];
  const column = (k: ColumnKey) => COLUMNS.find((c) => c.key === k) as (typeof COLUMNS)[number];
  const text = (k: ColumnKey) => rec.get(k);
  const orNull = (k: ColumnKey) => text(k) || null;
  /** A label (or code) of the column's list → its code; the text itself (reported) when it is not one. */
  const code = (k: ColumnKey) => {
    const t = text(k);
    const list = column(k).list;
    if (!t || !list) return t;
    const found = codeOfLabel(list, t);
    if (!found)
      errors.push(
        list === LISTS.products
          ? { field: k, zh: `“${t}”不是 12 个重点品种之一`, en: `"${t}" is not a key product` }
          : { field: k, zh: `“${t}”不是下拉列表中的选项`, en: `"${t}" is not an allowed value` },
      );
    return found ?? t;
  };
  const codes = (k: ColumnKey) => {
    const list = column(k).list;
    const parts = text(k)
      .split(/[、,，;；\s]+/)
      .filter(Boolean);
    const found = parts.map((p) => (list ? codeOfLabel(list, p) : p));
    parts.forEach((p, i) => {
      if (!found[i]) errors.push({ field: k, zh: `“${p}”不是下拉列表中的选项`, en: `"${p}" is not an allowed value` });
    });
    return found.filter((x): x is string => !!x);
  };
  const num = (k: ColumnKey) => {
    const t = text(k);
    if (!t) return null;
    const v = Number(t);
    if (!Number.isFinite(v)) errors.push({ field: k, zh: `“${t}”不是数字`, en: `"${t}" is not a number` });
    return Number.isFinite(v) ? v : null;
  };
  const date = (k: ColumnKey) => {
    const t = text(k);
    const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
    return m ? `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}` : t || null;
  };
  const r: UncheckedRecord = {
    recordKey: orNull('recordKey'),
    divisionCode: text('divisionCode'),
    subjectName: text('subjectName'),
    subjectType: code('subjectType'),
    creditCode: orNull('creditCode'),
    productCode: code('productCode'),
    alias: orNull('alias'),
    certification: codes('certification')[0] ?? null,
    certifications: codes('certification'),
    baseAddress: text('baseAddress'),
    longitude: num('longitude'),
    latitude: num('latitude'),
    contactName: text('contactName'),
    contactPhone: text('contactPhone'),
    scale: num('scale') ?? Number.NaN,
    marketStart: date('marketStart'),
    marketEnd: date('marketEnd'),
    productionMethod: code('productionMethod'),
    traceMethods: codes('traceMethods'),
    creditRating: code('creditRating') || null,
    gridWorkerName: orNull('gridWorkerName'),
    gridWorkerPhone: orNull('gridWorkerPhone'),
    collectorName: orNull('collectorName'),
    collectorPhone: orNull('collectorPhone'),
    geoSource: 'import',
  };
  // The unit column, when filled, must be the product's unit.
  const unitText = text('unit');
  const rule = state.rules.at(r.productCode, r.divisionCode);
  if (unitText && rule && codeOfLabel(LISTS.units, unitText) !== rule.unit)
    errors.push({
      field: 'unit',
      zh: `${rule.name}的规模单位应为“${LISTS.units.labels[rule.unit].zh}”`,
      en: `the unit of ${rule.code} is ${rule.unit}`,
    });
  // A point may come later (completed on site); plots below the threshold are checked with the operator's others.
  const opts = { pointLater: true, groupOthers: Number.POSITIVE_INFINITY };
  errors.push(...checkRecord(r, rule, true, opts).filter((e) => !errors.some((x) => x.field === e.field)));
  const input = errors.length ? undefined : checkedRecord(r);
  if (!input || !rule) return { errors };
  // The form's request schema too (lengths, formats), so a row is held to exactly what single entry accepts.
  const { recordKey: _k, geoSource: _g, ...fields } = input;
  const schemaErrors = schemaFieldErrors(
    CreateRecordBody,
    Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)),
  );
  if (schemaErrors.length) return { errors: schemaErrors };
  const min = minScaleOf(rule, input.productionMethod);
  return { value: { input, cols: toColumns(input), groupMin: input.scale < min ? min : undefined } };
}

const groupKey = (c: RecordColumns) => [c.county_code, c.product_code, c.credit_code ?? c.subject_name].join('|');

/**
 * Rows whose scale alone is below the threshold: the operator's plots of the product in the county together (the
 * stored ones other than this batch's, and this batch's) must reach it (seed 004 五(四)); each plot stays its own row.
 */
async function groupErrors(ctx: Ctx, rows: { value: Row }[]) {
  const out = new Map<Row, FieldError[]>();
  const batch = new Map<string, Row[]>();
  for (const { value } of rows) batch.set(groupKey(value.cols), [...(batch.get(groupKey(value.cols)) ?? []), value]);
  for (const { value } of rows) {
    if (value.groupMin === undefined) continue;
    const mates = batch.get(groupKey(value.cols)) ?? [];
    const stored = await repo.groupScaleOf(ctx.db, {
      countyCode: value.cols.county_code,
      productCode: value.cols.product_code,
      creditCode: value.cols.credit_code,
      subjectName: value.cols.subject_name,
      except: mates.map((m) => m.cols.record_key),
    });
    const total = stored + mates.reduce((a, m) => a + m.input.scale, 0);
    if (total < value.groupMin)
      out.set(value, [
        {
          field: 'scale',
          zh: `规模须达到 ${value.groupMin} 以上才纳入采集范围（该主体本县同品种各地块合计 ${total}）`,
          en: `must be at least ${value.groupMin} (this operator's plots of the product in the county total ${total})`,
        },
      ]);
  }
  return out;
}

/** Divisions must exist and lie inside the jurisdiction; a key once per file; small plots reach the scale together. */
async function check(ctx: Ctx, rows: { rowNo: number; value: Row }[], state: State) {
  const codes = [...new Set(rows.map((r) => r.value.input.divisionCode).filter(isTownOrVillage))];
  const known = await regions.namesOf(ctx, codes);
  const small = await groupErrors(ctx, rows);
  return rows.map(({ rowNo, value }): FieldError[] | undefined => {
    const { input, cols } = value;
    const code = input.divisionCode;
    if (!known.has(code))
      return [{ field: 'divisionCode', zh: `区划代码 ${code} 不存在`, en: `division ${code} does not exist` }];
    if (!inScope(state.scope, code))
      return [{ field: 'divisionCode', zh: `${code} 不在您的管辖范围内`, en: `${code} is outside your jurisdiction` }];
    const prev = state.seen.get(cols.record_key);
    if (prev !== undefined)
      return [
        {
          field: 'baseAddress',
          zh: `与第 ${prev} 行是同一主体、品种、基地（重复行）`,
          en: `duplicates row ${prev} (same subject, product and base)`,
        },
      ];
    state.seen.set(cols.record_key, rowNo);
    return small.get(value);
  });
}

/** Fields compared to tell an updated record from an unchanged one. */
const COMPARED = [
  'division_code',
  'subject_name',
  'subject_type',
  'credit_code',
  'product_code',
  'alias',
  'certification',
  'certifications',
  'base_address',
  'longitude',
  'latitude',
  'contact_name',
  'contact_phone',
  'scale',
  'market_start',
  'market_end',
  'production_method',
  'trace_methods',
  'credit_rating',
  'grid_worker_name',
  'grid_worker_phone',
  'collector_name',
  'collector_phone',
] as const;
const same = (a: unknown, b: unknown) => {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return (a ?? null) === (b ?? null);
};

/**
 * The import works in the starter's jurisdiction (`actor.scope`). A producer or a service agency may hold
 * `origin.collect` (its own records; records it enters for a client or in a county that authorised it), but its
 * organisation's division is no collection area — a producer's own village, an agency's whole city — so the
 * spreadsheet import is refused to them: they collect record by record, where `collectAccess` applies.
 */
function refuseProducersAndAgencies(ctx: Ctx) {
  if (ctx.actor.orgKind === 'producer' || ctx.actor.orgKind === 'service')
    throw new Problem('ORIGIN_IMPORT_NOT_ALLOWED');
}

export const originImport: ImportDef<ColumnKey, State, Row> = {
  kind: JOB_KIND,
  name: { zh: '批量导入采集表', en: 'Import a filled collection template' },
  verb: 'origin.collect',
  ownerType: 'origin_import',
  columns: COLUMNS,
  sheet: SHEET,
  dates: true,
  atOnce: 'nothing',
  batchSize: 1000,
  errorFileName: '导入错误表.xlsx',
  guard: refuseProducersAndAgencies,
  begin: async (ctx, { scope }) => ({ scope, rules: await Rules.load(ctx.db), seen: new Map(), touched: new Set() }),
  parse,
  // Each row is also checked against the information resource catalogue in force, as the collection form is (the
  // coordinate source `import` is set by the platform, not collected).
  resource: 'origin_record',
  catalogRow: ({ input: { geoSource: _, ...collected } }) => collected,
  check,
  async write(ctx, rows, state) {
    const existing = new Map(
      (
        await repo.recordsByKeys(
          ctx.db,
          rows.map((r) => r.value.cols.record_key),
        )
      ).map((e) => [e.record_key, e]),
    );
    const subjects = await matchSubjects(
      ctx.db,
      rows.map(({ value: { cols } }) => ({
        creditCode: cols.credit_code,
        subjectName: cols.subject_name,
        countyCode: cols.county_code,
      })),
    );
    const write: Parameters<typeof repo.upsertRecords>[1] = [];
    const confirmed: string[] = [];
    const now = new Date();
    const out = rows.map(({ value }, j): 'inserted' | 'updated' | 'unchanged' | FieldError[] => {
      const old = existing.get(value.cols.record_key);
      let cols = value.cols;
      // Import first, refine later: a row without a point keeps the point a visit has since completed.
      if (cols.longitude === null && old && old.longitude !== null)
        cols = {
          ...cols,
          longitude: old.longitude,
          latitude: old.latitude,
          geo_check: old.geo_check,
          geo_source: old.geo_source,
          gps_accuracy_m: old.gps_accuracy_m,
        };
      if (old && !inScope(state.scope, old.division_code))
        return [
          {
            field: 'recordKey',
            zh: '该记录属于其他辖区，不能由您更新',
            en: 'this record belongs to another jurisdiction',
          },
        ];
      // An unchanged row confirms the record (seed 004 五(四) 动态更新): its collection date is refreshed.
      if (old && COMPARED.every((k) => same(old[k], cols[k]))) {
        confirmed.push(old.id);
        return 'unchanged';
      }
      if (old?.approved_at) state.touched.add(old.county_code).add(cols.county_code);
      const pointLater = cols.longitude === null;
      write.push({
        ...cols,
        subject_id: subjects[j],
        status: pointLater ? 'draft' : 'submitted',
        site_pending: pointLater,
        submitted_at: pointLater ? null : now,
        review_due: pointLater ? null : deadlineFrom(now, REVIEW_DAYS),
        collected_at: now,
        created_by: ctx.actor.id,
        updated_by: ctx.actor.id,
      });
      return old ? 'updated' : 'inserted';
    });
    // Large multi-row statements: keep each under PostgreSQL's 65,535 parameters.
    // Rows imported already submitted enter the review queue (信息审核, kernel/review.ts) in the same transaction.
    for (let k = 0; k < write.length; k += 1500)
      await queueForReview(ctx, await repo.upsertRecords(ctx.db, write.slice(k, k + 1500)));
    if (confirmed.length) {
      await repo.confirmRecords(ctx.db, confirmed);
      await audit(ctx, {
        verb: 'origin.collect',
        targetType: 'origin_record',
        targetId: confirmed.length === 1 ? confirmed[0] : null,
        divisionCode: state.scope,
        summary: { action: 'confirm', count: confirmed.length, ids: confirmed },
      });
    }
    return out;
  },
  async finish(ctx, state) {
    if (state.touched.size) await repo.refreshCells(ctx.db, [...state.touched]);
    return {};
  },
  errorWorkbook: (header, rows) => errorWorkbook(header, rows),
};

/**
 * An import's outcome by its job id, in the names the origin import has always answered with (`GET /jobs/{id}`
 * carries the same report in the pipeline's names).
 */
export async function importOutcome(ctx: Ctx, jobId: string): Promise<Static<typeof ImportOutcome>> {
  refuseProducersAndAgencies(ctx);
  const job = await getJob(ctx.db, jobId);
  if (!job || job.kind !== JOB_KIND) throw problems.notFound('导入', 'Import');
  assertInScope(ctx.actor.scope, job.division_code, '导入', 'import');
  const report = job.result as ImportReport | null;
  const p = job.payload as { fileName?: string };
  return {
    id: job.id,
    jobId: job.id,
    fileName: report?.fileName ?? p.fileName ?? '',
    status: job.status === 'failed' ? 'failed' : report ? report.status : 'queued',
    total: report?.total ?? null,
    created: report?.inserted ?? null,
    updated: report?.updated ?? null,
    unchanged: report?.unchanged ?? null,
    errorRows: report?.rejected ?? null,
    errors: (report?.errors ?? []).map((e) => ({ row: e.row, message: e.message, messageEn: e.messageEn })),
    hasErrorFile: !!report?.errorFileId,
  };
}
