import { checkCollectedRows } from './collection.js';
import { audit } from './audit.js';
import type { Actor, Ctx } from './context.js';
import { attachFile, saveFile, storedFileData } from './files.js';
import type {
  ActorSnapshot,
  ImportDef,
  ImportReport,
  ImportRow,
  Outcome,
  Payload,
  RejectedRow,
  SheetRecord,
} from './imports.js';
import type { JobContext } from './jobs.js';
import { Problem } from './problems.js';
import {
  type FieldError,
  type RawRow,
  type SheetColumn,
  columnName,
  describeErrors,
  errorWorkbook,
  estimateRows,
  mapHeaders,
  readSheet,
} from './spreadsheet.js';

/** Running an import (kernel/imports.ts): the checks at once, the rows, the job. */

export const columnOf = (def: { columns: readonly SheetColumn[] }, key: string) => {
  const c = def.columns.find((x) => x.key === key);
  return c ? columnName(c) : key;
};
const missingText = (cols: readonly SheetColumn[]) => cols.map(columnName).join('、');

export async function checkHeaders(
  def: { columns: readonly SheetColumn[]; sheet?: string },
  data: Buffer,
  mime: string,
  field: string,
) {
  let header: string[] | null = null;
  try {
    for await (const r of readSheet(data, mime, { sheet: def.sheet })) {
      header = r.cells;
      break;
    }
  } catch {
    throw new Problem('IMPORT_BAD_HEADERS', { columns: '（文件无法读取）', field });
  }
  if (!header) throw new Problem('IMPORT_BAD_HEADERS', { columns: '（文件是空的）', field });
  const { missing } = mapHeaders(def.columns, header);
  if (missing.length) throw new Problem('IMPORT_BAD_HEADERS', { columns: missingText(missing), field });
}

// ── running ────────────────────────────────────────────────────────────────────
class Rollback extends Error {}

interface RowsOutcome {
  header: string[];
  total: number;
  counts: Record<Outcome, number>;
  rejected: RejectedRow[];
  /** The file as a whole was refused. */
  fatal?: { zh: string; en: string; columns: string };
}

/** Reads, validates and (unless `checkOnly`) writes every row. */
export async function runRows<K extends string, S, T, E extends object>(
  ctx: Ctx,
  def: ImportDef<K, S, T, E>,
  data: Buffer,
  mime: string,
  run: { scope: string; jobId: string },
  opts: { checkOnly?: boolean; progress?: (done: number) => Promise<void> },
): Promise<RowsOutcome & { state: S }> {
  const state = await def.begin(ctx, run);
  const out: RowsOutcome = { header: [], total: 0, counts: { inserted: 0, updated: 0, unchanged: 0 }, rejected: [] };
  const reject = (r: { rowNo: number; cells: readonly string[] }, errors: FieldError[]) =>
    out.rejected.push({ rowNo: r.rowNo, cells: [...r.cells], errors, ...describeErrors(errors, def.columns) });
  let index = new Map<K, number>();
  let header: string[] | null = null;
  let batch: ImportRow<T>[] = [];
  const batchSize = def.atomic ? Number.POSITIVE_INFINITY : def.batchSize;

  const flush = async () => {
    if (!batch.length) return;
    const current = batch;
    batch = [];
    const step = async (c: Ctx) => {
      const checks = def.check ? await def.check(c, current, state) : [];
      if (def.resource) {
        const rows = current.map((r) => def.catalogRow?.(r.value) ?? (r.value as Record<string, unknown>));
        const errors = await checkCollectedRows(c, def.resource, rows);
        errors.forEach((e, i) => {
          if (e.length) checks[i] = [...(checks[i] ?? []), ...e];
        });
      }
      const good = current.filter((r, i) => {
        const e = checks[i];
        if (e?.length) reject(r, e);
        return !e?.length;
      });
      if (opts.checkOnly || (def.atomic && out.rejected.length)) return;
      const outcomes = await def.write(c, good, state);
      outcomes.forEach((o, i) => {
        if (Array.isArray(o)) reject(good[i], o);
        else out.counts[o]++;
      });
      if (def.atomic && out.rejected.length) throw new Rollback();
    };
    if (opts.checkOnly) return step(ctx);
    try {
      await ctx.db.transaction().execute((trx) => step({ ...ctx, db: trx }));
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
      out.counts = { inserted: 0, updated: 0, unchanged: 0 };
    }
  };

  try {
    for await (const raw of readSheet(data, mime, { sheet: def.sheet, dates: def.dates }) as AsyncIterable<RawRow>) {
      if (!header) {
        header = raw.cells;
        out.header = header;
        const m = mapHeaders(def.columns, header);
        if (m.missing.length) {
          const columns = missingText(m.missing);
          out.fatal = {
            zh: `缺少必填列：${columns}（请使用系统下载的模板）`,
            en: `required columns missing: ${m.missing.map((c) => c.en ?? c.key).join(', ')} (use the template)`,
            columns,
          };
          return { ...out, state };
        }
        index = m.index;
        continue;
      }
      if (raw.cells.every((c) => c === '')) continue;
      const cells = raw.cells;
      const rec: SheetRecord<K> = {
        rowNo: raw.rowNo,
        cells,
        get: (k) => {
          const i = index.get(k);
          return i === undefined ? '' : (cells[i] ?? '');
        },
        has: (k) => index.has(k),
      };
      if (def.skip?.(rec)) continue;
      out.total++;
      const p = def.parse(rec, state);
      if ('errors' in p) reject(raw, p.errors);
      else batch.push({ rowNo: raw.rowNo, cells, value: p.value });
      if (batch.length >= batchSize) {
        await flush();
        await opts.progress?.(out.total);
      }
    }
  } catch (err) {
    // A file that cannot be read at all is refused as a whole; anything later (a write failing) fails the job.
    if (header !== null) throw err;
    out.fatal = {
      zh: '文件不是有效的 .xlsx 或 CSV 表格',
      en: 'the file is not a valid .xlsx or CSV sheet',
      columns: '（文件无法读取）',
    };
    return { ...out, state };
  }
  if (!header) {
    out.fatal = { zh: '文件是空的', en: 'the file is empty', columns: '（文件是空的）' };
    return { ...out, state };
  }
  await flush();
  return { ...out, state };
}

const actorOf = (s: ActorSnapshot): Actor => ({ ...s, verbs: new Set(s.verbs), mustChangePassword: false });

/** The job handler of an import kind: `jobs: { [def.kind]: { run: (job) => runImportJob(def, job) } }`. */
export async function runImportJob<K extends string, S, T, E extends object>(
  def: ImportDef<K, S, T, E>,
  job: Pick<JobContext, 'db' | 'config' | 'payload' | 'progress' | 'jobId'>,
): Promise<ImportReport & E> {
  const started = performance.now();
  const p = job.payload as Payload;
  const ctx: Ctx = { db: job.db, actor: actorOf(p.actor), ip: null, config: job.config };
  const stored = await storedFileData(job.db, job.config, p.fileId);
  if (!stored) throw new Error('import file not found');
  // The bar's total: an estimate from the file (exact once done).
  const estimate = estimateRows(stored.data, stored.file.mime);
  const totalAt = (done: number) => (estimate === null ? undefined : Math.max(estimate, done));
  await job.progress(0, totalAt(0));
  const run = await runRows(
    ctx,
    def,
    stored.data,
    stored.file.mime,
    { scope: p.scope, jobId: job.jobId },
    {
      progress: (done) => job.progress(done, totalAt(done)),
    },
  );
  const { rejected, counts, total, fatal, state } = run;
  // Rows refused by the per-batch checks or the writes come after those refused by the row validator: file order.
  rejected.sort((a, b) => a.rowNo - b.rowNo);
  const report: ImportReport = {
    kind: def.kind,
    fileName: p.fileName || stored.file.name,
    status: fatal || (def.atomic && rejected.length) ? 'failed' : 'done',
    total,
    ...counts,
    rejected: rejected.length,
    errors: fatal
      ? [{ row: run.header.length ? 1 : 0, message: fatal.zh, messageEn: fatal.en, fields: [] }]
      : rejected.slice(0, 200).map((r) => ({
          row: r.rowNo,
          message: r.zh,
          messageEn: r.en,
          fields: r.errors.map((e) => ({ field: e.field, column: columnOf(def, e.field), zh: e.zh, en: e.en })),
        })),
    errorFileId: null,
    seconds: 0,
  };
  const extra = await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    if (rejected.length) {
      const data = def.errorWorkbook
        ? await def.errorWorkbook(run.header, rejected, state)
        : await errorWorkbook(run.header, rejected);
      const saved = await saveFile(tctx, { name: def.errorFileName, data, rule: 'spreadsheet' });
      await attachFile(tctx, saved.id, def.ownerType, job.jobId);
      report.errorFileId = saved.id;
    }
    const e = fatal ? ({} as E) : ((await def.finish?.(tctx, state, report)) ?? ({} as E));
    report.seconds = Math.round((performance.now() - started) / 10) / 100;
    await audit(tctx, {
      verb: def.verb,
      targetType: 'job',
      targetId: job.jobId,
      divisionCode: p.scope,
      summary: {
        action: 'imported',
        kind: def.kind,
        file: report.fileName,
        status: report.status,
        total,
        ...counts,
        rejected: rejected.length,
      },
    });
    return e;
  });
  await job.progress(total, total);
  return { ...report, ...extra };
}
