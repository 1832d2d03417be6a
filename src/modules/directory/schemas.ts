import { type Static, Type } from 'typebox';
import { DateTime, DivisionCode, LiteralUnion, Nullable, PageQuery, Phone, Uuid } from '../../kernel/schemas.js';
import { DIRECTORY_ORG_FORM_VALUES, INDUSTRY_VALUES } from './tables.js';

export { DIRECTORY_ORG_FORMS, DIRECTORY_ORG_FORM_VALUES, INDUSTRIES, INDUSTRY_VALUES } from './tables.js';
export type { DirectoryOrgForm, Industry } from './tables.js';

export const IndustrySchema = LiteralUnion(INDUSTRY_VALUES, {
  description: 'planting 种植业 · livestock 畜牧业 · fishery 渔业',
});

const OrgForm = LiteralUnion(DIRECTORY_ORG_FORM_VALUES, {
  description: 'enterprise · cooperative · family_farm · individual · broker 农村经纪人',
});

const entryProps = {
  divisionCode: DivisionCode,
  name: Type.String({ minLength: 2, maxLength: 100 }),
  orgForm: OrgForm,
  industries: Type.Optional(Type.Array(IndustrySchema, { maxItems: 3, uniqueItems: true })),
  certNo: Type.Optional(Nullable(Type.String({ maxLength: 24 }))),
  address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  longitude: Type.Optional(Nullable(Type.Number({ minimum: 73, maximum: 136 }))),
  latitude: Type.Optional(Nullable(Type.Number({ minimum: 3, maximum: 54 }))),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  contactPhone: Type.Optional(Nullable(Phone)),
  products: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  scale: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'e.g. 50 亩, 300 头' }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};
export const EntryInput = Type.Object(entryProps, { additionalProperties: false });
export type EntryInput = Static<typeof EntryInput>;
export const EntryPatch = Type.Partial(Type.Object(entryProps), { additionalProperties: false, minProperties: 1 });
export type EntryPatch = Static<typeof EntryPatch>;

export const Entry = Type.Object({
  id: Uuid,
  divisionCode: Type.String(),
  divisionName: Type.String(),
  name: Type.String(),
  orgForm: OrgForm,
  industries: Type.Array(IndustrySchema),
  certNo: Nullable(Type.String()),
  address: Nullable(Type.String()),
  longitude: Nullable(Type.Number()),
  latitude: Nullable(Type.Number()),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  products: Nullable(Type.String()),
  scale: Nullable(Type.String()),
  note: Nullable(Type.String()),
  registered: Type.Boolean(),
  subjectId: Nullable(Uuid),
  subjectName: Nullable(Type.String()),
  subjectStatus: Nullable(Type.String({ description: 'status of the linked subject (see getSubjectMeta)' })),
  linkedAt: Nullable(DateTime),
  createdAt: DateTime,
});
export type Entry = Static<typeof Entry>;

const filterProps = {
  within: Type.Optional(DivisionCode),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'name contains' })),
  registered: Type.Optional(Type.Boolean({ description: 'false = in the directory, not registered' })),
  industry: Type.Optional(IndustrySchema),
  orgForm: Type.Optional(OrgForm),
};
export const EntryFilter = Type.Object(filterProps);
export type EntryFilter = Static<typeof EntryFilter>;
export const EntryListQuery = Type.Object({ ...filterProps, ...PageQuery });
export type EntryListQuery = Static<typeof EntryListQuery>;

export const StatsQuery = Type.Object({ within: Type.Optional(DivisionCode) });
export const StatsRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  total: Type.Integer(),
  registered: Type.Integer(),
  unregistered: Type.Integer(),
});
export type StatsRow = Static<typeof StatsRow>;

export const IdParam = Type.Object({ id: Uuid });
