import { type Static, Type } from 'typebox';
import { EnteredBy, LiteralUnion, Nullable, PageQuery, Phone, Uuid } from '../../kernel/schemas.js';
import type { Label } from '../../kernel/workflow.js';
import { Unit } from '../catalog/schemas.js';
import { BASIS, CERTIFICATE_STYLES, type Style } from './rules.js';

/** Request and response schemas of commitment compliance certificates (承诺达标合格证). */

export const STYLE_LABELS: Record<Style, Label> = {
  producer: { zh: '生产者开具', en: 'Issued by the producer' },
  buyer: { zh: '收购者开具', en: 'Issued by the buyer' },
};

export const StyleSchema = LiteralUnion(CERTIFICATE_STYLES, {
  description: 'producer 生产者开具 · buyer 收购者开具（拆分、混装后重开）',
});
const BASIS_CODES = Object.keys(BASIS) as (keyof typeof BASIS)[];
const Item = Type.Object({ code: Type.String(), text: Type.String(), textEn: Type.String() });

export const Certificate = Type.Object({
  id: Uuid,
  number: Type.String(),
  style: StyleSchema,
  styleName: Type.String(),
  styleNameEn: Type.String(),
  subjectId: Uuid,
  subjectName: Type.String(),
  batchId: Nullable(Uuid),
  code: Nullable(Type.String()),
  codeUrl: Nullable(Type.String()),
  productName: Type.String(),
  quantity: Type.Number(),
  unit: Type.String(),
  origin: Type.String(),
  contactName: Nullable(Type.String()),
  phone: Type.String(),
  promises: Type.Array(Item),
  basis: Type.Array(Item),
  sources: Type.Array(
    Type.Object({
      number: Type.String(),
      linked: Type.Boolean(),
      productName: Nullable(Type.String()),
      subjectName: Nullable(Type.String()),
    }),
  ),
  issuedAt: Type.String(),
  retainUntil: Type.String(),
  enteredBy: Type.Optional(EnteredBy),
  verifyUrl: Type.String(),
  qrText: Type.String({ description: 'QR content; starts with 承诺达标合格证' }),
});
export type Certificate = Static<typeof Certificate>;

export const CertificateInput = Type.Object(
  {
    style: Type.Optional(StyleSchema),
    batchId: Type.Optional(Nullable(Uuid)),
    productName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    quantity: Type.Number({ exclusiveMinimum: 0, maximum: 1e12 }),
    unit: Type.Optional(Unit),
    origin: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    phone: Type.Optional(Phone),
    basis: Type.Optional(
      Type.Array(LiteralUnion(BASIS_CODES), {
        minItems: 1,
        maxItems: 4,
        description:
          'control 质量安全控制符合要求 · self_test 自行检测合格 · commissioned_test 委托检测合格 · collected_certificates 收取的合格证 (buyer) · purchase_check 收购时查验合格 (buyer)',
      }),
    ),
    sourceNumbers: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 60 }), {
        maxItems: 200,
        description: 'collected certificates (buyer style)',
      }),
    ),
    /** Fill everything not given from the last certificate this producer issued (UX: a certificate in 30 s). */
    repeatLast: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CertificateInput = Static<typeof CertificateInput>;

export const CertificateQuery = Type.Object({ batchId: Type.Optional(Uuid), ...PageQuery });
export type CertificateQuery = Static<typeof CertificateQuery>;

export const LastCertificateQuery = Type.Object({ style: Type.Optional(StyleSchema) });

export const Verification = Type.Object({
  valid: Type.Boolean(),
  message: Type.String(),
  messageEn: Type.String(),
  certificate: Nullable(Certificate),
});
export type Verification = Static<typeof Verification>;

export const BasisQuery = Type.Object({ batchId: Uuid });
export type BasisQuery = Static<typeof BasisQuery>;

/** What the certificate form offers for a batch: a buyer is offered what it can honestly claim, nothing pre-ticked. */
export const BasisOptions = Type.Object({
  style: StyleSchema,
  styleName: Type.String(),
  styleNameEn: Type.String(),
  circulation: Type.Boolean({ description: 'a received, split or repacked batch: the buyer style applies' }),
  options: Type.Array(Type.Object({ code: LiteralUnion(BASIS_CODES), text: Type.String(), textEn: Type.String() })),
  /** Always empty: the issuer ticks its own basis (never a pre-ticked 自行检测合格). */
  preselected: Type.Array(LiteralUnion(BASIS_CODES)),
  upstreamCertificates: Type.Array(
    Type.Object({
      number: Type.String(),
      subjectName: Type.String(),
      productName: Type.String(),
      issuedAt: Type.String(),
    }),
  ),
  origin: Type.String({ description: 'where the goods were produced (the upstream origin for a circulation batch)' }),
});
export type BasisOptions = Static<typeof BasisOptions>;
