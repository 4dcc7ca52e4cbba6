import type { Role } from '@lupa/contract';
import { ALERT_THRESHOLD_RANGES } from '@lupa/contract/alert-thresholds';
import type { CsvSeparator } from '@lupa/contract/csv';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorMessage, type Language } from '../../utils/locale/i18n.js';
import { CRM_ADAPTERS } from '../../utils/overlay/crm-adapters.js';
import type { SiteFieldLocator } from '../../utils/overlay/field-locators.js';
import { patternOfOrigin } from '../../utils/overlay/match-patterns.js';
import { originMatches } from '../../utils/overlay/site-registration.js';
import type { IndicatorPolicy } from '../../utils/report/credit/credit-indicators.js';
import { type ManagedKey, normalizeRelayUrl, type Settings } from '../../utils/storage/settings.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { PageRoot } from '../shared/page-root.js';
import { TeamUsage } from './team-usage.js';

type Status = { kind: 'ok' | 'problem'; text: string } | undefined;

/** Every CRM's match patterns: what is not among them is an in-house site. */
const KNOWN_PATTERNS = new Set(CRM_ADAPTERS.flatMap((adapter) => adapter.matches));

/** A locator's site (`https://erp.banco.com.co/*`) falls under one of these enabled patterns. */
const underAny = (locator: SiteFieldLocator, patterns: string[]) =>
  patterns.some((pattern) => originMatches(locator.site.replace(/\*$/, ''), pattern));

/**
 * Where the cédula is on an enabled site: the fields the analyst pointed at (which they may forget)
 * and the organisation's (shown, never removed here), and the button that starts pointing at one in
 * the site's open tab.
 */
function SiteFields({
  services,
  patterns,
  label,
  onStatus,
}: {
  services: ExtensionServices;
  patterns: string[];
  label: string;
  onStatus(status: Status): void;
}) {
  const { t } = useI18n();
  const [locators, setLocators] = useState<{ own: SiteFieldLocator[]; organisation: SiteFieldLocator[] }>({
    own: [],
    organisation: [],
  });
  // Read again when the analyst comes back from the tab where they pointed at the field.
  useEffect(() => {
    const read = () =>
      void services.loadSettings().then((settings) =>
        setLocators({
          own: settings.fieldLocators.filter((locator) => underAny(locator, patterns)),
          organisation: settings.crmFieldLocators.filter((locator) => underAny(locator, patterns)),
        }),
      );
    read();
    window.addEventListener('focus', read);
    return () => window.removeEventListener('focus', read);
  }, [services, patterns]);

  async function pick() {
    onStatus(undefined);
    const reply = await services.send({ type: 'picker.start', sites: patterns });
    if (!reply.ok) onStatus({ kind: 'problem', text: errorMessage(t, reply.error.code) });
  }

  // IT ships the same field to every analyst by policy (docs/rolling-out.md): the entry as it goes there.
  async function copyForPolicy(locator: SiteFieldLocator) {
    const entry = { ...locator, site: locator.site.replace(/\/\*$/, '') };
    await navigator.clipboard.writeText(JSON.stringify(entry)).then(
      () => onStatus({ kind: 'ok', text: t('options.copiedForPolicy') }),
      () => onStatus({ kind: 'problem', text: t('options.copyFailed') }),
    );
  }

  async function forget(forgotten: SiteFieldLocator) {
    const settings = await services.loadSettings();
    const saved = await services.saveSettings({
      fieldLocators: settings.fieldLocators.filter(
        (locator) =>
          !(
            locator.site === forgotten.site &&
            locator.label === forgotten.label &&
            locator.position === forgotten.position
          ),
      ),
    });
    setLocators((previous) => ({
      ...previous,
      own: saved.fieldLocators.filter((locator) => underAny(locator, patterns)),
    }));
  }

  return (
    <ul class="site-fields" aria-label={t('options.pickField')}>
      {locators.organisation.map((locator) => (
        <li key={`policy ${locator.site} ${locator.label} ${locator.position}`}>
          <span>{t('options.fieldLocator', { label: locator.label })}</span> ·{' '}
          <span class="hint">{t('options.fieldLocatorByPolicy')}</span>
        </li>
      ))}
      {locators.own.map((locator) => (
        <li key={`own ${locator.site} ${locator.label} ${locator.position}`}>
          <span>{t('options.fieldLocator', { label: locator.label })}</span>{' '}
          <button
            type="button"
            aria-label={`${t('options.forgetField')}: ${locator.label} (${label})`}
            onClick={() => void forget(locator)}
          >
            {t('options.forgetField')}
          </button>{' '}
          <button
            type="button"
            aria-label={`${t('options.copyForPolicy')}: ${locator.label} (${label})`}
            onClick={() => void copyForPolicy(locator)}
          >
            {t('options.copyForPolicy')}
          </button>
        </li>
      ))}
      <li>
        <button type="button" aria-label={`${t('options.pickField')}: ${label}`} onClick={() => void pick()}>
          {t('options.pickField')}
        </button>
      </li>
    </ul>
  );
}

/** Each CRM and each in-house origin the overlay may run on; access is asked for in the click. */
function CrmSites({
  services,
  enabled,
  onChange,
  onStatus,
  managed,
}: {
  services: ExtensionServices;
  enabled: string[];
  onChange(crmSites: string[]): void;
  onStatus(status: Status): void;
  /** Set by the organisation: shown, with access to ask for where it is missing, never changed here. */
  managed: boolean;
}) {
  const { t } = useI18n();
  const [custom, setCustom] = useState('');
  // The organisation's sites still waiting for the analyst's one-time grant of access.
  const [ungranted, setUngranted] = useState<string[][]>([]);
  useEffect(() => {
    if (!managed) return;
    const groups = [
      ...CRM_ADAPTERS.map((adapter) => adapter.matches).filter((patterns) =>
        patterns.every((pattern) => enabled.includes(pattern)),
      ),
      ...enabled.filter((pattern) => !KNOWN_PATTERNS.has(pattern)).map((pattern) => [pattern]),
    ];
    void Promise.all(
      groups.map(async (patterns) => ((await services.hasOrigins(patterns)) ? [] : [patterns])),
    ).then((missing) => setUngranted(missing.flat()));
  }, [managed, enabled, services]);

  async function grant(patterns: string[], label: string) {
    const granted = await services.requestOrigins(patterns).catch(() => false);
    if (!granted) return onStatus({ kind: 'problem', text: t('options.siteDenied', { site: label }) });
    setUngranted((previous) => previous.filter((group) => group !== patterns));
  }
  const customSites = enabled.filter((pattern) => !KNOWN_PATTERNS.has(pattern));
  // One array per site for the life of the page: SiteFields reads its locators again when it changes.
  const [patternLists] = useState(() => new Map<string, string[]>());
  const customPatterns = (pattern: string) => {
    if (!patternLists.has(pattern)) patternLists.set(pattern, [pattern]);
    return patternLists.get(pattern)!;
  };

  async function save(next: string[]) {
    const saved = await services.saveSettings({ crmSites: next });
    onChange(saved.crmSites);
  }

  async function enable(patterns: string[], label: string) {
    const granted = await services.requestOrigins(patterns).catch(() => false);
    if (!granted) return onStatus({ kind: 'problem', text: t('options.siteDenied', { site: label }) });
    await save([...new Set([...enabled, ...patterns])]);
  }

  async function disable(patterns: string[]) {
    await save(enabled.filter((pattern) => !patterns.includes(pattern)));
    await services.releaseOrigins(patterns).catch(() => undefined);
  }

  return (
    <section aria-labelledby="crm-sites">
      <h2 id="crm-sites">{t('options.crmSites')}</h2>
      <p class="hint">{managed ? t('options.managedSites') : t('options.crmSitesHint')}</p>
      <p class="hint">{t('options.pickFieldHint')}</p>
      {ungranted.map((patterns) => {
        const label =
          CRM_ADAPTERS.find((adapter) => adapter.matches === patterns)?.name ??
          patterns[0]!.replace(/\/\*$/, '');
        return (
          <div class="row" key={patterns.join(' ')}>
            <span>{t('options.siteNeedsAccess', { site: label })}</span>
            <button type="button" onClick={() => void grant(patterns, label)}>
              {t('options.grantAccess')}
            </button>
          </div>
        );
      })}
      {CRM_ADAPTERS.map((adapter) => {
        const on = adapter.matches.every((pattern) => enabled.includes(pattern));
        return (
          <div key={adapter.id}>
            <label class="check">
              <input
                type="checkbox"
                checked={on}
                disabled={managed}
                onChange={() => void (on ? disable(adapter.matches) : enable(adapter.matches, adapter.name))}
              />
              <span>{adapter.name}</span>
            </label>
            {on && (
              <SiteFields
                services={services}
                patterns={adapter.matches}
                label={adapter.name}
                onStatus={onStatus}
              />
            )}
          </div>
        );
      })}
      <ul>
        {customSites.map((pattern) => (
          <li key={pattern}>
            {pattern.replace(/\/\*$/, '')}{' '}
            {!managed && (
              <button type="button" onClick={() => void disable([pattern])}>
                {t('options.removeSite')}
              </button>
            )}
            <SiteFields
              services={services}
              patterns={customPatterns(pattern)}
              label={pattern.replace(/\/\*$/, '')}
              onStatus={onStatus}
            />
          </li>
        ))}
      </ul>
      {!managed && (
        <form
          class="row"
          onSubmit={(event) => {
            event.preventDefault();
            const pattern = patternOfOrigin(custom);
            if (!pattern) return onStatus({ kind: 'problem', text: t('options.invalidUrl') });
            void enable([pattern], custom.trim()).then(() => setCustom(''));
          }}
        >
          <input
            type="url"
            aria-label={t('options.customSite')}
            placeholder="https://prestamos.mi-entidad.com.co"
            value={custom}
            onInput={(event) => setCustom(event.currentTarget.value)}
          />
          <button type="submit">{t('options.addSite')}</button>
        </form>
      )}
    </section>
  );
}

/** Under a field the organisation set by policy: why it cannot be changed here. */
type ControlProps = { id: string; disabled: boolean; 'aria-describedby'?: string };

/**
 * A setting the organisation's policy may set: its label, its control (locked when the policy sets
 * it) and, then, the note that says so, tied to the control for screen readers.
 */
function ManagedField({
  id,
  label,
  locked,
  children,
}: {
  id: string;
  label: string;
  locked: boolean;
  children: (control: ControlProps) => ComponentChildren;
}) {
  const { t } = useI18n();
  const noteId = `${id}-managed`;
  return (
    <>
      <label for={id}>{label}</label>
      {children({ id, disabled: locked, ...(locked ? { 'aria-describedby': noteId } : {}) })}
      {locked && (
        <p class="hint" id={noteId}>
          {t('options.managed')}
        </p>
      )}
    </>
  );
}

/** A threshold as typed ("1,25" with a decimal comma), or null when it is not one in its range. */
function thresholdOf(text: string, name: keyof IndicatorPolicy): number | null {
  const { min, max, integer } = ALERT_THRESHOLD_RANGES[name];
  const trimmed = text.trim();
  // Either mark reads as the decimal one: no threshold reaches a thousand.
  if (!/^\d+([.,]\d+)?$/.test(trimmed)) return null;
  const number = Number(trimmed.replace(',', '.'));
  return number >= min && number <= max && (!integer || Number.isInteger(number)) ? number : null;
}

/**
 * One threshold, written the way the analyst's language writes numbers ("1,25" in Spanish): a text
 * field, since a number field shows and expects the decimal point whatever the language.
 */
function PolicyField({
  name,
  value,
  onChange,
}: {
  name: keyof IndicatorPolicy;
  value: number;
  onChange(value: number): void;
}) {
  const { t, language } = useI18n();
  const comma = language === 'es';
  const shown = (number: number) => (comma ? String(number).replace('.', ',') : String(number));
  const [text, setText] = useState(shown(value));
  const { min, max } = ALERT_THRESHOLD_RANGES[name];
  const valid = thresholdOf(text, name) !== null;
  const problemId = `policy-${name}-problem`;
  return (
    <div>
      <label for={`policy-${name}`}>{t(`options.policy.${name}`)}</label>
      <input
        id={`policy-${name}`}
        inputMode={ALERT_THRESHOLD_RANGES[name].integer ? 'numeric' : 'decimal'}
        autoComplete="off"
        value={text}
        aria-invalid={!valid}
        aria-describedby={valid ? undefined : problemId}
        onInput={(event) => {
          const next = event.currentTarget.value;
          setText(next);
          const number = thresholdOf(next, name);
          if (number !== null) onChange(number);
        }}
      />
      {!valid && (
        <p class="hint" id={problemId}>
          {t('options.policy.range', { min: shown(min), max: shown(max) })}
        </p>
      )}
    </div>
  );
}

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
  const [signingIn, setSigningIn] = useState(false);
  // What the saved relay says this person may do: supervisors and admins also see the team's usage.
  const [roles, setRoles] = useState<Role[]>([]);
  const update = (changes: Partial<Settings>) => setForm((previous) => ({ ...previous, ...changes }));
  const locked = (key: ManagedKey) => form.managed.includes(key);

  useEffect(() => {
    if (!initial.relayUrl || !(initial.analystToken || initial.signedInAs)) return;
    void services.send({ type: 'relay.test' }).then((reply) => {
      if (reply.ok) setRoles(reply.roles);
    });
  }, [services, initial]);

  async function save(event: Event) {
    event.preventDefault();
    const relayUrl = normalizeRelayUrl(form.relayUrl);
    if (!relayUrl) return setStatus({ kind: 'problem', text: t('options.invalidUrl') });
    const origin = new URL(relayUrl).origin;
    // Asked here, in the click, because browsers only show the prompt for a user gesture.
    const granted = await services.requestOrigins([`${origin}/*`]).catch(() => false);
    if (!granted) return setStatus({ kind: 'problem', text: t('options.permissionDenied', { origin }) });
    // Only this form's fields: the CRM sites below are saved on their own.
    const saved = await services.saveSettings({
      relayUrl,
      analystToken: form.analystToken.trim(),
      language: form.language,
      csvSeparator: form.csvSeparator,
      retentionDays: Math.max(1, Math.round(form.retentionDays)),
      indicatorPolicy: form.indicatorPolicy,
    });
    setForm(saved);
    onLanguage(saved.language);
    setStatus({ kind: 'ok', text: t('options.saved') });
  }

  /** Tests what the form holds, saved or not: the analyst checks before saving. */
  async function test() {
    const relayUrl = normalizeRelayUrl(form.relayUrl);
    if (!relayUrl) return setStatus({ kind: 'problem', text: t('options.invalidUrl') });
    setTesting(true);
    setStatus(undefined);
    try {
      // Signed in without a token typed: the saved session is what there is to test.
      const reply = await services.send(
        form.signedInAs && !form.analystToken.trim()
          ? { type: 'relay.test' }
          : { type: 'relay.test', relayUrl, analystToken: form.analystToken.trim() },
      );
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

  async function signIn() {
    const relayUrl = normalizeRelayUrl(form.relayUrl);
    if (!relayUrl) return setStatus({ kind: 'problem', text: t('options.invalidUrl') });
    const origin = new URL(relayUrl).origin;
    // In the click: browsers only show the permission prompt for a user gesture.
    const granted = await services.requestOrigins([`${origin}/*`]).catch(() => false);
    if (!granted) return setStatus({ kind: 'problem', text: t('options.permissionDenied', { origin }) });
    setSigningIn(true);
    setStatus(undefined);
    try {
      const reply = await services.send({ type: 'session.sign-in', relayUrl });
      if (!reply.ok) {
        const detail =
          reply.error.code === 'sign_in_refused' && reply.error.detail ? ` (${reply.error.detail})` : '';
        return setStatus({ kind: 'problem', text: `${errorMessage(t, reply.error.code)}${detail}` });
      }
      update({ relayUrl, analystToken: '', signedInAs: reply.name });
      setRoles(reply.roles);
      setStatus({ kind: 'ok', text: t('options.signedInAs', { name: reply.name }) });
    } finally {
      setSigningIn(false);
    }
  }

  async function signOut() {
    await services.send({ type: 'session.sign-out' });
    update({ signedInAs: null });
    setRoles([]);
    setStatus({ kind: 'ok', text: t('options.signedOut') });
  }

  async function clearAll() {
    if (!confirm(t('options.clearAllConfirm'))) return;
    const reply = await services.send({ type: 'history.clear' });
    if (!reply.ok) return setStatus({ kind: 'problem', text: errorMessage(t, reply.error.code) });
    setStatus({ kind: 'ok', text: t('options.cleared') });
  }

  return (
    <main class="lupa" style={{ maxWidth: '560px' }}>
      <h1>{t('options.title')}</h1>
      <form onSubmit={(event) => void save(event)}>
        <ManagedField id="relay-url" label={t('options.relayUrl')} locked={locked('relayUrl')}>
          {(control) => (
            <input
              {...control}
              type="url"
              required
              placeholder="https://relay.example.com.co"
              value={form.relayUrl}
              onInput={(event) => update({ relayUrl: event.currentTarget.value })}
            />
          )}
        </ManagedField>
        <div class="row">
          {form.signedInAs ? (
            <>
              <span>{t('options.signedInAs', { name: form.signedInAs })}</span>
              <button type="button" onClick={() => void signOut()}>
                {t('options.signOut')}
              </button>
            </>
          ) : (
            <button type="button" onClick={() => void signIn()} disabled={signingIn}>
              {signingIn ? t('options.signingIn') : t('options.signIn')}
            </button>
          )}
        </div>
        {!form.signInRequired && (
          <>
            <label for="analyst-token">{t('options.token')}</label>
            <input
              id="analyst-token"
              type="password"
              autoComplete="off"
              aria-describedby="analyst-token-hint"
              value={form.analystToken}
              onInput={(event) => update({ analystToken: event.currentTarget.value })}
            />
            <p class="hint" id="analyst-token-hint">
              {t('options.tokenHint')}
            </p>
          </>
        )}
        <ManagedField id="language" label={t('options.language')} locked={locked('language')}>
          {(control) => (
            <select
              {...control}
              value={form.language}
              onChange={(event) => update({ language: event.currentTarget.value as Language })}
            >
              <option value="es">Español</option>
              <option value="en">English</option>
            </select>
          )}
        </ManagedField>
        <ManagedField id="retention" label={t('options.retention')} locked={locked('retentionDays')}>
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={90}
              value={form.retentionDays}
              onInput={(event) => update({ retentionDays: Number(event.currentTarget.value) })}
            />
          )}
        </ManagedField>
        <ManagedField id="separator" label={t('options.separator')} locked={locked('csvSeparator')}>
          {(control) => (
            <select
              {...control}
              value={form.csvSeparator}
              onChange={(event) => update({ csvSeparator: event.currentTarget.value as CsvSeparator })}
            >
              <option value=";">{t('options.separator.semicolon')}</option>
              <option value=",">{t('options.separator.comma')}</option>
            </select>
          )}
        </ManagedField>
        <fieldset
          disabled={locked('indicatorPolicy')}
          aria-describedby={locked('indicatorPolicy') ? 'policy-managed' : undefined}
        >
          <legend>{t('options.policy')}</legend>
          {locked('indicatorPolicy') && (
            <p class="hint" id="policy-managed">
              {t('options.managed')}
            </p>
          )}
          {(Object.keys(ALERT_THRESHOLD_RANGES) as Array<keyof IndicatorPolicy>).map((key) => (
            <PolicyField
              key={key}
              name={key}
              value={form.indicatorPolicy[key]}
              onChange={(value) => update({ indicatorPolicy: { ...form.indicatorPolicy, [key]: value } })}
            />
          ))}
        </fieldset>
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
      <CrmSites
        services={services}
        enabled={form.crmSites}
        onChange={(crmSites) => update({ crmSites })}
        onStatus={setStatus}
        managed={form.managed.includes('crmSites')}
      />
      {(roles.includes('supervisor') || roles.includes('admin')) && (
        <TeamUsage services={services} separator={form.csvSeparator} />
      )}
      <div class="row">
        <button type="button" onClick={() => void clearAll()}>
          {t('options.clearAll')}
        </button>
      </div>
      <p class="hint">
        {t('options.privacyIntro')}{' '}
        <a href="/privacy.html" target="_blank" rel="noopener">
          {t('options.privacy')}
        </a>
      </p>
    </main>
  );
}

export function OptionsApp({ services }: { services: ExtensionServices }) {
  return (
    <PageRoot services={services}>
      {({ settings, setLanguage }) => (
        <Options services={services} initial={settings} onLanguage={setLanguage} />
      )}
    </PageRoot>
  );
}
