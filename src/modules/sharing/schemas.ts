import { type Static, Type } from 'typebox';
import {
  AllowedActions,
  DateTime,
  DivisionCode,
  Label,
  LiteralUnion,
  Nullable,
  PageQuery,
  Uuid,
} from '../../kernel/schemas.js';
import { CONNECTION_ACTIONS } from './states.js';
import { CONNECTION_DIRECTIONS, CONNECTION_STATUSES } from './tables.js';

/** Request and response schemas of the sharing module (upward sharing, 信息归集). */
const PlatformId = Type.String({ pattern: '^(national|(province|city|county)-\\d{2,6})$', maxLength: 40 });
const Tier = LiteralUnion(['province', 'city', 'county'] as const);
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '^[^\\u0000]*$' });
const Pem = Type.String({ minLength: 100, maxLength: 1000, pattern: '^-----BEGIN PUBLIC KEY-----' });
const HttpUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 });
const Signature = Type.String({ minLength: 8, maxLength: 200, pattern: '^[A-Za-z0-9+/=]+$' });
const ContactPhone = Type.String({ pattern: '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$' });

/** What a lower platform's administrator fills in to apply to the upper platform. */
export const ApplyInput = Type.Object(
  {
    contactName: Text(50),
    contactPhone: ContactPhone,
    entryUrl: Type.Optional(HttpUrl),
  },
  { additionalProperties: false },
);
export type ApplyInput = Static<typeof ApplyInput>;

/** The signed application a lower platform sends to its upper platform (platform to platform). */
export const Application = Type.Object(
  {
    platformId: PlatformId,
    tier: Tier,
    region: Type.String({ pattern: '^(\\d{2}|\\d{4}|\\d{6})$' }),
    publicKey: Pem,
    contactName: Text(50),
    contactPhone: ContactPhone,
    entryUrl: HttpUrl,
    signedAt: DateTime,
    signature: Signature,
  },
  { additionalProperties: false },
);
export type Application = Static<typeof Application>;

export const ConnectionStatusSchema = LiteralUnion(CONNECTION_STATUSES, {
  description: 'applied 待审批 · approved 已对接 · rejected 已驳回 · suspended 已暂停',
});

export const ApplicationAnswer = Type.Object({
  platformId: Type.String(),
  publicKey: Type.String(),
  status: ConnectionStatusSchema,
});
export type ApplicationAnswer = Static<typeof ApplicationAnswer>;

/** One shared record on the wire (the outbox row). */
export const WireRecord = Type.Object(
  {
    seq: Type.Integer({ minimum: 1 }),
    origin: PlatformId,
    resource: Type.String({ pattern: '^[a-z][a-z_]{1,39}$' }),
    id: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.Integer({ minimum: 1 }),
    division: Type.String({ pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$' }),
    catalogVersion: Type.String({ maxLength: 40 }),
    hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    createdAt: DateTime,
    record: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type WireRecord = Static<typeof WireRecord>;

/** A correction request on the wire, travelling down in the upper platform's answer to a push. */
export const WireCorrection = Type.Object(
  {
    id: Uuid,
    origin: PlatformId,
    resource: Type.String({ pattern: '^[a-z][a-z_]{1,39}$' }),
    recordId: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.Integer({ minimum: 1 }),
    division: Type.String({ pattern: '^(\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$' }),
    fields: Type.Array(Type.String({ maxLength: 60 }), { minItems: 1, maxItems: 50 }),
    reason: Text(500),
    requestedBy: PlatformId,
    requesterName: Type.String({ maxLength: 200 }),
    requestedAt: DateTime,
  },
  { additionalProperties: false },
);
export type WireCorrection = Static<typeof WireCorrection>;

/** A message between platforms (issue 15 item 3), routed hop by hop: up in pushes, down in their answers. */
export const WireMessage = Type.Object(
  {
    id: Uuid,
    kind: Type.String({ pattern: '^[a-z][a-zA-Z]*\\.[a-z][a-zA-Z]*$', maxLength: 60 }),
    from: PlatformId,
    to: PlatformId,
    payload: Type.Record(Type.String(), Type.Unknown()),
    at: DateTime,
  },
  { additionalProperties: false },
);
export type WireMessage = Static<typeof WireMessage>;

/** A lower platform's answer to a correction request, travelling up with its next push. */
export const CorrectionReport = Type.Object(
  { id: Uuid, status: Type.Literal('answered'), answer: Text(500), at: DateTime },
  { additionalProperties: false },
);
export type CorrectionReport = Static<typeof CorrectionReport>;

/** A signed batch pushed by a lower platform; an empty batch is a heartbeat that reads the connection's status. */
/** The national identity key sealed to the receiving platform's SM2 key and signed by the sender (identity-key.ts). */
export const SealedIdentityKey = Type.Object(
  {
    ephemeral: Type.String({ maxLength: 200 }),
    iv: Type.String({ maxLength: 100 }),
    ciphertext: Type.String({ maxLength: 400 }),
    tag: Type.String({ maxLength: 100 }),
    fingerprint: Type.String({ maxLength: 64 }),
    signature: Signature,
  },
  { additionalProperties: false },
);
export type SealedIdentityKey = Static<typeof SealedIdentityKey>;

export const InboundBatch = Type.Object(
  {
    from: PlatformId,
    firstSeq: Type.Integer({ minimum: 1 }),
    records: Type.Array(WireRecord, { maxItems: 2000 }),
    backlog: Type.Integer({ minimum: 0 }),
    lagMs: Type.Integer({ minimum: 0 }),
    sentAt: DateTime,
    /** Correction requests received in earlier answers, acknowledged (the upper platform stops resending them). */
    acks: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
    /** Answers to correction requests, reported up until acknowledged. */
    reports: Type.Optional(Type.Array(CorrectionReport, { maxItems: 500 })),
    /** The fingerprint of the national identity key the sender holds (absent: it holds none). */
    identityKeyFp: Type.Optional(Type.String({ maxLength: 64 })),
    /** Messages for other platforms, carried up (docs/sharing.md "Messages between platforms"). */
    messages: Type.Optional(Type.Array(WireMessage, { maxItems: 500 })),
    /** Messages received in earlier answers, acknowledged (the upper platform stops resending them). */
    messageAcks: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
    signature: Signature,
  },
  { additionalProperties: false },
);
export type InboundBatch = Static<typeof InboundBatch>;

export const InboundAnswer = Type.Object({
  status: ConnectionStatusSchema,
  expected: Type.Integer({ description: 'the next sequence number the upper platform expects' }),
  applied: Type.Integer(),
  parked: Type.Integer(),
  duplicates: Type.Integer(),
  /** Correction requests for the sender's records (or records it relayed), until it acknowledges them. */
  corrections: Type.Optional(Type.Array(WireCorrection)),
  /** Report ids taken (the sender stops resending them). */
  reportAcks: Type.Optional(Type.Array(Uuid)),
  /** The national identity key, sealed to the sender, when it does not hold it yet (approved connections only). */
  identityKey: Type.Optional(SealedIdentityKey),
  /** Messages for the sender's platform or platforms below it, until it acknowledges them. */
  messages: Type.Optional(Type.Array(WireMessage)),
  /** Ids of the sender's messages taken (the sender stops resending them). */
  messageAcks: Type.Optional(Type.Array(Uuid)),
});
export type InboundAnswer = Static<typeof InboundAnswer>;

export const IdParams = Type.Object({ id: Uuid });
export const ConnectionActionInput = Type.Object(
  { action: LiteralUnion(CONNECTION_ACTIONS), reason: Type.Optional(Text(500)) },
  { additionalProperties: false },
);
export type ConnectionActionInput = Static<typeof ConnectionActionInput>;

export const Connection = Type.Object({
  id: Uuid,
  direction: LiteralUnion(CONNECTION_DIRECTIONS, { description: 'upper 上级平台（本平台向其共享） · lower 下级平台' }),
  platformId: Type.String(),
  tier: Type.String(),
  region: Type.String(),
  regionName: Nullable(Type.String()),
  entryUrl: Type.String(),
  contactName: Type.String(),
  contactPhone: Type.String(),
  status: ConnectionStatusSchema,
  statusLabel: Label,
  peerStatus: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  nextSeq: Type.Integer(),
  lastSuccessAt: Nullable(DateTime),
  lagMs: Type.Integer({ description: 'age of the oldest record not yet delivered (ms)' }),
  backlog: Type.Integer({ description: 'records waiting to be delivered' }),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(DateTime),
  errorCount: Type.Integer(),
  receivedCount: Type.Integer(),
  parkedCount: Type.Integer(),
  createdAt: DateTime,
  allowedActions: AllowedActions(CONNECTION_ACTIONS),
});
export type Connection = Static<typeof Connection>;

export const PlatformInfo = Type.Object({
  platformId: Type.String(),
  tier: Type.String(),
  region: Type.String(),
  publicKey: Type.String(),
  upperPlatformUrl: Nullable(Type.String()),
  outboxLastSeq: Type.Integer(),
  identityKey: Type.Object(
    {
      source: Type.Union([Type.Literal('national'), Type.Literal('local')], {
        description: 'national: the national identity key (codes equal on every platform) · local: not received yet',
      }),
      fingerprint: Type.String({ description: 'SM3 fingerprint of the key (never the key)' }),
    },
    { description: '全国统一身份密钥 The key identity codes and registry hashes are derived with' },
  ),
});
export type PlatformInfo = Static<typeof PlatformInfo>;

export const ConnectionList = Type.Object({ platform: PlatformInfo, items: Type.Array(Connection) });
export type ConnectionList = Static<typeof ConnectionList>;

export const SharedRecordQuery = Type.Object(
  {
    resource: Type.Optional(Type.String({ maxLength: 40 })),
    origin: Type.Optional(Type.String({ maxLength: 40 })),
    divisionCode: Type.Optional(DivisionCode),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type SharedRecordQuery = Static<typeof SharedRecordQuery>;

export const SharedRecord = Type.Object({
  resource: Type.String(),
  resourceLabel: Label,
  recordId: Type.String(),
  version: Type.Integer(),
  originPlatform: Type.String({ description: 'the platform where the record was collected (shared from)' }),
  senderPlatform: Type.String(),
  senderSeq: Type.Integer(),
  divisionCode: Type.String(),
  catalogVersion: Type.String(),
  contentHash: Type.String(),
  record: Type.Record(Type.String(), Type.Unknown()),
  originCreatedAt: DateTime,
  receivedAt: DateTime,
});
export type SharedRecord = Static<typeof SharedRecord>;

/** A resource shared between platforms, named (the shared-records filter and the correction dialog pick from these). */
export const SharedResource = Type.Object({
  key: Type.String(),
  label: Label,
  fields: Type.Array(Type.Object({ key: Type.String(), label: Label })),
});

export const ParkedRecord = Type.Object({
  id: Uuid,
  senderPlatform: Type.String(),
  senderSeq: Type.Integer(),
  originPlatform: Type.String(),
  resource: Type.String(),
  recordId: Type.String(),
  version: Type.Integer(),
  reason: Label,
  parkedAt: DateTime,
});
export type ParkedRecord = Static<typeof ParkedRecord>;

// ── corrections requested from above (更正请求, issue 14 item 5) ──────────────

export const CorrectionInput = Type.Object(
  {
    originPlatform: PlatformId,
    resource: Type.String({ pattern: '^[a-z][a-z_]{1,39}$' }),
    recordId: Type.String({ minLength: 1, maxLength: 100 }),
    fields: Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 50 }),
    reason: Text(500),
  },
  { additionalProperties: false },
);
export type CorrectionInput = Static<typeof CorrectionInput>;

export const CorrectionAnswerInput = Type.Object({ answer: Text(500) }, { additionalProperties: false });
export type CorrectionAnswerInput = Static<typeof CorrectionAnswerInput>;

export const CorrectionQuery = Type.Object(
  {
    status: Type.Optional(LiteralUnion(['open', 'corrected', 'answered'] as const)),
    recordId: Type.Optional(Type.String({ maxLength: 100 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type CorrectionQuery = Static<typeof CorrectionQuery>;

export const Correction = Type.Object({
  id: Uuid,
  direction: LiteralUnion(['sent', 'received'] as const, {
    description: 'sent 本平台（或经本平台转发）发往下级 · received 来自上级平台',
  }),
  originPlatform: Type.String(),
  resource: Type.String(),
  resourceLabel: Label,
  recordId: Type.String(),
  version: Type.Integer({ description: 'the version the requester saw' }),
  divisionCode: Type.String(),
  fields: Type.Array(Type.String()),
  fieldLabels: Type.Array(Label, { description: 'the names of `fields`, in order (the catalogue’s, else the key)' }),
  reason: Type.String(),
  requestedByPlatform: Type.String(),
  requestedByName: Type.String(),
  deliverTo: Nullable(Type.String()),
  deliveredAt: Nullable(DateTime),
  status: LiteralUnion(['open', 'corrected', 'answered'] as const, {
    description: 'open 待处理 · corrected 已更正 (a newer version exists) · answered 已答复',
  }),
  statusLabel: Label,
  answer: Nullable(Type.String()),
  answeredAt: Nullable(DateTime),
  correctedAt: Nullable(DateTime),
  createdAt: DateTime,
  canAnswer: Type.Boolean({ description: 'this platform is the origin and the request is open' }),
});
export type Correction = Static<typeof Correction>;

// ── identity look-up across platforms (issue 15 item 3) ──────────────────────

/** A lower platform asks its upper one for a subject registered anywhere below it, by identity code (signed). */
export const SubjectLookup = Type.Object(
  {
    from: PlatformId,
    identityCode: Type.String({ minLength: 4, maxLength: 40 }),
    sentAt: DateTime,
    signature: Signature,
  },
  { additionalProperties: false },
);
export type SubjectLookup = Static<typeof SubjectLookup>;

export const NetworkSubject = Type.Object({
  id: Uuid,
  name: Type.String(),
  divisionCode: Type.String(),
  identityCode: Type.String(),
  /** The platform the subject is registered on. */
  platform: PlatformId,
});
export type NetworkSubject = Static<typeof NetworkSubject>;

export const SubjectLookupAnswer = Type.Object({ subject: Type.Union([NetworkSubject, Type.Null()]) });
export type SubjectLookupAnswer = Static<typeof SubjectLookupAnswer>;
