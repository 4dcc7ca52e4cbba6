import { createContext } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import { type Language, type Translate, translator } from '../../utils/locale/i18n.js';

type I18n = { language: Language; t: Translate };

const I18nContext = createContext<I18n>({ language: 'es', t: translator('es') });

export function I18nProvider({
  language,
  children,
}: {
  language: Language;
  children: preact.ComponentChildren;
}) {
  // Screen readers and the browser's spelling pick their language from the page, not from our text.
  useEffect(() => {
    document.documentElement.lang = language === 'es' ? 'es-CO' : 'en';
  }, [language]);
  return (
    <I18nContext.Provider value={{ language, t: translator(language) }}>{children}</I18nContext.Provider>
  );
}

export const useI18n = () => useContext(I18nContext);
