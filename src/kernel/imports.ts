import { type Static, type TObject, type TProperties, Type } from 'typebox';
import { audit } from './audit.js';
import { checkHeaders, columnOf, runRows } from './import-run.js';
import type { Actor, Ctx } from './context.js';
import { inScope } from './auth/scope.js';
import { FILE_RULES, type OwnerCheck, attachFile, saveFile, storedFileData } from './files.js';
import { enqueue, getJob } from './jobs.js';
import { Problem, problems } from './problems.js';
import { Nullable } from './schemas.js';
import { CSV_MIME, type FieldError, type SheetColumn, XLSX_MIME, isXlsxBytes } from './spreadsheet.js';

/**
 * The one spreadsheet import pipeline (表格导入). An import module declares an `ImportDef`; the pipeline does the rest:
 *
 *  upload (multipart `file`, or the id of a file uploaded through `uploadFile`) → checks made at once (the header row,
 *  or for an all-or-nothing import every row) → a background job (progress on `GET /jobs/{id}`) → read (.xlsx
 *  streamed, or CSV) → each row through the module's validator (`parse`: a typed value or field errors) → per batch,
 *  in its own transaction, the checks that need the database (`check`) and the writes (`write`: inserted, updated or
 *  unchanged per row) → the error workbook (rejected rows with the column and reason in Chinese and English) → the
 *  merge report (inserted / updated / unchanged / rejected counts, the first rejected rows, the error file) as the
 *  job's result, and one audit row.
 *
 * HTTP: `kernel/import-routes.ts` mounts the same three routes for every import (upload, template, error workbook).
 */
export type Outcome = 'inserted' | 'updated' | 'unchanged';
export type Parsed<T> = { value: T } | { errors: FieldError[] };

/** A data row as the validator sees it: cells by column key ('' when empty or when the file lacks the column). */
export interface SheetRecord<K extends string> {
  rowNo: number;
  cells: readonly string[];
  get(key: K): string;
  has(key: K): boolean;
}

export interface ImportRow<T> {
  rowNo: number;
  cells: string[];
  value: T;
}

export interface ImportDef<K extends string, S, T, E extends object = object> {
  /** Job kind, e.g. `subjects.import`. */
  kind: string;
  name: { zh: string; en: string };
  /** The verb to start the import and read its files. */
  verb: string;
  /** Stored-file owner type of the upload and the error workbook (the job is the owner). */
  ownerType: string;
  columns: readonly SheetColumn<K>[];
  /** Preferred sheet name (else the first visible sheet). */
  sheet?: string;
  /** Read the styles so date-formatted numbers come back as dates. */
  dates?: boolean;
  /** What is refused at once, before queueing: a header row lacking required columns, or every invalid row. */
  atOnce: 'nothing' | 'headers' | 'rows';
  /** All rows or nothing: one batch, one transaction, rolled back when any row is rejected. */
  atomic?: boolean;
  batchSize: number;
  errorFileName: string;
  /**
   * Refuses (throws a Problem) a caller who holds `verb` but must not use this import — checked before an upload is
   * stored and on the template, report and error-workbook routes.
   */
  guard?(ctx: Ctx): void;
  /** Reference data and state for one run (`scope` is the starter's jurisdiction). */
  begin(ctx: Ctx, run: { scope: string; jobId: string }): Promise<S>;
  /** Rows to pass over without counting (e.g. the template's example row). */
  skip?(row: SheetRecord<K>): boolean;
  /** The row validator: a typed value, or the field errors. */
  parse(row: SheetRecord<K>, state: S): Parsed<T>;
  /**
   * The catalogue resource (信息资源目录) the rows collect: each row is checked against the catalogue in force through
   * the collection hook (kernel/collection.ts), as the API's writes are; `catalogRow` maps a value to field keys.
   */
  resource?: string;
  catalogRow?(value: T): Record<string, unknown>;
  /** Checks that need the database, per batch: field errors of each row, or undefined. */
  check?(ctx: Ctx, rows: ImportRow<T>[], state: S): Promise<(FieldError[] | undefined)[]>;
  /** Writes a batch (inside its transaction): the outcome of each row, or field errors found while writing. */
  write(ctx: Ctx, rows: ImportRow<T>[], state: S): Promise<(Outcome | FieldError[])[]>;
  /** After the last batch, in the transaction that stores the error workbook: extra fields of the report. */
  finish?(ctx: Ctx, state: S, report: ImportReport): Promise<E>;
  /** A custom error workbook (default: `spreadsheet.errorWorkbook`). */
  errorWorkbook?(header: readonly string[], rows: readonly RejectedRow[], state: S): Promise<Buffer>;
}

export interface RejectedRow {
  rowNo: number;
  cells: string[];
  errors: FieldError[];
  zh: string;
  en: string;
}

// ── the report (the job's result) ──────────────────────────────────────────────
const RowErrorSchema = Type.Object({
  row: Type.Integer({ description: 'sheet row number (1 = headers; 0 = the file as a whole)' }),
  message: Type.String({ description: 'zh-CN' }),
  messageEn: Type.String(),
  fields: Type.Array(
    Type.Object({
      field: Type.String({ description: 'column key' }),
      column: Type.String({ description: 'column header' }),
      zh: Type.String(),
      en: Type.String(),
    }),
  ),
});
export const ImportReportFields = {
  kind: Type.String(),
  fileName: Type.String(),
  status: Type.Union([Type.Literal('done'), Type.Literal('failed')], {
    description:
      'failed: the file was refused as a whole (unreadable, columns missing, or an all-or-nothing import with invalid rows)',
  }),
  total: Type.Integer({ description: 'data rows read' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  rejected: Type.Integer(),
  errors: Type.Array(RowErrorSchema, { description: 'the first 200 rejected rows' }),
  errorFileId: Nullable(Type.String({ description: 'the error workbook (also at …/imports/{jobId}/errors)' })),
  seconds: Type.Number(),
};
export const ImportReport = Type.Object(ImportReportFields);
export type ImportReport = Static<typeof ImportReport>;
/** The report schema of an import whose `finish` adds fields. */
export const importReportWith = <P extends TProperties>(extra: TObject<P>) =>
  Type.Object({ ...ImportReportFields, ...extra.properties });

export const ImportStarted = Type.Object({
  jobId: Type.String({ format: 'uuid' }),
  statusUrl: Type.String({ description: 'GET it for progress and, when done, the merge report' }),
});

// ── starting ───────────────────────────────────────────────────────────────────
export interface Upload {
  /** A multipart `file` part. */
  file?: { filename: string; mimetype: string; data: Buffer };
  /** Or a file uploaded earlier through `uploadFile` (purpose=spreadsheet). */
  fileId?: string;
}

export type ActorSnapshot = {
  id: string;
  username: string;
  displayName: string;
  orgId: string;
  orgName: string;
  orgKind: Actor['orgKind'];
  scope: string;
  roles: string[];
  verbs: string[];
};
export type Payload = {
  fileId: string;
  fileName: string;
  scope: string;
  actor: ActorSnapshot;
};

const SPREADSHEET = FILE_RULES.spreadsheet;
const notSpreadsheet = (field: string) =>
  new Problem('FILE_TYPE_NOT_ALLOWED', { field, allowedZh: SPREADSHEET.zh, allowedEn: SPREADSHEET.en });

/** Checks a multipart upload's declared type against its bytes, then stores it. */
async function storeUpload(ctx: Ctx, f: NonNullable<Upload['file']>) {
  let name = f.filename || 'import.xlsx';
  const csv = /\.csv$/i.test(name) || f.mimetype === CSV_MIME || f.mimetype === 'application/vnd.ms-excel';
  const xlsx = /\.xlsx$/i.test(name) || f.mimetype === XLSX_MIME || (!csv && isXlsxBytes(f.data));
  if (!xlsx && !csv) throw notSpreadsheet('file');
  if (xlsx && !isXlsxBytes(f.data))
    throw problems.invalid(
      'file',
      '须为 .xlsx 表格文件（请使用下载的模板）',
      'must be an .xlsx workbook (use the template)',
    );
  if (xlsx && !/\.xlsx$/i.test(name)) name += '.xlsx';
  if (!xlsx && !/\.csv$/i.test(name)) name += '.csv';
  return saveFile(ctx, { name, data: f.data, rule: 'spreadsheet', field: 'file' });
}

/**
 * Starts an import (inside the request's write transaction): stores or takes the file, queues the job, makes the
 * checks the import makes at once (400 IMPORT_BAD_HEADERS / IMPORT_ROWS_INVALID: nothing is queued then), audits.
 */
export async function startImport<K extends string, S, T, E extends object>(
  ctx: Ctx,
  def: ImportDef<K, S, T, E>,
  upload: Upload,
): Promise<Static<typeof ImportStarted>> {
  def.guard?.(ctx);
  const field = upload.file ? 'file' : 'fileId';
  let fileId: string;
  if (upload.file) fileId = (await storeUpload(ctx, upload.file)).id;
  else if (upload.fileId) fileId = upload.fileId;
  else throw problems.invalid('file', '请上传表格文件', 'is required');
  const a = ctx.actor;
  const payload: Payload = {
    fileId,
    fileName: '',
    scope: a.scope,
    actor: {
      id: a.id,
      username: a.username,
      displayName: a.displayName,
      orgId: a.orgId,
      orgName: a.orgName,
      orgKind: a.orgKind,
      scope: a.scope,
      roles: a.roles,
      verbs: [...a.verbs],
    },
  };
  // Every upload is its own import: never merged with another queued job.
  const job = await enqueue(ctx, def.kind, payload, { dedupe: false });
  const file = await attachFile(ctx, fileId, def.ownerType, job.id, field);
  if (!SPREADSHEET.mimes.includes(file.mime as (typeof SPREADSHEET.mimes)[number])) throw notSpreadsheet(field);
  await ctx.db
    .updateTable('job')
    .set({ payload: JSON.stringify({ ...payload, fileName: file.name }) })
    .where('id', '=', job.id)
    .execute();
  if (def.atOnce !== 'nothing') {
    const stored = await storedFileData(ctx.db, ctx.config, fileId);
    if (!stored) throw new Problem('FILE_NOT_USABLE', { field, id: fileId });
    if (def.atOnce === 'headers') await checkHeaders(def, stored.data, file.mime, field);
    else {
      const run = { scope: ctx.actor.scope, jobId: job.id };
      const report = await runRows(ctx, def, stored.data, file.mime, run, { checkOnly: true });
      if (report.fatal) throw new Problem('IMPORT_BAD_HEADERS', { columns: report.fatal.columns, field });
      if (report.rejected.length || report.total === 0)
        throw new Problem(
          'IMPORT_ROWS_INVALID',
          { count: report.rejected.length || 1, field },
          report.rejected.length
            ? report.rejected.flatMap((r) =>
                r.errors.map((e) => ({
                  row: r.rowNo,
                  column: e.field,
                  field: columnOf(def, e.field),
                  messageZh: e.zh,
                  messageEn: e.en,
                })),
              )
            : [{ row: 0, column: '', field: '', messageZh: '文件中没有数据行', messageEn: 'no data rows' }],
        );
    }
  }
  await audit(ctx, {
    verb: def.verb,
    targetType: 'job',
    targetId: job.id,
    divisionCode: ctx.actor.scope,
    summary: { action: 'import', kind: def.kind, fileId, name: file.name, size: file.size },
  });
  return { jobId: job.id, statusUrl: `/api/v1/jobs/${job.id}` };
}

/**
 * Who may read an import's files (the upload, the error workbook, reports): whoever started it, and officers holding
 * the import's verb whose jurisdiction contains the job's division. For `ModuleDef.fileOwners`.
 */
export const importFileOwner =
  (verb: string): OwnerCheck =>
  async (ctx, jobId) => {
    const j = await getJob(ctx.db, jobId);
    return (
      !!j &&
      (j.created_by === ctx.actor.id ||
        (ctx.actor.orgKind !== 'producer' && ctx.actor.verbs.has(verb) && inScope(ctx.actor.scope, j.division_code)))
    );
  };

export { runImportJob } from './import-run.js';
