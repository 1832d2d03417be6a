import { type Static, Type } from 'typebox';
import { EnteredBy, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';
import type { Label } from '../../kernel/workflow.js';
import { Warning } from '../batches/schemas.js';
import { INPUT_KIND_VALUES, type InputKind } from './tables.js';
import { LiteralUnion } from '../../kernel/schemas.js';

/** Request and response schemas of production-process records (生产过程记录): inputs used and farming operations. */

export const INPUT_KINDS: Record<InputKind, Label> = {
  pesticide: { zh: '农药', en: 'Pesticide' },
  fertiliser: { zh: '肥料', en: 'Fertiliser' },
  vet_drug: { zh: '兽药', en: 'Veterinary drug' },
  feed: { zh: '饲料', en: 'Feed' },
  operation: { zh: '农事操作', en: 'Farming operation' },
};

export const InputUseInput = Type.Object(
  {
    baseId: Uuid,
    batchId: Type.Optional(Nullable(Uuid)),
    kind: LiteralUnion(INPUT_KIND_VALUES, {
      description: 'pesticide 农药 · fertiliser 肥料 · vet_drug 兽药 · feed 饲料 · operation 农事操作',
    }),
    name: Type.String({ minLength: 1, maxLength: 60 }),
    registrationNo: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 40,
          pattern: '^[0-9A-Za-z()（）\\-]+$',
          description: '农药登记证号 e.g. PD20080001 / 兽药批准文号',
        }),
      ),
    ),
    dose: Type.Optional(Nullable(Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }))),
    doseUnit: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    usedOn: Type.String({ format: 'date' }),
    safetyDays: Type.Optional(
      Nullable(Type.Integer({ minimum: 0, maximum: 365, description: '安全间隔期 / 休药期 (days)' })),
    ),
    operation: Type.Optional(
      Nullable(Type.String({ maxLength: 200, description: '农事操作 e.g. 灌溉、施肥、除草、采收' })),
    ),
    photos: Type.Optional(
      Type.Array(Uuid, { maxItems: 10, uniqueItems: true, description: 'ids of uploaded photos (POST /files)' }),
    ),
    note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);
export type InputUseInput = Static<typeof InputUseInput>;

export const InputUse = Type.Object({
  id: Uuid,
  baseId: Uuid,
  batchId: Nullable(Uuid),
  kind: Type.String(),
  kindName: Type.String(),
  kindNameEn: Type.String(),
  name: Type.String(),
  registrationNo: Nullable(Type.String()),
  dose: Nullable(Type.Number()),
  doseUnit: Nullable(Type.String()),
  usedOn: Type.String(),
  safetyDays: Nullable(Type.Integer()),
  operation: Nullable(Type.String()),
  photos: Type.Array(Type.String()),
  note: Nullable(Type.String()),
  createdAt: Type.String(),
  enteredBy: Type.Optional(EnteredBy),
  safeFrom: Nullable(Type.String()),
  warnings: Type.Array(Warning),
});
export type InputUse = Static<typeof InputUse>;

export const InputUseQuery = Type.Object({ baseId: Type.Optional(Uuid), batchId: Type.Optional(Uuid), ...PageQuery });
export type InputUseQuery = Static<typeof InputUseQuery>;
