import { type Static, Type } from 'typebox';
import { DivisionCode, EnteredBy, LiteralUnion, Nullable, Phone, Uuid } from '../../kernel/schemas.js';
import type { Label } from '../../kernel/workflow.js';
import { KEY_PRODUCTS as KEY_PRODUCT_LIST, PRODUCTION_METHODS } from '../originmap/tables.js';
import { INDUSTRY_VALUES } from '../directory/tables.js';
import { CUSTOMER_KINDS, PRODUCT_CERT_TYPES } from './tables.js';

/** Request and response schemas of the producers' catalogue: products, production bases (生产基地), customers. */

/** The twelve key products (重点农产品, seed 004), as product names — declared once, in the origin map's tables. */
export const KEY_PRODUCTS = KEY_PRODUCT_LIST.map((p) => p.zh);

export const CERT_TYPE_LABELS: Record<(typeof PRODUCT_CERT_TYPES)[number], Label> = {
  green: { zh: '绿色食品', en: 'Green food' },
  organic: { zh: '有机农产品', en: 'Organic' },
  gi: { zh: '农产品地理标志', en: 'Geographical indication' },
};

export const Industry = LiteralUnion(INDUSTRY_VALUES, {
  description: 'planting 种植业 · livestock 畜牧业 · fishery 渔业',
});
const DateStr = Type.String({ format: 'date' });
export const Unit = Type.String({
  minLength: 1,
  maxLength: 10,
  description: 'kg 公斤 · 斤 · t 吨 · 头 · 只 · 羽 · 尾 · 枚 · 箱 · 袋 …',
});

const Certification = Type.Object(
  {
    type: LiteralUnion(PRODUCT_CERT_TYPES, { description: 'green 绿色食品 · organic 有机 · gi 地理标志' }),
    number: Type.String({ minLength: 1, maxLength: 60 }),
    validFrom: Type.Optional(Nullable(DateStr)),
    validTo: Type.Optional(Nullable(DateStr)),
  },
  { additionalProperties: false },
);

export const ProductInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    industry: Industry,
    classification: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    keyProduct: Type.Optional(
      Nullable(LiteralUnion(KEY_PRODUCTS, { description: 'one of the 12 key products of seed 004 (name)' })),
    ),
    unit: Type.Optional(Unit),
    certifications: Type.Optional(Type.Array(Certification, { maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type ProductInput = Static<typeof ProductInput>;

export const Product = Type.Object({
  id: Uuid,
  subjectId: Uuid,
  name: Type.String(),
  industry: Type.String(),
  classification: Nullable(Type.String()),
  keyProduct: Nullable(Type.String()),
  unit: Type.String(),
  certifications: Type.Array(
    Type.Object({
      type: Type.String(),
      typeName: Type.String(),
      typeNameEn: Type.String(),
      number: Type.String(),
      validFrom: Nullable(Type.String()),
      validTo: Nullable(Type.String()),
    }),
  ),
  createdAt: Type.String(),
  enteredBy: Type.Optional(EnteredBy),
});
export type Product = Static<typeof Product>;

export const BaseInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 50 }),
    divisionCode: DivisionCode,
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    area: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }))),
    areaUnit: Type.Optional(LiteralUnion(['mu', 'm2', 'ha'] as const)),
    longitude: Type.Optional(Nullable(Type.Number({ minimum: 73, maximum: 136 }))),
    latitude: Type.Optional(Nullable(Type.Number({ minimum: 3, maximum: 54 }))),
    method: Type.Optional(
      Nullable(LiteralUnion(PRODUCTION_METHODS, { description: 'open_field 露地 · facility 设施' })),
    ),
    photos: Type.Optional(
      Type.Array(Uuid, {
        maxItems: 20,
        uniqueItems: true,
        description: 'ids of uploaded photos and short MP4 videos (POST /files)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type BaseInput = Static<typeof BaseInput>;

export const Base = Type.Object({
  id: Uuid,
  subjectId: Uuid,
  name: Type.String(),
  divisionCode: Type.String(),
  divisionName: Nullable(Type.String()),
  address: Nullable(Type.String()),
  area: Nullable(Type.Number()),
  areaUnit: Type.String(),
  longitude: Nullable(Type.Number()),
  latitude: Nullable(Type.Number()),
  method: Nullable(Type.String()),
  photos: Type.Array(Type.String()),
  media: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), mime: Type.String() }), {
    description: 'the photos and short videos (MP4) of `photos`, with name and type',
  }),
  createdAt: Type.String(),
  enteredBy: Type.Optional(EnteredBy),
});
export type Base = Static<typeof Base>;

export const CustomerInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    kind: LiteralUnion(CUSTOMER_KINDS),
    contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    phone: Type.Optional(Nullable(Phone)),
    address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);
export type CustomerInput = Static<typeof CustomerInput>;

export const Customer = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Type.String(),
  contactName: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  customerSubjectId: Nullable(Type.String()),
  createdAt: Type.String(),
  enteredBy: Type.Optional(EnteredBy),
});
export type Customer = Static<typeof Customer>;
