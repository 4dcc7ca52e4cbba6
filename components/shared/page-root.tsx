import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import type { Language } from '../../utils/locale/i18n.js';
import type { Settings } from '../../utils/storage/settings.js';
import type { ExtensionServices } from './extension-services.js';
import { I18nProvider } from './i18n-context.js';

export type PageContent<Loaded> = {
  settings: Settings;
  loaded: Loaded;
  /** The options change the language at once, before anything is saved. */
  setLanguage(language: Language): void;
};

/**
 * The root of every extension page: reads the settings (and what the page needs besides them, at the
 * same time: one wait, not two), shows nothing until then, and gives the page the analyst's language.
 */
export function PageRoot<Loaded = undefined>({
  services,
  load,
  loadKey,
  children,
}: {
  services: ExtensionServices;
  load?: () => Promise<Loaded>;
  /** Reads again when this changes (the credit file's lookup id). */
  loadKey?: string;
  children: (page: PageContent<Loaded>) => ComponentChildren;
}) {
  const [ready, setReady] = useState<{ settings: Settings; loaded: Loaded } | undefined>();
  const [language, setLanguage] = useState<Language | undefined>();
  // Not on `load`: a new function each render. `loadKey` says when the page reads something else.
  // A layout effect: the read starts right after the first (empty) render, where useEffect would
  // wait for the next animation frame, or Preact's 100 ms fallback when the page is not painted yet.
  useLayoutEffect(() => {
    void Promise.all([services.loadSettings(), load ? load() : (undefined as Loaded)]).then(
      ([settings, loaded]) => {
        setReady({ settings, loaded });
        setLanguage(settings.language);
      },
    );
  }, [services, loadKey]);
  if (!ready) return null;
  return (
    <I18nProvider language={language ?? ready.settings.language}>
      {children({ settings: ready.settings, loaded: ready.loaded, setLanguage })}
    </I18nProvider>
  );
}
