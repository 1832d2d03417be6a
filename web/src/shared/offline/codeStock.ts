/**
 * Trace codes kept on the device (本机预留码, issue 16 item 2): reserved for a batch while there is signal
 * (`POST /codes/device-reservations`), stored in IndexedDB beside the offline queue, and taken one per label when
 * printing without signal. Each code taken is reported through the offline queue (`…/uses`, with its
 * Idempotency-Key), so the server activates it for the batch once, when the signal returns.
 */
import { createStore, entries, get, set } from 'idb-keyval';
import { enqueue, type QueueItem } from './queue';

export interface StoredReservation {
  id: string;
  batchId: string;
  batchNo: string;
  productName: string;
  producerName: string;
  expiresAt: string;
  /** Codes not printed yet, in order. */
  left: { code: string; url: string }[];
}

const store = typeof indexedDB === 'undefined' ? undefined : createStore('suyuan-codes', 'reserved');

/** The codes kept for a batch (several reservations merge: the oldest are used first). */
async function load(batchId: string): Promise<StoredReservation[]> {
  if (!store) return [];
  const all = (await get<StoredReservation[]>(batchId, store)) ?? [];
  return all.filter((r) => r.left.length > 0 && Date.parse(r.expiresAt) > Date.now());
}

export async function keepReservation(r: Omit<StoredReservation, 'left'> & { codes: StoredReservation['left'] }) {
  if (!store) throw new Error('IndexedDB unavailable');
  const all = await load(r.batchId);
  const { codes, ...head } = r;
  all.push({ ...head, left: codes });
  await set(r.batchId, all, store);
}

/** How many codes this device still holds for a batch. */
export async function codesLeft(batchId: string): Promise<number> {
  return (await load(batchId)).reduce((n, r) => n + r.left.length, 0);
}

/**
 * Takes the next stored code for a label (no network) and queues its use report. Resolves with the code and what
 * the label shows, or null when none is left.
 */
export async function takeCode(
  batchId: string,
): Promise<{ code: string; url: string; reservation: StoredReservation; item: QueueItem } | null> {
  if (!store) return null;
  const all = await load(batchId);
  const r = all.find((x) => x.left.length > 0);
  if (!r) return null;
  const next = r.left.shift() as { code: string; url: string };
  // Saved before the report is queued: a code is never handed out twice, even if the page dies in between.
  await set(batchId, all, store);
  const item = await enqueue(
    'code_use',
    `标签用码 ${next.code}（${r.productName} ${r.batchNo}）`,
    `Label code ${next.code} (${r.productName} ${r.batchNo})`,
    [
      {
        name: 'use',
        method: 'POST',
        path: `/api/v1/codes/device-reservations/${r.id}/uses`,
        body: { code: next.code, usedAt: new Date().toISOString() },
      },
    ],
    `/trace/batches/${batchId}`,
  );
  return { ...next, reservation: r, item };
}

/** Every reservation this device keeps (all batches), with the codes it still holds; expired ones included. */
export async function keptReservations(): Promise<StoredReservation[]> {
  if (!store) return [];
  const all = await entries<string, StoredReservation[]>(store);
  return all.flatMap(([, rs]) => rs);
}

/** Forgets a reservation's codes on this device (after it was released): they are void and must not print. */
export async function dropReservation(id: string): Promise<void> {
  if (!store) return;
  for (const [batchId, rs] of await entries<string, StoredReservation[]>(store)) {
    const rest = rs.filter((r) => r.id !== id);
    if (rest.length !== rs.length) await set(batchId, rest, store);
  }
}

const DEVICE_KEY = 'suyuan.device';
/**
 * The name this phone gives itself when it reserves codes (shown in the list of the account's reservations, so one
 * phone's codes can be told from another's): its kind and four random characters, kept in localStorage.
 */
export function deviceName(): string {
  const kept = localStorage.getItem(DEVICE_KEY);
  if (kept) return kept;
  const ua = navigator.userAgent;
  const kind = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /HarmonyOS/.test(ua)
        ? 'HarmonyOS'
        : /Android/.test(ua)
          ? 'Android'
          : /Windows/.test(ua)
            ? 'Windows'
            : /Mac OS/.test(ua)
              ? 'Mac'
              : /Linux/.test(ua)
                ? 'Linux'
                : 'Web';
  const name = `${kind} · ${Math.random().toString(36).slice(2, 6).toUpperCase()}`;
  localStorage.setItem(DEVICE_KEY, name);
  return name;
}
