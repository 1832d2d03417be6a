import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

/**
 * Two languages, Chinese first. Strings live beside the features that use them: `t('中文', 'English')`.
 * (A key-based dictionary would hide the Chinese from the reader of the code; here both stand side by side.)
 */
export type Lang = 'zh' | 'en';

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(zh: string, en: string): string;
}

const Ctx = createContext<I18n>({ lang: 'zh', setLang: () => {}, t: (zh) => zh });

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem('suyuan.lang') === 'en' ? 'en' : 'zh'));
  const setLang = useCallback((l: Lang) => {
    localStorage.setItem('suyuan.lang', l);
    document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
    setLangState(l);
  }, []);
  const value = useMemo<I18n>(() => ({ lang, setLang, t: (zh, en) => (lang === 'en' ? en : zh) }), [lang, setLang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export const useI18n = () => useContext(Ctx);
export const useT = () => useContext(Ctx).t;
