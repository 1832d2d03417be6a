import { type Static, Type } from 'typebox';
import { LiteralUnion, Nullable, PageQuery, Uuid } from '../../kernel/schemas.js';
import type { Label } from '../../kernel/workflow.js';
import { COMPLAINT_ACTIONS } from './states.js';
import {
  COMPLAINT_ABOUT,
  COMPLAINT_CATEGORIES,
  COMPLAINT_STATUSES,
  type ComplaintAbout,
  type ComplaintCategory,
} from './tables.js';

/** Request and response schemas of the complaints module. */
export const CATEGORY_LABELS: Record<ComplaintCategory, Label> = {
  quality: { zh: '质量问题', en: 'Quality problem' },
  counterfeit: { zh: '疑似假冒', en: 'Suspected counterfeit' },
  label: { zh: '标签不符', en: 'Label does not match' },
  other: { zh: '其他', en: 'Other' },
};

export const ABOUT_LABELS: Record<ComplaintAbout, Label> = {
  product: { zh: '产品', en: 'Product' },
  producer: { zh: '生产经营主体', en: 'Producer' },
  collector: { zh: '信息采集人员', en: 'Information collector' },
  agency: { zh: '服务机构', en: 'Service agency' },
};
export const AboutSchema = LiteralUnion(COMPLAINT_ABOUT, {
  description: 'product 产品 · producer 生产经营主体 · collector 信息采集人员 · agency 服务机构',
});

export const CategorySchema = LiteralUnion(COMPLAINT_CATEGORIES, {
  description: 'quality 质量问题 · counterfeit 疑似假冒 · label 标签不符 · other 其他',
});
export const ComplaintStatusSchema = LiteralUnion(COMPLAINT_STATUSES, {
  description: 'submitted 待受理 · handling 处理中 · closed 已办结',
});

export const IdParams = Type.Object({ id: Uuid });

export const Complaint = Type.Object({
  id: Uuid,
  number: Type.String(),
  code: Nullable(Type.String()),
  about: AboutSchema,
  aboutZh: Type.String(),
  aboutEn: Type.String(),
  aboutName: Nullable(Type.String()),
  place: Nullable(Type.String()),
  category: Type.String(),
  categoryName: Type.String(),
  categoryNameEn: Type.String(),
  text: Type.String(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  photoFileId: Nullable(Uuid),
  divisionCode: Type.String(),
  orgId: Nullable(Uuid),
  orgName: Nullable(Type.String()),
  subjectId: Nullable(Uuid),
  batchId: Nullable(Uuid),
  status: ComplaintStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  outcome: Nullable(Type.String()),
  handledAt: Nullable(Type.String()),
  createdAt: Type.String(),
  allowedActions: Type.Array(LiteralUnion(COMPLAINT_ACTIONS), {
    description: "what the caller may do next (the complaint's state table)",
  }),
});
export type Complaint = Static<typeof Complaint>;

export const ComplaintInput = Type.Object(
  {
    code: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 300,
          description: 'trace code, certificate number or subject identity code from the label (optional)',
        }),
      ),
    ),
    about: Type.Optional(AboutSchema),
    aboutName: Type.Optional(
      Nullable(Type.String({ maxLength: 100, description: 'name of the producer, collector or agency' })),
    ),
    place: Type.Optional(Nullable(Type.String({ maxLength: 200, description: 'where it happened' }))),
    divisionCode: Type.Optional(
      Nullable(
        Type.String({ pattern: '^[0-9]{2,12}$', description: 'where it happened (routes a complaint without a code)' }),
      ),
    ),
    category: Type.Optional(CategorySchema),
    text: Type.String({ minLength: 1, maxLength: 2000 }),
    contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    contactPhone: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+\\- ]{5,20}$' }))),
    photoFileId: Type.Optional(Nullable(Uuid)),
  },
  { additionalProperties: false },
);
export type ComplaintInput = Static<typeof ComplaintInput>;

export const Submitted = Type.Object({
  id: Uuid,
  number: Type.String(),
  status: ComplaintStatusSchema,
  orgName: Nullable(Type.String({ description: 'the supervision organisation it was routed to' })),
});
export type Submitted = Static<typeof Submitted>;

export const ComplaintQuery = Type.Object({ status: Type.Optional(ComplaintStatusSchema), ...PageQuery });
export type ComplaintQuery = Static<typeof ComplaintQuery>;

export const ComplaintActionInput = Type.Object(
  {
    action: LiteralUnion(COMPLAINT_ACTIONS),
    outcome: Type.Optional(Type.String({ maxLength: 2000, description: 'required to close' })),
  },
  { additionalProperties: false },
);
export type ComplaintActionInput = Static<typeof ComplaintActionInput>;

/** The public page's complaint form: one path parameter, the code the complaint is about. */
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 300 }) });

/** What anyone may read about a complaint by its number (never the complainant's contact or the text). */
export const ComplaintStatusView = Type.Object({
  number: Type.String(),
  status: ComplaintStatusSchema,
  statusName: Type.String(),
  statusNameEn: Type.String(),
  aboutZh: Type.String(),
  aboutEn: Type.String(),
  categoryName: Type.String(),
  categoryNameEn: Type.String(),
  orgName: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  createdAt: Type.String(),
  handledAt: Nullable(Type.String()),
});
export type ComplaintStatusView = Static<typeof ComplaintStatusView>;
export const NumberParams = Type.Object({ number: Type.String({ minLength: 1, maxLength: 40 }) });
