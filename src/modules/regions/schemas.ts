import { type Static, Type } from 'typebox';
import { DivisionCode, Nullable, Page, PageQuery } from '../../kernel/schemas.js';

const levelFields = {
  level: Type.Integer({ description: '0 national, 1 province, 2 city, 3 county, 4 township, 5 village' }),
  levelZh: Type.String(),
  levelEn: Type.String(),
};

export const Division = Type.Object({
  code: Type.String({ description: 'Division code; "" is the national root' }),
  name: Type.String(),
  ...levelFields,
  parentCode: Nullable(Type.String()),
  hasChildren: Type.Boolean(),
});
export type Division = Static<typeof Division>;

export const PathItem = Type.Object({ code: Type.String(), name: Type.String(), ...levelFields });
export type PathItem = Static<typeof PathItem>;

export const DivisionDetail = Type.Object({
  ...Division.properties,
  path: Type.Array(PathItem),
  fullName: Type.String(),
});
export type DivisionDetail = Static<typeof DivisionDetail>;

/** Children of one division: no division has more than 200 (the largest township has about 170 villages). */
export const ChildrenQuery = Type.Object({
  parent: Type.Optional(Type.Union([DivisionCode, Type.Literal('')])),
  page: PageQuery.page,
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 200 })),
});
export type ChildrenQuery = Static<typeof ChildrenQuery>;

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 40 }),
  level: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  within: Type.Optional(DivisionCode),
  page: PageQuery.page,
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

export const DivisionParams = Type.Object({ code: DivisionCode });

export const DivisionPage = Page(Division);
export const PathItemPage = Page(PathItem);
