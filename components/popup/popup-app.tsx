/**
 * The popup: type a cédula and consent, follow the lookup, read the summary, export. A fresh cached
 * result opens at once without the relay; everything else goes through the background, which keeps
 * following the lookup when the popup closes.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../../utils/locale/i18n.js';
import type { ExportableReport } from '../../utils/report/csv-export.js';
import type { CachedLookup, CachedReport } from '../../utils/storage/lookup-cache.js';
import { freshLookupWindowMs } from '../../utils/storage/relay-policies.js';
import { isConfigured, type Settings } from '../../utils/storage/settings.js';
import { ReportView } from '../report/report-view.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { I18nProvider, useI18n } from '../shared/i18n-context.js';
import { LookupForm, type LookupRequest } from '../shared/lookup-form.js';
import { LookupProgress } from '../shared/lookup-progress.js';
import { HistoryList } from './history-list.js';

type View = { name: 'home' } | { name: 'lookup'; id: string };

function toExportable(lookup: CachedLookup, report: CachedReport): ExportableReport {
  return {
    cedula: lookup.cedula,
    consultedAt: lookup.updatedAt,
    owners: report.owners,
    employments: report.employments,
  };
}

function Popup({
  services,
  settings,
  initialHistory,
  initialLookupId,
}: {
  services: ExtensionServices;
  settings: Settings;
  initialHistory: CachedLookup[];
  initialLookupId: string | undefined;
}) {
  const { t } = useI18n();
  const [view, setView] = useState<View>(
    initialLookupId ? { name: 'lookup', id: initialLookupId } : { name: 'home' },
  );
  const [history, setHistory] = useState<CachedLookup[]>(initialHistory);
  const [current, setCurrent] = useState<
    { lookup: CachedLookup; report: CachedReport | undefined } | undefined
  >();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();

  const refresh = useCallback(async () => {
    const cache = await services.openCache();
    setHistory(await cache.listRecent());
    if (view.name === 'lookup') {
      const lookup = await cache.getLookup(view.id);
      setCurrent(lookup ? { lookup, report: await cache.getReport(view.id) } : undefined);
    }
  }, [services, view]);

  useEffect(() => services.onLookupChanged(() => void refresh()), [refresh, services]);
  // The home view starts from the history the popup opened with; a lookup view reads its lookup.
  useEffect(() => {
    if (view.name === 'lookup') void refresh();
  }, [view, refresh]);

  async function start(request: LookupRequest & { force?: boolean }) {
    setProblem(undefined);
    const cache = await services.openCache();
    // Within the relay's reuse window a cached result is what the relay would answer anyway.
    const freshWindowMs = freshLookupWindowMs(await services.loadRelayPolicies());
    if (!request.force && freshWindowMs !== undefined) {
      const fresh = await cache.findFreshReady(request.cedula, freshWindowMs);
      if (fresh) return setView({ name: 'lookup', id: fresh.id });
    }
    setBusy(true);
    try {
      const reply = await services.send({
        type: 'lookup.start',
        cedula: request.cedula,
        consentReference: request.consentReference,
        force: request.force,
      });
      if (reply.ok) setView({ name: 'lookup', id: reply.lookupId });
      else setProblem(errorMessage(t, reply.error.code));
    } catch {
      setProblem(errorMessage(t, 'internal_error'));
    } finally {
      setBusy(false);
    }
  }

  async function exportReports(reports: ExportableReport[], label: string) {
    // papaparse is loaded on the first export, not with every popup.
    const { csvFileName, newestPerPerson, toCsv } = await import('../../utils/report/csv-export.js');
    services.download(
      csvFileName(label),
      toCsv(newestPerPerson(reports), settings.csvSeparator, t),
      'text/csv;charset=utf-8',
    );
  }

  async function exportAll() {
    const cache = await services.openCache();
    const ready = history.filter((lookup) => lookup.status === 'ready');
    const reports: ExportableReport[] = [];
    for (const lookup of ready) {
      const report = await cache.getReport(lookup.id);
      if (report) reports.push(toExportable(lookup, report));
    }
    await exportReports(reports, 'historial');
  }

  async function remove(lookup: CachedLookup) {
    if (!confirm(t('history.deleteConfirm'))) return;
    const reply = await services.send({ type: 'lookup.delete', lookupId: lookup.id });
    if (!reply.ok) setProblem(errorMessage(t, reply.error.code));
    if (view.name === 'lookup' && view.id === lookup.id) setView({ name: 'home' });
    await refresh();
  }

  return (
    <main class="lupa">
      <h1>
        <img src="/icon/32.png" width={18} height={18} alt="" /> {t('app.name')}
      </h1>
      {problem && (
        <p class="alert" role="alert">
          {problem}
        </p>
      )}
      {view.name === 'home' && (
        <>
          <LookupForm busy={busy} onSubmit={(request) => void start(request)} />
          <h2>{t('history.title')}</h2>
          <HistoryList
            lookups={history}
            onOpen={(lookup) => setView({ name: 'lookup', id: lookup.id })}
            onDelete={(lookup) => void remove(lookup)}
            onExportAll={() => void exportAll()}
          />
        </>
      )}
      {view.name === 'lookup' && current && (
        <>
          {current.lookup.status === 'pending' && <LookupProgress lookup={current.lookup} />}
          {current.lookup.status === 'failed' && (
            <p class="alert" role="alert">
              {errorMessage(t, current.lookup.error?.code ?? 'internal_error')}
            </p>
          )}
          {current.lookup.status === 'ready' && current.report && (
            <ReportView
              lookup={current.lookup}
              report={current.report}
              action={{
                label: t('export.one'),
                run: () =>
                  void exportReports(
                    [toExportable(current.lookup, current.report!)],
                    current.lookup.cedulaMasked.replace(/\*/g, ''),
                  ),
              }}
              policy={settings.indicatorPolicy}
              withDetail
              onAgain={() =>
                void start({
                  cedula: current.lookup.cedula,
                  consentReference: current.lookup.consentReference ?? undefined,
                  force: true,
                })
              }
            />
          )}
          <div class="row">
            <button type="button" onClick={() => setView({ name: 'home' })}>
              {t('lookup.new')}
            </button>
          </div>
        </>
      )}
    </main>
  );
}

function SetupPrompt({ services }: { services: ExtensionServices }) {
  const { t } = useI18n();
  return (
    <main class="lupa">
      <h1>{t('setup.title')}</h1>
      <p>{t('setup.body')}</p>
      <button type="button" class="primary" onClick={() => services.openOptions()}>
        {t('setup.open')}
      </button>
    </main>
  );
}

/** `initialLookupId`: the popup page opened in a tab as a lookup's full view ("Ver detalle"). */
export function PopupApp({
  services,
  initialLookupId,
}: {
  services: ExtensionServices;
  initialLookupId?: string;
}) {
  const [loaded, setLoaded] = useState<{ settings: Settings; history: CachedLookup[] } | undefined>();
  useEffect(() => {
    // Both at once: reading them one after the other was most of the popup's opening time.
    void Promise.all([
      services.loadSettings(),
      services.openCache().then((cache) => cache.listRecent()),
    ]).then(([settings, history]) => setLoaded({ settings, history }));
  }, [services]);
  if (!loaded) return null;
  return (
    <I18nProvider language={loaded.settings.language}>
      {isConfigured(loaded.settings) ? (
        <Popup
          services={services}
          settings={loaded.settings}
          initialHistory={loaded.history}
          initialLookupId={initialLookupId}
        />
      ) : (
        <SetupPrompt services={services} />
      )}
    </I18nProvider>
  );
}
