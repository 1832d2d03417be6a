import { useI18n } from '../../shared/i18n';
import { useApiQuery } from '../../shared/useApiQuery';

type Label = { zh: string; en: string };

/**
 * The shared resources named for people (GET /sharing/resources): the filter's options, and the names of a
 * resource's fields for the correction dialog. No raw resource or field key is shown (issue 17 item 10).
 */
export function useSharedResources() {
  const { lang } = useI18n();
  const { data } = useApiQuery('/api/v1/sharing/resources', {});
  const items = data?.items ?? [];
  const name = (l: Label) => (lang === 'en' ? l.en : l.zh);
  return {
    options: items.map((r) => ({ value: r.key, label: name(r.label) })),
    name,
    /** A field of a resource by its catalogue name, else null (the caller then shows its value only). */
    fieldName: (resource: string, key: string) => {
      const f = items.find((r) => r.key === resource)?.fields.find((x) => x.key === key);
      return f ? name(f.label) : null;
    },
  };
}
