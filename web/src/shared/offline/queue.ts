/**
 * The offline queue (离线待发送) for field actions: a patrol, a certificate, a sale… is saved on the device
 * (IndexedDB) first, then sent; without signal it waits and is retried with back-off until the server answers.
 * Every request carries an `Idempotency-Key` (`item id · revision · step`), which the server honours, so a retry
 * after a lost answer is never applied twice. A refusal (4xx: stock sold meanwhile, batch recalled, a field wrong)
 * stops the item with the server's reason; the user fixes it and resends (a new revision, so new keys for the
 * steps not yet done), or deletes it.
 *
 * An item is a list of steps run in order; a later step may use an earlier one's answer (`{ $ref: 'start.id' }`)
 * — e.g. a patrol: upload photos → upload the signature → start → submit with the photo ids.
 */
import { createStore, del, get, keys, set } from 'idb-keyval';
import { actingFor } from '../actingFor';
import { ApiError, type Problem } from '../api';

export type QueueState = 'waiting' | 'sending' | 'sent' | 'failed';

export interface QueueStep {
  name: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with `{name.field}` placeholders filled from earlier answers, e.g. `/api/v1/patrols/{start.id}/submit`. */
  path: string;
  /** JSON body; `{ $ref: 'step.field' }` anywhere in it is replaced by an earlier answer's value. */
  body?: unknown;
  /** A file for a multipart upload (part `file`). */
  file?: { blob: Blob; name: string };
}

/** A field of a step's body the user may change on a refused item before resending (e.g. the quantity sold). */
export interface QueueEdit {
  step: string;
  field: string;
  zh: string;
  en: string;
}

export interface QueueItem {
  id: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  createdAt: number;
  state: QueueState;
  /** Bumped by "resend": the steps not yet done get new idempotency keys. */
  rev: number;
  steps: QueueStep[];
  /** Answers of the steps done, by step name. */
  results: Record<string, unknown>;
  attempts: number;
  nextAt: number;
  /** The last failure: the server's problem (readable zh/en), or NETWORK. */
  problem?: Problem;
  /** Where the record can be seen once sent (a page path). */
  link?: string;
  /** Fields to fix on a refused item (a conflict: stock sold meanwhile, a quantity too large). */
  edit?: QueueEdit[];
  /** The producer acted for (代录) when the item was made: sent with every step, whoever is acting for whom later. */
  actingFor?: string;
  sentAt?: number;
}

const store = typeof indexedDB === 'undefined' ? undefined : createStore('suyuan-offline', 'queue');
const listeners = new Set<() => void>();
const notify = () => {
  for (const fn of listeners) fn();
};
export function subscribe(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function listItems(): Promise<QueueItem[]> {
  if (!store) return [];
  const ids = (await keys(store)) as string[];
  const items = await Promise.all(ids.map((k) => get<QueueItem>(k, store)));
  return items.filter((i): i is QueueItem => !!i).sort((a, b) => b.createdAt - a.createdAt);
}
async function save(item: QueueItem) {
  if (store) await set(item.id, item, store);
  notify();
}

/** Back-off after the n-th failed try: 2, 4, 8 … seconds, at most five minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.min(attempts, 9));
}

/** Replaces `{ $ref: 'step.a.b' }` values and `{step.a}` path placeholders with earlier answers. */
export function resolveRefs(value: unknown, results: Record<string, unknown>): unknown {
  const pick = (ref: string) =>
    ref
      .split('.')
      .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), results);
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, results));
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.$ref === 'string' && Object.keys(o).length === 1) return pick(o.$ref);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolveRefs(v, results)]));
  }
  return value;
}
export function resolvePath(path: string, results: Record<string, unknown>): string {
  return path.replace(/\{([\w.]+)\}/g, (_, ref: string) =>
    encodeURIComponent(String(resolveRefs({ $ref: ref }, results))),
  );
}

/** Saves a new item and starts sending it. Resolves with the saved item (its state shows how far it got). */
export async function enqueue(
  kind: string,
  titleZh: string,
  titleEn: string,
  steps: QueueStep[],
  link?: string,
  edit?: QueueEdit[],
): Promise<QueueItem> {
  const item: QueueItem = {
    id: crypto.randomUUID(),
    kind,
    titleZh,
    titleEn,
    createdAt: Date.now(),
    state: 'waiting',
    rev: 0,
    steps,
    results: {},
    attempts: 0,
    nextAt: 0,
    link,
    edit,
    actingFor: actingFor()?.subjectId,
  };
  await save(item);
  return (await sendItem(item)) ?? item;
}

/**
 * A form's write through the queue: saved, then sent at once. Resolves with the item — `sent` (the answers in
 * `results`) or `waiting` (kept on the device, sent when the signal returns). A refusal heard now is thrown as the
 * server's problem (the form shows it on its field) and the item is dropped, so fixing and resubmitting is one step;
 * a refusal heard later stays on the item in the queue, to fix and resend there.
 */
export async function submitQueued(
  kind: string,
  titleZh: string,
  titleEn: string,
  steps: QueueStep[],
  link?: string,
  edit?: QueueEdit[],
): Promise<QueueItem> {
  const item = await enqueue(kind, titleZh, titleEn, steps, link, edit);
  if (item.state === 'failed' && item.problem) {
    await remove(item.id);
    throw new ApiError(item.problem);
  }
  return item;
}

/** The answer of an item's last step (the record written), once sent. */
export function lastResult<T>(item: QueueItem): T {
  return item.results[item.steps[item.steps.length - 1].name] as T;
}

const NETWORK: Problem = {
  statusCode: 0,
  code: 'NETWORK',
  message: '没有网络，已保存在本机，联网后自动发送',
  messageEn: 'No signal; saved on this device and sent automatically when online',
};

async function runStep(item: QueueItem, index: number): Promise<Response> {
  const step = item.steps[index];
  const headers: Record<string, string> = { 'idempotency-key': `${item.id}.${item.rev}.${index}` };
  if (item.actingFor) headers['x-acting-for'] = item.actingFor;
  let body: BodyInit | undefined;
  if (step.file) {
    const fd = new FormData();
    fd.append('file', step.file.blob, step.file.name);
    body = fd;
  } else if (step.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(resolveRefs(step.body, item.results));
  }
  return fetch(resolvePath(step.path, item.results), {
    method: step.method,
    headers,
    body,
    credentials: 'same-origin',
  });
}

const inFlight = new Set<string>();

/** Sends one item's remaining steps. Network trouble and 5xx: wait and retry later; 4xx: failed with the reason. */
export async function sendItem(item: QueueItem): Promise<QueueItem | undefined> {
  if (inFlight.has(item.id) || item.state === 'sent') return;
  inFlight.add(item.id);
  try {
    item.state = 'sending';
    await save(item);
    for (let i = 0; i < item.steps.length; i++) {
      const name = item.steps[i].name;
      if (name in item.results) continue;
      let res: Response;
      try {
        res = await runStep(item, i);
      } catch {
        return await retryLater(item, NETWORK);
      }
      const text = await res.text();
      let data: unknown;
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        data = text;
      }
      if (!res.ok) {
        const problem: Problem =
          data && typeof data === 'object' && 'code' in data
            ? (data as Problem)
            : {
                statusCode: res.status,
                code: 'HTTP',
                message: `服务器错误（${res.status}）`,
                messageEn: `Server error (${res.status})`,
              };
        // 5xx, 408, 429 and "the same request is still running" are worth retrying as they are.
        if (res.status >= 500 || res.status === 408 || res.status === 429 || problem.code === 'IDEMPOTENCY_IN_PROGRESS')
          return await retryLater(item, problem);
        item.state = 'failed';
        item.problem = problem;
        await save(item);
        return item;
      }
      item.results = { ...item.results, [name]: data };
      await save(item);
    }
    item.state = 'sent';
    item.sentAt = Date.now();
    item.problem = undefined;
    await save(item);
    return item;
  } finally {
    inFlight.delete(item.id);
  }
}

async function retryLater(item: QueueItem, problem: Problem): Promise<QueueItem> {
  item.attempts += 1;
  item.nextAt = Date.now() + backoffMs(item.attempts);
  item.state = 'waiting';
  item.problem = problem;
  await save(item);
  return item;
}

/** Sends every waiting item whose back-off has passed (or all of them when `now` is forced). */
export async function flush(force = false): Promise<void> {
  // A `sending` item not in flight here was cut off (tab closed): its keys make resending it safe.
  for (const item of await listItems())
    if (
      (item.state === 'waiting' || (item.state === 'sending' && !inFlight.has(item.id))) &&
      (force || item.nextAt <= Date.now())
    )
      await sendItem(item);
}

/** "Resend" after a failure was fixed: new keys for the steps not yet done, sent at once. */
export async function resend(id: string, patch?: (steps: QueueStep[]) => QueueStep[]): Promise<void> {
  const item = store ? await get<QueueItem>(id, store) : undefined;
  if (!item || item.state === 'sent') return;
  if (item.state === 'failed') item.rev += 1;
  if (patch) item.steps = patch(item.steps);
  item.state = 'waiting';
  item.attempts = 0;
  item.nextAt = 0;
  await save(item);
  await sendItem(item);
}

export async function remove(id: string): Promise<void> {
  if (store) await del(id, store);
  notify();
}

/** Sent items are kept a week for the record, then dropped. */
export async function prune(now = Date.now()): Promise<void> {
  for (const item of await listItems())
    if (item.state === 'sent' && item.sentAt && now - item.sentAt > 7 * 86_400_000) await remove(item.id);
}

let started = false;
/** Starts the background sender: on regaining signal, every 5 s for due items, and at once. */
export function startQueue(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  window.addEventListener('online', () => void flush(true));
  setInterval(() => {
    if (navigator.onLine) void flush();
  }, 5000);
  void prune().then(() => flush(true));
}
