import { createHash } from 'node:crypto';
import type { EpcisEventType } from './tables.js';
import { canonicalJson } from '../../kernel/canonical-json.js';

/**
 * The platform's trace events (追溯事件, `trace_event`, docs/events.md) as GS1 EPCIS 2.0 JSON-LD, and the pure helpers
 * of capture and query (content hash, identifiers, business-step normalisation). No database, no HTTP: the service
 * resolves the rows (batch codes, lineage edges) and hands them here.
 *
 * Identifiers:
 * - A batch (批次) is a lot, i.e. an EPC *class*: it travels in `quantityList[].epcClass` as the platform's trace-code
 *   URL `{PUBLIC_BASE_URL}/t/{short code}` (docs/codes.md), the same URL printed in its QR. Platform codes are not
 *   GS1 keys, so no GS1 Digital Link form exists for them; a batch without a code gets `urn:suyuan:batch:{uuid}`.
 * - Parties (sourceList / destinationList, type `owning_party`): `urn:suyuan:subject:{uuid}`.
 * - eventID: `urn:uuid:{event_id}` (UUIDs are global across platforms of every tier).
 * - Everything the standard has no field for lives in the platform's namespace `suyuan:` (= `urn:suyuan:epcis:`),
 *   declared in the document's @context: stage, signed quantity change, unit, the batch number, the raw payload
 *   (as a JSON literal, `@type: @json`).
 */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
export const SUYUAN_NS = 'urn:suyuan:epcis:';
export const SUYUAN_CONTEXT = { suyuan: SUYUAN_NS, 'suyuan:payload': { '@type': '@json' } } as const;
export const DOCUMENT_CONTEXT: unknown[] = [EPCIS_CONTEXT_URL, SUYUAN_CONTEXT];

/** CBV 2.0 business steps (the schema's enumeration). */
const CBV_BIZ_STEPS = new Set([
  'accepting',
  'arriving',
  'assembling',
  'collecting',
  'commissioning',
  'consigning',
  'creating_class_instance',
  'cycle_counting',
  'decommissioning',
  'departing',
  'destroying',
  'disassembling',
  'dispensing',
  'encoding',
  'entering_exiting',
  'holding',
  'inspecting',
  'installing',
  'killing',
  'loading',
  'other',
  'packing',
  'picking',
  'receiving',
  'removing',
  'repackaging',
  'repairing',
  'replacing',
  'reserving',
  'retail_selling',
  'shipping',
  'staging_outbound',
  'stock_taking',
  'stocking',
  'storing',
  'transporting',
  'unloading',
  'unpacking',
  'void_shipping',
  'sensor_reporting',
  'sampling',
]);
/** Our steps that have a CBV equivalent under another name. */
const STEP_ALIASES: Record<string, string> = { repacking: 'repackaging' };

const CBV_DISPOSITIONS = new Set([
  'active',
  'container_closed',
  'damaged',
  'destroyed',
  'dispensed',
  'disposed',
  'encoded',
  'expired',
  'in_progress',
  'in_transit',
  'inactive',
  'no_pedigree_match',
  'non_sellable_other',
  'partially_dispensed',
  'recalled',
  'reserved',
  'retail_sold',
  'returned',
  'sellable_accessible',
  'sellable_not_accessible',
  'stolen',
  'unknown',
  'available',
  'completeness_verified',
  'completeness_inferred',
  'conformant',
  'container_open',
  'mismatch_instance',
  'mismatch_class',
  'mismatch_quantity',
  'needs_replacement',
  'non_conformant',
  'unavailable',
]);

/** UN/CEFACT Rec 20 codes for the units producers type (others travel only as `suyuan:unit`). */
const UOM: Record<string, string> = {
  kg: 'KGM',
  公斤: 'KGM',
  千克: 'KGM',
  g: 'GRM',
  克: 'GRM',
  t: 'TNE',
  吨: 'TNE',
  l: 'LTR',
  升: 'LTR',
};

export interface BatchRef {
  id: string;
  /** The batch's printable trace code (20 digits), or null when it has none. */
  code: string | null;
  batchNo: string | null;
}

/** A `trace_event` row with what it refers to resolved (the input of `toEpcis`). */
export interface PlatformEvent {
  eventId: string;
  eventType: 'object' | 'aggregation' | 'transaction' | 'transformation' | 'association';
  action: 'ADD' | 'OBSERVE' | 'DELETE' | null;
  bizStep: string;
  stage: string;
  disposition: string | null;
  eventTime: Date;
  eventTz: string;
  recordTime: Date;
  divisionCode: string;
  readPoint: string | null;
  batch: BatchRef | null;
  qtyDelta: number;
  unit: string | null;
  sourceSubjectId: string | null;
  destSubjectId: string | null;
  bizTx: { type: string; id: string }[];
  corrects: string | null;
  payload: Record<string, unknown>;
  edges: { from: BatchRef; to: BatchRef; quantity: number | null; unit: string | null }[];
}

export type EpcisEvent = Record<string, unknown> & { type: string };

/** The EPCIS type a platform event maps to (the query's `eventType` filter mirrors this in SQL: repo.ts). */
export function epcisTypeOf(e: Pick<PlatformEvent, 'eventType' | 'bizTx' | 'edges'>): EpcisEventType {
  switch (e.eventType) {
    case 'transaction':
      return e.bizTx.length ? 'TransactionEvent' : 'ObjectEvent';
    case 'transformation':
      return 'TransformationEvent';
    case 'aggregation':
      return e.edges.length ? 'AggregationEvent' : 'ObjectEvent';
    case 'association':
      return e.edges.length ? 'AssociationEvent' : 'ObjectEvent';
    default:
      return 'ObjectEvent';
  }
}

export const batchEpc = (publicBaseUrl: string, b: BatchRef) =>
  b.code ? `${publicBaseUrl.replace(/\/+$/, '')}/t/${b.code}` : `urn:suyuan:batch:${b.id}`;
const subjectUri = (id: string) => `urn:suyuan:subject:${id}`;

/** A CBV business step as the bare word when it is one (any URI form), else our namespaced term. */
export function bizStepOut(step: string): string {
  const s = STEP_ALIASES[step] ?? step;
  return CBV_BIZ_STEPS.has(s) ? s : `suyuan:${s}`;
}
const dispositionOut = (d: string) => (CBV_DISPOSITIONS.has(d) ? d : `suyuan:${d}`);

function quantity(publicBaseUrl: string, b: BatchRef, q: number | null, unit: string | null) {
  const out: Record<string, unknown> = { epcClass: batchEpc(publicBaseUrl, b) };
  if (q !== null && q !== 0) {
    out.quantity = Math.abs(q);
    const uom = unit ? UOM[unit.trim().toLowerCase()] : undefined;
    if (uom) out.uom = uom;
  }
  return out;
}

function sumBy(items: { ref: BatchRef; q: number | null }[]) {
  const m = new Map<string, { ref: BatchRef; q: number | null }>();
  for (const i of items) {
    const cur = m.get(i.ref.id);
    if (!cur) m.set(i.ref.id, { ref: i.ref, q: i.q });
    else cur.q = cur.q === null || i.q === null ? null : cur.q + i.q;
  }
  return [...m.values()];
}

function readPointUri(rp: string): string {
  if (rp.startsWith('base:')) return `urn:suyuan:base:${rp.slice(5)}`;
  if (/^geo:/.test(rp)) return rp;
  return `urn:suyuan:readpoint:${encodeURIComponent(rp)}`;
}

function bizTxOut(publicBaseUrl: string, t: { type: string; id: string }) {
  const base = publicBaseUrl.replace(/\/+$/, '');
  switch (t.type) {
    case 'certificate':
      return { type: 'cert', bizTransaction: `${base}/t/${encodeURIComponent(t.id)}` };
    case 'voucher':
      return { type: 'suyuan:voucher', bizTransaction: `${base}/t/${encodeURIComponent(t.id)}` };
    default:
      return { type: `suyuan:${t.type}`, bizTransaction: `urn:suyuan:${t.type}:${encodeURIComponent(t.id)}` };
  }
}

/** The transformation a one-sided part event belongs to (EPCIS transformationID). */
function transformationIdOf(e: PlatformEvent): string {
  const p = e.payload;
  if (typeof p.transformationEventId === 'string') return `urn:uuid:${p.transformationEventId}`;
  if (typeof p.output === 'string') return `urn:suyuan:merge:${p.output}`;
  if (p.mode === 'merge' && e.edges.length) return `urn:suyuan:merge:${e.batch?.id ?? e.eventId}`;
  return `urn:uuid:${e.eventId}`;
}

/** One platform event as an EPCIS 2.0 event (schema-valid; `test/epcis.test.ts` checks the whole chain). */
export function toEpcis(e: PlatformEvent, publicBaseUrl: string): EpcisEvent {
  const type = epcisTypeOf(e);
  const ev: EpcisEvent = {
    type,
    eventID: `urn:uuid:${e.eventId}`,
    eventTime: e.eventTime.toISOString(),
    eventTimeZoneOffset: e.eventTz,
    recordTime: e.recordTime.toISOString(),
  };
  const own = e.batch ? [quantity(publicBaseUrl, e.batch, e.qtyDelta, e.unit)] : [];
  const action = e.action ?? 'OBSERVE';
  switch (type) {
    case 'ObjectEvent':
      ev.epcList = [];
      ev.quantityList = own;
      ev.action = action;
      break;
    case 'TransactionEvent':
      ev.bizTransactionList = e.bizTx.map((t) => bizTxOut(publicBaseUrl, t));
      ev.epcList = [];
      ev.quantityList = own;
      ev.action = action;
      break;
    case 'AggregationEvent':
    case 'AssociationEvent': {
      if (e.batch) ev.parentID = batchEpc(publicBaseUrl, e.batch);
      ev.childQuantityList = sumBy(e.edges.map((x) => ({ ref: x.to, q: x.quantity }))).map((x) =>
        quantity(publicBaseUrl, x.ref, x.q, e.unit),
      );
      ev.action = action;
      break;
    }
    case 'TransformationEvent': {
      const inputs = e.edges.length
        ? sumBy(e.edges.map((x) => ({ ref: x.from, q: x.quantity })))
        : e.batch && e.qtyDelta < 0
          ? [{ ref: e.batch, q: e.qtyDelta }]
          : [];
      const outputs = e.edges.length
        ? sumBy(e.edges.map((x) => ({ ref: x.to, q: x.quantity })))
        : e.batch && e.qtyDelta > 0
          ? [{ ref: e.batch, q: e.qtyDelta }]
          : [];
      if (inputs.length) ev.inputQuantityList = inputs.map((x) => quantity(publicBaseUrl, x.ref, x.q, e.unit));
      if (outputs.length) ev.outputQuantityList = outputs.map((x) => quantity(publicBaseUrl, x.ref, x.q, e.unit));
      if (!inputs.length || !outputs.length) ev.transformationID = transformationIdOf(e);
      break;
    }
  }
  ev.bizStep = bizStepOut(e.bizStep);
  if (e.disposition) ev.disposition = dispositionOut(e.disposition);
  if (e.readPoint) ev.readPoint = { id: readPointUri(e.readPoint) };
  ev.bizLocation = { id: `urn:suyuan:division:${e.divisionCode || '0'}` };
  if (type !== 'TransactionEvent' && e.bizTx.length)
    ev.bizTransactionList = e.bizTx.map((t) => bizTxOut(publicBaseUrl, t));
  if (e.sourceSubjectId) ev.sourceList = [{ type: 'owning_party', source: subjectUri(e.sourceSubjectId) }];
  if (e.destSubjectId) ev.destinationList = [{ type: 'owning_party', destination: subjectUri(e.destSubjectId) }];
  // Instance/lot master data of a commissioning (ILMD): only where EPCIS allows it (object ADD, transformation).
  if ((type === 'ObjectEvent' && action === 'ADD') || (type === 'TransformationEvent' && e.qtyDelta > 0)) {
    const ilmd: Record<string, unknown> = {};
    if (e.batch?.batchNo) ilmd['suyuan:batchNo'] = e.batch.batchNo;
    if (typeof e.payload.productName === 'string') ilmd['suyuan:productName'] = e.payload.productName;
    if (Object.keys(ilmd).length) ev.ilmd = ilmd;
  }
  ev['suyuan:stage'] = e.stage;
  ev['suyuan:quantityChange'] = e.qtyDelta;
  if (e.unit) ev['suyuan:unit'] = e.unit;
  if (e.corrects) ev['suyuan:corrects'] = `urn:uuid:${e.corrects}`;
  if (Object.keys(e.payload).length) ev['suyuan:payload'] = e.payload;
  return ev;
}

// ── capture and query helpers ───────────────────────────────────────────────────────────────────────────────────

/** Fields a repository may set or that only frame the event; left out of its content hash. */
const NOT_HASHED = new Set(['eventID', 'recordTime', '@context']);

/**
 * The event's content hash: sha-256 (hex) of the canonical JSON (keys sorted at every level) of the event without
 * `eventID`, `recordTime` and `@context`. A simplification of the EPCIS event hash (CBV 2.0 §8.9 canonicalises
 * the RDF-expanded event): the same event sent twice — with another eventID, recordTime or key order — hashes the
 * same; prefixed extension names are compared as written (not expanded), and numbers as JSON numbers.
 */
export function eventHash(event: Record<string, unknown>): string {
  const body = Object.fromEntries(Object.entries(event).filter(([k]) => !NOT_HASHED.has(k)));
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

const CBV_STEP_URI = [
  /^urn:epcglobal:cbv:bizstep:(.+)$/,
  /^https?:\/\/ns\.gs1\.org\/cbv\/BizStep-(.+)$/,
  /^https?:\/\/ref\.gs1\.org\/cbv\/BizStep-(.+)$/,
  /^https?:\/\/gs1\.org\/voc\/Bizstep-(.+)$/,
];

/** A business step in the form stored and compared: the bare CBV word for any of its URI forms, else as given. */
export function normaliseBizStep(step: string): string {
  for (const re of CBV_STEP_URI) {
    const m = re.exec(step);
    if (m && CBV_BIZ_STEPS.has(m[1])) return m[1];
  }
  return step;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const classes = (v: unknown): string[] =>
  Array.isArray(v)
    ? v
        .map((x) => (x && typeof x === 'object' ? (x as { epcClass?: unknown }).epcClass : null))
        .filter((x): x is string => typeof x === 'string')
    : [];

/** What a captured event is matched by: instance EPCs (MATCH_epc), parentID (MATCH_anyEPC), classes (MATCH_epcClass). */
export function identifiersOf(ev: Record<string, unknown>) {
  return {
    epcs: [...strings(ev.epcList), ...strings(ev.childEPCs), ...strings(ev.inputEPCList), ...strings(ev.outputEPCList)],
    parentId: typeof ev.parentID === 'string' ? ev.parentID : null,
    epcClasses: [
      ...classes(ev.quantityList),
      ...classes(ev.childQuantityList),
      ...classes(ev.inputQuantityList),
      ...classes(ev.outputQuantityList),
    ],
  };
}

/**
 * The part of a capture document's @context beyond the standard EPCIS context: kept with each captured event and
 * given back as the event's own @context, so its prefixed names keep their meaning (two documents may bind one
 * prefix differently, so contexts are never merged at document level).
 */
export function extraContext(context: unknown): unknown[] {
  const items = Array.isArray(context) ? context : context === undefined ? [] : [context];
  return items.filter((c) => !(typeof c === 'string' && /epcis-context\.jsonld$/.test(c)));
}

/** An EPCISDocument holding `events` (what the platform sends and what captureEpcis takes). */
export function epcisDocument(events: EpcisEvent[], creationDate: Date, context: unknown[] = DOCUMENT_CONTEXT) {
  return {
    '@context': context,
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: creationDate.toISOString(),
    epcisBody: { eventList: events },
  };
}

/** An EPCISQueryDocument (the answer of queryEpcis). */
export function queryDocument(events: EpcisEvent[], creationDate: Date, context: unknown[] = DOCUMENT_CONTEXT) {
  return {
    '@context': context,
    type: 'EPCISQueryDocument',
    schemaVersion: '2.0',
    creationDate: creationDate.toISOString(),
    epcisBody: { queryResults: { queryName: 'SimpleEventQuery', resultsBody: { eventList: events } } },
  };
}
