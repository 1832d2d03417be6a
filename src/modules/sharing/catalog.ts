import type { Kysely } from 'kysely';
import type { DB } from '../../schema.js';
import { TARGET_LABELS } from '../audit/labels.js';
import { currentCatalogVersion, sharedFieldsOf } from '../infocatalog/service.js';

/**
 * Which resources and fields are shared upward, and under which catalogue version: the one decision, asked by
 * `share()` for every write and by the receiver for every record. The information resource catalogue (信息资源目录,
 * src/modules/infocatalog) owns the answer: a resource it lists is shared with exactly its `sharedUpward` fields
 * under the version in force. Resources it does not list (organisations, the master data of seed 003) and every
 * resource while no catalogue version is in force are shared whole, under the built-in policy.
 */
export const BUILTIN_RESOURCES = [
  'organisation',
  'subject',
  'product',
  'base',
  'batch',
  'certificate',
  'sale',
  'input_use',
  'trace_event',
  'patrol',
  'sampling',
  'test_result',
  'enforcement_case',
  'origin_record',
  'complaint',
] as const;

type Label = { zh: string; en: string };
/** Names of the built-in resources the audit log does not name (the rest are its object kinds). */
const MORE_LABELS: Record<string, Label> = {
  trace_event: { zh: '追溯事件', en: 'trace event' },
  sampling: { zh: '抽样', en: 'sampling' },
  test_result: { zh: '检测结果', en: 'test result' },
};

export interface NamedResource {
  key: string;
  label: Label;
  /** The names of its fields: the catalogue's, and those every shared record carries. */
  fields: { key: string; label: Label }[];
}

/**
 * The resources shared between platforms, named for people (issue 17 item 10: no raw resource keys on screen): the
 * catalogue in force names the resources it lists and their fields; the built-in resources are named here.
 */
export async function namedResources(db: Kysely<DB>): Promise<NamedResource[]> {
  const cur = await currentCatalogVersion(db);
  // The fields every record carries, named, after the catalogue's own.
  const withAlways = (fields: { key: string; label: Label }[]) => [
    ...fields,
    ...Object.entries(ALWAYS_SHARED_LABELS)
      .filter(([k]) => !fields.some((f) => f.key === k))
      .map(([key, label]) => ({ key, label })),
  ];
  const listed = (cur?.resources ?? []).map((r) => ({
    key: r.key,
    label: { zh: r.nameZh, en: r.nameEn },
    fields: withAlways(r.fields.map((f) => ({ key: f.key, label: { zh: f.nameZh, en: f.nameEn } }))),
  }));
  const builtin = BUILTIN_RESOURCES.filter((k) => !listed.some((r) => r.key === k)).map((key) => ({
    key,
    label: TARGET_LABELS[key] ?? MORE_LABELS[key] ?? { zh: key, en: key },
    fields: withAlways([]),
  }));
  return [...listed, ...builtin];
}

/** A namer of resources (and of their fields) for a list of rows: asks the catalogue once. */
export async function resourceNamer(db: Kysely<DB>) {
  const byKey = new Map((await namedResources(db)).map((r) => [r.key, r]));
  return {
    resource: (key: string): Label => byKey.get(key)?.label ?? { zh: key, en: key },
    field: (resource: string, key: string): Label =>
      byKey.get(resource)?.fields.find((f) => f.key === key)?.label ?? { zh: key, en: key },
  };
}

export interface SharePolicy {
  /** Field names to share; `null` = every field of the record. */
  fields: readonly string[] | null;
  catalogVersion: string;
}

const BUILTIN_VERSION = 'builtin-1';
const isBuiltin = (resource: string) => (BUILTIN_RESOURCES as readonly string[]).includes(resource);

/**
 * Policies already asked within a transaction (keyed by the transaction's handle): a transaction sharing many records
 * asks the catalogue once per resource, so it holds the outbox sequence row for fewer statements.
 */
const perTransaction = new WeakMap<Kysely<DB>, Map<string, SharePolicy | null>>();

/** The policy for `resource`, or null when the resource is not shared. */
export async function sharePolicy(db: Kysely<DB>, resource: string): Promise<SharePolicy | null> {
  if (!db.isTransaction) return policyNow(db, resource);
  let known = perTransaction.get(db);
  if (!known) perTransaction.set(db, (known = new Map()));
  if (!known.has(resource)) known.set(resource, await policyNow(db, resource));
  return known.get(resource) ?? null;
}

async function policyNow(db: Kysely<DB>, resource: string): Promise<SharePolicy | null> {
  const cur = await currentCatalogVersion(db);
  if (cur?.resources.some((r) => r.key === resource)) {
    const fields = (await sharedFieldsOf(db, resource)).map((f) => f.key);
    return fields.length ? { fields, catalogVersion: cur.version } : null;
  }
  return isBuiltin(resource) ? { fields: null, catalogVersion: cur?.version ?? BUILTIN_VERSION } : null;
}

/** Whether a record of `resource` arriving from below can be taken (the catalogue or the built-in list knows it). */
export async function isKnownResource(db: Kysely<DB>, resource: string): Promise<boolean> {
  if (isBuiltin(resource)) return true;
  const cur = await currentCatalogVersion(db);
  return !!cur?.resources.some((r) => r.key === resource);
}

/** Fields every shared record carries whatever the catalogue says (below), named here. */
const ALWAYS_SHARED_LABELS: Record<string, Label> = {
  id: { zh: '记录标识', en: 'record id' },
  divisionCode: { zh: '所在区划', en: 'division' },
  status: { zh: '状态', en: 'status' },
  identityCode: { zh: '主体身份码', en: 'identity code' },
  registryHashes: { zh: '登记查重摘要', en: 'registry hashes' },
};
const ALWAYS_SHARED = Object.keys(ALWAYS_SHARED_LABELS);

/** The shared projection of a record: only the policy's fields, as plain JSON (dates as ISO strings). */
export function projectRecord(record: Record<string, unknown>, fields: readonly string[] | null) {
  const json = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
  if (!fields) return json;
  const out = Object.fromEntries(fields.filter((f) => f in json).map((f) => [f, json[f]]));
  // The record's identity and division always travel (the key of idempotent apply and the region check), and so do
  // the platform-assigned status and identity code (lifecycle, not collected information) when the record has them,
  // and a subject's registry hashes (keyed hashes, not the numbers: the national registry's de-duplication).
  for (const k of ALWAYS_SHARED) if (k in json) out[k] = json[k];
  return out;
}
