import { type Static, Type } from 'typebox';
import { LiteralUnion, Nullable, Uuid } from '../../kernel/schemas.js';
import { DEVICE_RESERVATION_STATES } from './tables.js';

/** Request and response schemas of trace codes (追溯码): issue, reserve for printers, activate, resolve. */

export const Issued = Type.Object({ code: Type.String(), url: Type.String() });
export const Reservation = Type.Object({
  id: Uuid,
  kind: Type.String(),
  count: Type.Integer(),
  firstCode: Type.String(),
  lastCode: Type.String(),
  printer: Nullable(Type.String()),
  status: Type.String({ description: 'generating 生成中 · ready 可下载' }),
  jobId: Nullable(Uuid),
  activated: Type.Integer(),
  createdAt: Type.String(),
});
export const CodeText = Type.String({
  minLength: 1,
  maxLength: 300,
  description: '20-digit short code, 29-char long code, or a URL ending in /t/{code}',
});
export const Resolution = Type.Object({
  input: Type.String(),
  status: Type.String({
    description:
      'active · inactive (printed, not yet activated) · void · unknown · foreign (another platform) · malformed',
  }),
  message: Type.String(),
  messageEn: Type.String(),
  reason: Type.Optional(Type.String()),
  reasonEn: Type.Optional(Type.String()),
  code: Type.Optional(Type.String()),
  longCode: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  kindName: Type.Optional(Type.String()),
  platform: Type.Optional(Type.Object({ tier: Type.String(), region: Type.String() })),
  issuedAt: Type.Optional(Type.String()),
  certificateNumber: Type.Optional(Type.String()),
  subject: Type.Optional(
    Nullable(Type.Object({ id: Uuid, name: Nullable(Type.String()), status: Type.Optional(Type.String()) })),
  ),
  batch: Type.Optional(
    Nullable(
      Type.Object({
        id: Uuid,
        batchNo: Nullable(Type.String()),
        productName: Nullable(Type.String()),
        producedAt: Nullable(Type.String()),
        status: Nullable(Type.String()),
        divisionCode: Nullable(Type.String()),
      }),
    ),
  ),
});
export type Resolution = Static<typeof Resolution>;

export const IssueCodesInput = Type.Object(
  {
    batchId: Uuid,
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
    kind: Type.Optional(Type.Union([Type.Literal('production'), Type.Literal('temporary')])),
  },
  { additionalProperties: false },
);
export type IssueCodesInput = Static<typeof IssueCodesInput>;

export const ReserveInput = Type.Object(
  {
    count: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    printer: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  },
  { additionalProperties: false },
);
export type ReserveInput = Static<typeof ReserveInput>;

export const ActivateInput = Type.Object(
  {
    batchId: Uuid,
    from: Type.Optional(CodeText),
    to: Type.Optional(CodeText),
    codes: Type.Optional(Type.Array(CodeText, { minItems: 1, maxItems: 5000 })),
  },
  { additionalProperties: false },
);
export type ActivateInput = Static<typeof ActivateInput>;

// ── codes kept on a phone for offline labels (issue 16 item 2) ────────────────────────────────────────────────────
export const DeviceReserveInput = Type.Object(
  {
    batchId: Uuid,
    count: Type.Integer({ minimum: 1, maximum: 500 }),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, description: 'validity, default 30 days' })),
    device: Type.Optional(
      Type.String({ minLength: 1, maxLength: 60, description: 'the name the phone gives itself (shown in the list)' }),
    ),
  },
  { additionalProperties: false },
);
export type DeviceReserveInput = Static<typeof DeviceReserveInput>;

export const DeviceReservation = Type.Object({
  id: Uuid,
  batchId: Uuid,
  batchNo: Type.String(),
  productName: Type.String(),
  producerName: Type.String(),
  count: Type.Integer(),
  used: Type.Integer(),
  expiresAt: Type.String(),
  releasedAt: Nullable(Type.String()),
  /** Every code with its QR URL, to keep on the device. */
  codes: Type.Array(Type.Object({ code: Type.String(), url: Type.String() })),
});
export type DeviceReservation = Static<typeof DeviceReservation>;

/** One of the caller's device reservations in the list (without its codes). */
export const DeviceReservationItem = Type.Object({
  id: Uuid,
  batchId: Uuid,
  batchNo: Type.String(),
  productName: Type.String(),
  count: Type.Integer(),
  used: Type.Integer(),
  /** Codes still usable for labels (0 once expired or released). */
  left: Type.Integer(),
  device: Nullable(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  releasedAt: Nullable(Type.String()),
  /** When the expiry job voided the unused codes. */
  expiredAt: Nullable(Type.String()),
  state: LiteralUnion(DEVICE_RESERVATION_STATES),
  stateName: Type.String(),
  stateNameEn: Type.String(),
});
export type DeviceReservationItem = Static<typeof DeviceReservationItem>;
export const DeviceReservationList = Type.Object({ items: Type.Array(DeviceReservationItem) });

export const DeviceReservationQuery = Type.Object(
  {
    batchId: Type.Optional(Uuid),
    state: Type.Optional(LiteralUnion(DEVICE_RESERVATION_STATES)),
  },
  { additionalProperties: false },
);
export type DeviceReservationQuery = Static<typeof DeviceReservationQuery>;

export const ExpiryJobResult = Type.Object({ reservations: Type.Integer(), voided: Type.Integer() });

export const CodeUseInput = Type.Object(
  {
    code: CodeText,
    usedAt: Type.String({ format: 'date-time', description: 'when the label was printed (on the device)' }),
  },
  { additionalProperties: false },
);
export type CodeUseInput = Static<typeof CodeUseInput>;

export const CodeUse = Type.Object({
  reservationId: Uuid,
  code: Type.String(),
  batchId: Uuid,
  usedAt: Type.String(),
  used: Type.Integer(),
});

export const ReleaseResult = Type.Object({ reservationId: Uuid, released: Type.Integer(), used: Type.Integer() });
