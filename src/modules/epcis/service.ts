import { randomUUID } from 'node:crypto';
import { audit } from '../../kernel/audit.js';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import { parseCode, platformPart, shortCode } from '../../kernel/codes.js';
import type { Ctx } from '../../kernel/context.js';
import type { DB } from '../../schema.js';
import { Problem, problems } from '../../kernel/problems.js';
import { producerOf, readScopeOf } from '../catalog/owner.js';
import {
  type BatchRef,
  type EpcisEvent,
  type PlatformEvent,
  SUYUAN_NS,
  eventHash,
  extraContext,
  identifiersOf,
  normaliseBizStep,
  queryDocument,
  toEpcis,
} from './mapping.js';
import { EpcPatternError, epcPatternRegexes, isEpcPattern } from './epcpattern.js';
import * as repo from './repo.js';
import type { CaptureResult, EpcisDocumentBody, EpcisQuery } from './schemas.js';
import { EPCIS_EVENT_TYPES, type EpcisEventType } from './tables.js';
import { schemaError } from './validate.js';

/** Most events one capture request may carry (EPCIS lets a repository set its own limit; larger: split the document). */
export const MAX_CAPTURE_EVENTS = 10_000;

const invalid = (field: string, reasonZh: string, reasonEn: string) =>
  new Problem('EPCIS_INVALID', { field, reasonZh, reasonEn });

/**
 * captureEpcis: an EPCISDocument from a producer's own system or a third-party platform acting for a producer (an API
 * token holding `epcis.capture`). The document is validated against the EPCIS 2.0 JSON schema (the first precise
 * error is answered with its JSON path, zh + en, and nothing is stored); each event is stored by its content hash
 * (mapping.ts `eventHash`) under the producer it belongs to, so re-sending a document stores nothing new.
 */
export async function captureEpcis(ctx: Ctx, doc: EpcisDocumentBody): Promise<CaptureResult> {
  if (doc.type !== 'EPCISDocument')
    throw invalid('/type', '须为 "EPCISDocument"（采集接口只接收 EPCIS 文档）', 'must be "EPCISDocument"');
  const err = schemaError(doc);
  if (err) throw invalid(err.path || '/', err.reasonZh, err.reasonEn);
  const events = ((doc.epcisBody as { eventList: Record<string, unknown>[] }).eventList ?? []).slice();
  if (events.length > MAX_CAPTURE_EVENTS)
    throw invalid(
      '/epcisBody/eventList',
      `一次最多采集 ${MAX_CAPTURE_EVENTS} 个事件，请拆分文档`,
      `holds more than ${MAX_CAPTURE_EVENTS} events; split the document`,
    );
  const me = await producerOf(ctx, 'batches');
  const docContext = extraContext(doc['@context']);
  const captureId = randomUUID();
  const hashes: string[] = [];
  const rows = new Map<string, repo.NewCaptured>();
  for (const ev of events) {
    const hash = eventHash(ev);
    hashes.push(hash);
    if (rows.has(hash)) continue;
    const { recordTime: _recordTime, '@context': own, ...stored } = ev;
    const context = [...docContext, ...extraContext(own)];
    const ids = identifiersOf(ev);
    rows.set(hash, {
      event_hash: hash,
      event_type: String(ev.type),
      event_time: String(ev.eventTime),
      biz_step: typeof ev.bizStep === 'string' ? normaliseBizStep(ev.bizStep) : null,
      epcs: ids.epcs,
      parent_id: ids.parentId,
      epc_classes: ids.epcClasses,
      event: JSON.stringify(stored),
      context: context.length ? JSON.stringify(context) : null,
      subject_id: me.id,
      division_code: me.divisionCode,
      capture_id: captureId,
      captured_by: ctx.actor.id,
    });
  }
  const all = [...rows.values()];
  let captured = 0;
  for (let i = 0; i < all.length; i += 500)
    captured += (await repo.insertCaptured(ctx.db, all.slice(i, i + 500))).length;
  const result = {
    captureId,
    events: events.length,
    captured,
    duplicates: events.length - captured,
    eventHashes: hashes,
  };
  await audit(ctx, {
    verb: 'epcis.capture',
    targetType: 'subject',
    targetId: me.id,
    targetName: me.name,
    divisionCode: me.divisionCode,
    summary: { action: 'capture', events: result.events, captured, duplicates: result.duplicates },
  });
  return result;
}

/**
 * One trace event of this platform in its EPCIS form (null when it does not exist): what upward sharing sends for
 * the resource `trace_event` (sharing/share.ts), in the write's transaction.
 */
export async function traceEventAsEpcis(ctx: MapCtx, eventId: string): Promise<EpcisEvent | null> {
  const rows = await repo.platformEventById(ctx.db, eventId);
  if (!rows.length) return null;
  const [e] = await toPlatformEvents(ctx, rows);
  return toEpcis(e, ctx.config.publicBaseUrl);
}

// ── query ─────────────────────────────────────────────────────────────────────────────────────────────────────────

const list = (v: string | undefined) =>
  v === undefined
    ? null
    : v
        .split(/[,|]/)
        .map((s) => s.trim())
        .filter(Boolean);

/** MATCH_epc / MATCH_anyEPC values: exact EPCs, EPC pattern URIs and `…*` prefixes (epcpattern.ts); 400 naming the field. */
function epcMatch(field: string, values: string[] | null): repo.EpcMatch | null {
  if (!values) return null;
  const m: repo.EpcMatch = { exact: [], regexes: [] };
  for (const v of values) {
    if (!isEpcPattern(v)) {
      m.exact.push(v);
      continue;
    }
    try {
      m.regexes.push(...epcPatternRegexes(v));
    } catch (e) {
      if (e instanceof EpcPatternError)
        throw problems.invalid(field, `无效：${e.reasonZh}`, `is invalid: ${e.reasonEn}`);
      throw e;
    }
  }
  return m;
}

/** Our own step names for a queried step (bare CBV words, `suyuan:x` and `urn:suyuan:epcis:x`). */
function platformSteps(steps: string[]): string[] {
  const out = new Set<string>();
  for (const s of steps) {
    const n = normaliseBizStep(s);
    if (n.startsWith('suyuan:')) out.add(n.slice(7));
    else if (n.startsWith(SUYUAN_NS)) out.add(n.slice(SUYUAN_NS.length));
    else out.add(n);
    if (n === 'repackaging') out.add('repacking');
  }
  return [...out];
}

/** Captured events store the step as normalised; our own `suyuan:x` may also be sent expanded. */
function capturedSteps(steps: string[]): string[] {
  const out = new Set<string>();
  for (const s of steps) {
    const n = normaliseBizStep(s);
    out.add(n);
    if (n.startsWith(SUYUAN_NS)) out.add(`suyuan:${n.slice(SUYUAN_NS.length)}`);
  }
  return [...out];
}

function encodeCursor(c: repo.Cursor): string {
  return Buffer.from(JSON.stringify([c.t, c.k, c.id]), 'utf8').toString('base64url');
}

function decodeCursor(token: string): repo.Cursor {
  try {
    const [t, k, id] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    if (
      typeof t === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(t) &&
      (k === 0 || k === 1) &&
      Number.isSafeInteger(id)
    )
      return { t, k, id: id as number };
  } catch {
    // answered below
  }
  throw problems.invalid('nextPageToken', '不是本接口给出的翻页标记', 'is not a page token this interface gave');
}

/** Batches named by MATCH_epcClass values: our trace-code URLs (or typed codes) and `urn:suyuan:batch:{id}`. */
async function batchesOfClasses(ctx: Ctx, values: string[]): Promise<string[]> {
  const out = new Set<string>();
  const ours = platformPart(ctx.config.platformRegion);
  for (const v of values) {
    const m = /^urn:suyuan:batch:([0-9a-f-]{36})$/i.exec(v);
    if (m) {
      out.add(m[1].toLowerCase());
      continue;
    }
    if (!v.includes('/t/')) continue;
    const p = parseCode(v);
    if (!p.ok || p.code.platform !== ours) continue;
    if (p.code.kind !== 'production' && p.code.kind !== 'circulation') continue;
    for (const b of await repo.batchesByCode(ctx.db, p.code.kind, p.code.serial)) out.add(b.id);
  }
  return [...out];
}

type MapCtx = { db: Kysely<DB>; config: Pick<Config, 'platformRegion' | 'publicBaseUrl'> };

async function toPlatformEvents(ctx: MapCtx, rows: Awaited<ReturnType<typeof repo.platformEvents>>) {
  const edges = await repo.edgesOf(
    ctx.db,
    rows.map((r) => r.id),
  );
  const ids = new Set<string>();
  for (const r of rows) if (r.batch_id) ids.add(r.batch_id);
  for (const e of edges) {
    ids.add(e.from_batch);
    ids.add(e.to_batch);
  }
  const refs = new Map<string, BatchRef>();
  for (const b of await repo.batchesByIds(ctx.db, [...ids]))
    refs.set(b.id, {
      id: b.id,
      code:
        b.code_serial === null
          ? null
          : shortCode({ kind: b.kind, platform: platformPart(ctx.config.platformRegion), serial: b.code_serial }),
      batchNo: b.batch_no,
    });
  const ref = (id: string): BatchRef => refs.get(id) ?? { id, code: null, batchNo: null };
  return rows.map(
    (r): PlatformEvent => ({
      eventId: r.event_id,
      eventType: r.event_type,
      action: r.action,
      bizStep: r.biz_step,
      stage: r.stage,
      disposition: r.disposition,
      eventTime: new Date(r.event_time),
      eventTz: r.event_tz,
      recordTime: new Date(r.record_time),
      divisionCode: r.division_code,
      readPoint: r.read_point,
      batch: r.batch_id ? ref(r.batch_id) : null,
      qtyDelta: Number(r.qty_delta),
      unit: r.unit,
      sourceSubjectId: r.source_subject_id,
      destSubjectId: r.dest_subject_id,
      bizTx: r.biz_tx ?? [],
      corrects: r.corrects,
      payload: (r.payload ?? {}) as Record<string, unknown>,
      edges: edges
        .filter((e) => e.event_id === r.id)
        .map((e) => ({
          from: ref(e.from_batch),
          to: ref(e.to_batch),
          quantity: e.quantity === null ? null : Number(e.quantity),
          unit: e.unit,
        })),
    }),
  );
}

/**
 * queryEpcis: the EPCIS simple event query over both the events captured here and the platform's own trace events
 * (mapped by mapping.ts), scoped like every producer-owned read (a producer its own, a regulator its jurisdiction),
 * ordered by event time, paged by an opaque keyset token.
 */
export async function queryEpcis(
  ctx: Ctx,
  q: EpcisQuery,
): Promise<{ document: Record<string, unknown>; nextPageToken: string | null }> {
  const rs = await readScopeOf(ctx);
  const typeValues = list(q.eventType);
  if (typeValues)
    for (const t of typeValues)
      if (!(EPCIS_EVENT_TYPES as readonly string[]).includes(t))
        throw problems.invalid(
          'eventType',
          `“${t}”不是 EPCIS 事件类型（${EPCIS_EVENT_TYPES.join('、')}）`,
          `"${t}" is not an EPCIS event type (${EPCIS_EVENT_TYPES.join(', ')})`,
        );
  const steps = list(q.EQ_bizStep);
  const classes = list(q.MATCH_epcClass);
  const base: Omit<repo.EventFilter, 'bizSteps'> = {
    types: typeValues as EpcisEventType[] | null,
    geEventTime: q.GE_eventTime ?? null,
    ltEventTime: q.LT_eventTime ?? null,
    geRecordTime: q.GE_recordTime ?? null,
    ltRecordTime: q.LT_recordTime ?? null,
    epcs: epcMatch('MATCH_epc', list(q.MATCH_epc)),
    anyEpcs: epcMatch('MATCH_anyEPC', list(q.MATCH_anyEPC)),
    epcClasses: classes,
  };
  const perPage = q.perPage ?? 100;
  const after = q.nextPageToken ? decodeCursor(q.nextPageToken) : null;
  const captured = await repo.capturedEvents(
    ctx.db,
    rs,
    { ...base, bizSteps: steps ? capturedSteps(steps) : null },
    after,
    perPage + 1,
  );
  // The platform's events name batches (classes), never instance EPCs: MATCH_epc / MATCH_anyEPC leave them out.
  const platformRows =
    base.epcs || base.anyEpcs
      ? []
      : await repo.platformEvents(
          ctx.db,
          rs,
          { ...base, bizSteps: steps ? platformSteps(steps) : null },
          classes ? await batchesOfClasses(ctx, classes) : null,
          after,
          perPage + 1,
        );
  type Item = { c: repo.Cursor; ev: () => EpcisEvent };
  const mapped = await toPlatformEvents(ctx, platformRows);
  const items: Item[] = [
    ...platformRows.map((r, i) => ({
      c: { t: r.t, k: 0 as const, id: r.id },
      ev: () => toEpcis(mapped[i], ctx.config.publicBaseUrl),
    })),
    ...captured.map((r) => ({
      c: { t: r.t, k: 1 as const, id: Number(r.id) },
      ev: (): EpcisEvent => {
        const ev: EpcisEvent = { ...(r.event as EpcisEvent), recordTime: new Date(r.record_time).toISOString() };
        return r.context ? { '@context': r.context, ...ev } : ev;
      },
    })),
  ];
  items.sort((a, b) => (a.c.t < b.c.t ? -1 : a.c.t > b.c.t ? 1 : a.c.k - b.c.k || a.c.id - b.c.id));
  const page = items.slice(0, perPage);
  const nextPageToken = items.length > perPage ? encodeCursor(page[page.length - 1].c) : null;
  const document: Record<string, unknown> = queryDocument(
    page.map((x) => x.ev()),
    new Date(),
  );
  if (nextPageToken) document['suyuan:nextPageToken'] = nextPageToken;
  return { document, nextPageToken };
}
