import type { Actor, Ctx } from './context.js';
import type { FieldError } from './spreadsheet.js';

/**
 * The one seam through which collected information (采集信息) is checked against the information resource catalogue
 * (信息资源目录, seed 000 arts. 6, 9) and remembered. The kernel knows no module: the infocatalog module installs the
 * hook (ModuleDef.collectionHook), and `write` / `publicWrite` (kernel/http.ts) and the spreadsheet import pipeline
 * call it for every write, keyed by the route's operationId (import: the ImportDef's resource). Modules' own rules
 * stay where they are; the catalogue's rules are applied on top, as data.
 */
export interface CollectionHook {
  /** Before the service runs, inside the write's transaction: throws a Problem naming the field and the rule. */
  before(ctx: Ctx<Actor | null>, operationId: string, body: unknown): Promise<void>;
  /** After the service ran, in the same transaction: records version, timeliness, review. */
  after(
    ctx: Ctx<Actor | null>,
    operationId: string,
    body: unknown,
    result: unknown,
    params: Record<string, unknown>,
  ): Promise<void>;
  /**
   * Spreadsheet rows of `resource` checked against the catalogue in force (read once for the batch): each row's field
   * errors, empty when it passes.
   */
  checkRows(ctx: Ctx<Actor | null>, resource: string, rows: Record<string, unknown>[]): Promise<FieldError[][]>;
}

let installed: CollectionHook | null = null;

export function installCollectionHook(hook: CollectionHook | null): void {
  installed = hook;
}

/** Runs `fn` (a write) between the hook's before and after, when an operation is named and a hook installed. */
export async function collected<A extends Actor | null, T>(
  ctx: Ctx<A>,
  operationId: string | undefined,
  body: unknown,
  params: Record<string, unknown>,
  fn: (ctx: Ctx<A>) => Promise<T>,
): Promise<T> {
  const hook = installed;
  if (!hook || !operationId) return fn(ctx);
  await hook.before(ctx, operationId, body);
  const result = await fn(ctx);
  await hook.after(ctx, operationId, body, result, params);
  return result;
}

/** Field errors of spreadsheet rows against the catalogue, one list per row (none when no hook is installed). */
export async function checkCollectedRows(
  ctx: Ctx<Actor | null>,
  resource: string,
  rows: Record<string, unknown>[],
): Promise<FieldError[][]> {
  return installed ? installed.checkRows(ctx, resource, rows) : rows.map(() => []);
}
