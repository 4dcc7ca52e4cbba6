import { useEffect, useState } from 'preact/hooks';
import type { CsvSeparator } from '../utils/csv-export.js';
import { errorMessage, type Language } from '../utils/i18n.js';
import { normalizeRelayUrl, type Settings } from '../utils/settings.js';
import type { ExtensionServices } from './extension-services.js';
import { I18nProvider, useI18n } from './i18n-context.js';

type Status = { kind: 'ok' | 'problem'; text: string } | undefined;

function Options({
  services,
  initial,
  onLanguage,
}: {
  services: ExtensionServices;
  initial: Settings;
  onLanguage(language: Language): void;
}) {
  const { t } = useI18n();
  const [form, setForm] = useState(initial);
  const [status, setStatus] = useState<Status>();
  const [testing, setTesting] = useState(false);
  const update = (changes: Partial<Settings>) => setForm((previous) => ({ ...previous, ...changes }));

  async function save(event: Event) {
    event.preventDefault();
    const relayUrl = normalizeRelayUrl(form.relayUrl);
    if (!relayUrl) return setStatus({ kind: 'problem', text: t('options.invalidUrl') });
    const origin = new URL(relayUrl).origin;
    // Asked here, in the click, because browsers only show the prompt for a user gesture.
    const granted = await services.requestOrigin(origin).catch(() => false);
    if (!granted) return setStatus({ kind: 'problem', text: t('options.permissionDenied', { origin }) });
    const saved = await services.saveSettings({
      ...form,
      relayUrl,
      analystToken: form.analystToken.trim(),
      retentionDays: Math.max(1, Math.round(form.retentionDays)),
    });
    setForm(saved);
    onLanguage(saved.language);
    setStatus({ kind: 'ok', text: t('options.saved') });
  }

  async function test() {
    setTesting(true);
    setStatus(undefined);
    try {
      const reply = await services.send({ type: 'relay.test' });
      setStatus(
        reply.ok
          ? {
              kind: 'ok',
              text: t('options.connected', { name: reply.name, used: reply.used, limit: reply.limit }),
            }
          : { kind: 'problem', text: errorMessage(t, reply.error.code) },
      );
    } finally {
      setTesting(false);
    }
  }

  async function clearAll() {
    await (await services.openCache()).clearAll();
    setStatus({ kind: 'ok', text: t('options.cleared') });
  }

  return (
    <main class="lupa" style={{ maxWidth: '560px' }}>
      <h1>{t('options.title')}</h1>
      <form onSubmit={(event) => void save(event)}>
        <label for="relay-url">{t('options.relayUrl')}</label>
        <input
          id="relay-url"
          type="url"
          required
          placeholder="https://relay.example.com.co"
          value={form.relayUrl}
          onInput={(event) => update({ relayUrl: event.currentTarget.value })}
        />
        <label for="analyst-token">{t('options.token')}</label>
        <input
          id="analyst-token"
          type="password"
          autoComplete="off"
          required
          value={form.analystToken}
          onInput={(event) => update({ analystToken: event.currentTarget.value })}
        />
        <label for="language">{t('options.language')}</label>
        <select
          id="language"
          value={form.language}
          onChange={(event) => update({ language: event.currentTarget.value as Language })}
        >
          <option value="es">Español</option>
          <option value="en">English</option>
        </select>
        <label for="retention">{t('options.retention')}</label>
        <input
          id="retention"
          type="number"
          min={1}
          max={90}
          value={form.retentionDays}
          onInput={(event) => update({ retentionDays: Number(event.currentTarget.value) })}
        />
        <label for="separator">{t('options.separator')}</label>
        <select
          id="separator"
          value={form.csvSeparator}
          onChange={(event) => update({ csvSeparator: event.currentTarget.value as CsvSeparator })}
        >
          <option value=";">{t('options.separator.semicolon')}</option>
          <option value=",">{t('options.separator.comma')}</option>
        </select>
        <div class="row">
          <button type="submit" class="primary">
            {t('options.save')}
          </button>
          <button type="button" onClick={() => void test()} disabled={testing}>
            {testing ? t('options.testing') : t('options.test')}
          </button>
        </div>
      </form>
      {status && (
        <p class={status.kind === 'ok' ? 'notice' : 'alert'} role="status">
          {status.text}
        </p>
      )}
      <h2>{t('options.crmSites')}</h2>
      {form.crmSites.length === 0 ? (
        <p class="hint">{t('options.crmSitesEmpty')}</p>
      ) : (
        <ul>
          {form.crmSites.map((site) => (
            <li key={site}>{site}</li>
          ))}
        </ul>
      )}
      <div class="row">
        <button type="button" onClick={() => void clearAll()}>
          {t('options.clearAll')}
        </button>
      </div>
    </main>
  );
}

export function OptionsApp({ services }: { services: ExtensionServices }) {
  const [settings, setSettings] = useState<Settings | undefined>();
  const [language, setLanguage] = useState<Language>('es');
  useEffect(() => {
    void services.loadSettings().then((loaded) => {
      setSettings(loaded);
      setLanguage(loaded.language);
    });
  }, [services]);
  if (!settings) return null;
  return (
    <I18nProvider language={language}>
      <Options services={services} initial={settings} onLanguage={setLanguage} />
    </I18nProvider>
  );
}
