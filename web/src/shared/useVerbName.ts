import { useI18n } from './i18n';
import { useApiQuery } from './useApiQuery';

/** A permission verb's name in the UI language (from `listVerbs`); the code only until the names arrive. */
export function useVerbName(): (code: string) => string {
  const { lang } = useI18n();
  const { data } = useApiQuery('/api/v1/verbs', undefined, { staleTime: Number.POSITIVE_INFINITY });
  const names = new Map((data ?? []).map((v) => [v.code, lang === 'en' ? v.en : v.zh]));
  return (code) => names.get(code) ?? code;
}
