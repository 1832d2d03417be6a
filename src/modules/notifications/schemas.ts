import { type Static, Type } from 'typebox';
import { Nullable, Page, PageQuery, Uuid } from '../../kernel/schemas.js';

export const Notification = Type.Object({
  id: Uuid,
  kind: Type.String(),
  title: Type.String({ description: 'zh-CN' }),
  titleEn: Type.String(),
  body: Nullable(Type.String()),
  link: Nullable(Type.String()),
  createdAt: Type.String(),
  readAt: Nullable(Type.String()),
});
export type Notification = Static<typeof Notification>;

export const NotificationQuery = Type.Object({ unread: Type.Optional(Type.Boolean()), ...PageQuery });
export type NotificationQuery = Static<typeof NotificationQuery>;

/** A page of my notifications, plus how many are unread in all (for the bell). */
export const NotificationPage = Type.Object({ ...Page(Notification).properties, unread: Type.Integer() });
export type NotificationPage = Static<typeof NotificationPage>;

export const NotificationParams = Type.Object({ id: Uuid });
export type NotificationParams = Static<typeof NotificationParams>;

export const Marked = Type.Object({ marked: Type.Integer() });
export type Marked = Static<typeof Marked>;
