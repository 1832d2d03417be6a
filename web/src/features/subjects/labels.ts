import type { ApiData, ApiItem } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { useApiQuery } from '../../shared/useApiQuery';

/** The subjects' contracts, named from the generated API types (never restated here). */
export type Subject = ApiItem<'/api/v1/subjects'>;
export type SubjectDetail = ApiData<'get', '/api/v1/subjects/{id}'>;
export type Application = SubjectDetail['applications'][number];
export type SubjectStatus = Subject['status'];
export type SubjectAction = Subject['allowedActions'][number];
export type Meta = ApiData<'get', '/api/v1/subjects/meta'>;

/** The label groups the server sends with `getSubjectMeta` (each `{ code: { zh, en } }`). */
type LabelGroup = {
  [K in keyof Meta]: Meta[K] extends Record<string, { zh: string; en: string }> ? K : never;
}[keyof Meta];

/** Tag colour of each status (presentation only; the names come from the server). */
export const STATUS_COLORS: Record<SubjectStatus, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
  change_pending: 'warning',
  cancel_pending: 'warning',
  revoke_pending: 'warning',
  revoked: 'default',
  cancelled: 'default',
};

/**
 * The registration options and their names in the UI language, from the server (`getSubjectMeta`, public, loaded
 * once): `label('orgForms', s.orgForm)`, `options('industries')` for a Select or Checkbox group.
 */
export function useSubjectLabels() {
  const { lang } = useI18n();
  const { data: meta } = useApiQuery('/api/v1/subjects/meta', undefined, { staleTime: Number.POSITIVE_INFINITY });
  const group = (g: LabelGroup) => (meta?.[g] ?? {}) as Record<string, { zh: string; en: string }>;
  const name = (l: { zh: string; en: string }) => (lang === 'en' ? l.en : l.zh);
  return {
    meta,
    label: (g: LabelGroup, code: string) => {
      const l = group(g)[code];
      return l ? name(l) : code;
    },
    options: (g: LabelGroup) => Object.entries(group(g)).map(([value, l]) => ({ value, label: name(l) })),
  };
}
