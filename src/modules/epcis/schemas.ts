import { type Static, Type } from 'typebox';
import { DateTime, Uuid } from '../../kernel/schemas.js';

/**
 * Request and response schemas of the EPCIS interface. The EPCIS documents themselves are checked against the GS1
 * EPCIS 2.0 JSON schema (validate.ts), not TypeBox: the HTTP layer only requires a JSON object, so a document that
 * breaks the standard is answered with the path the GS1 schema names (400 EPCIS_INVALID), zh + en.
 */
export const EpcisDocumentBody = Type.Record(Type.String(), Type.Unknown(), {
  description: 'EPCISDocument (GS1 EPCIS 2.0 JSON-LD), validated against the EPCIS JSON schema',
});
export type EpcisDocumentBody = Static<typeof EpcisDocumentBody>;

export const CaptureResult = Type.Object({
  captureId: Uuid,
  /** Events in the document. */
  events: Type.Integer(),
  /** Events newly stored. */
  captured: Type.Integer(),
  /** Events already stored (same content hash for the same producer): re-capture is idempotent. */
  duplicates: Type.Integer(),
  /** Content hash of each event, in document order (sha-256 hex; see mapping.ts `eventHash`). */
  eventHashes: Type.Array(Type.String()),
});
export type CaptureResult = Static<typeof CaptureResult>;

const Csv = (description: string) => Type.Optional(Type.String({ maxLength: 4000, description }));

/** The EPCIS simple event query parameters this platform supports (GS1 EPCIS 2.0 §8.2.7.1). */
export const EpcisQuery = Type.Object(
  {
    eventType: Csv(
      'ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent; comma or | separated',
    ),
    GE_eventTime: Type.Optional(DateTime),
    LT_eventTime: Type.Optional(DateTime),
    GE_recordTime: Type.Optional(DateTime),
    LT_recordTime: Type.Optional(DateTime),
    EQ_bizStep: Csv('business steps: CBV words or URIs (any CBV URI form); comma or | separated'),
    MATCH_epc: Csv(
      'instance EPCs (epcList, childEPCs, inputEPCList, outputEPCList): an EPC, an EPC pattern URI (urn:epc:idpat:sgtin:0614141.107346.*, also matching the Digital Link form) or a URI ending in * (prefix)',
    ),
    MATCH_anyEPC: Csv('as MATCH_epc, and parentID'),
    MATCH_epcClass: Csv(
      'EPC classes of the quantity lists; a batch trace-code URL matches the platform events of the batch',
    ),
    perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    nextPageToken: Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);
export type EpcisQuery = Static<typeof EpcisQuery>;

export const EpcisQueryDocument = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'EPCISQueryDocument (GS1 EPCIS 2.0 JSON-LD); the next page, when there is one, is named by the Link header (rel="next") and by `suyuan:nextPageToken`',
});
export type EpcisQueryDocument = Static<typeof EpcisQueryDocument>;
