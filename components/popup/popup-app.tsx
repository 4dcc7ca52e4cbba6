/**
 * The popup: type a cédula and consent, follow the lookup, read the summary, export. Every query goes
 * through the background (which keeps following it when the popup closes) and the relay, which
 * records the consent even when it reuses a recent result.
 */
import { formatCedula } from '@lupa/contract/cedula';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { errorMessage, type Translate } from '../../utils/locale/i18n.js';
import { nextStepOf } from '../../utils/locale/next-steps.js';
import type { ExportableReport } from '../../utils/report/csv-export.js';
import type { CaseInputs } from '../../utils/report/summary/summarize.js';
import type { CachedLookup, CachedReport } from '../../utils/storage/lookup-cache.js';
import { freshLookupWindowMs } from '../../utils/storage/relay-policies.js';
import { isConfigured, type Settings } from '../../utils/storage/settings.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { LookupForm, type LookupRequest } from '../shared/lookup-form.js';
import { LookupProgress } from '../shared/lookup-progress.js';
import { PageRoot } from '../shared/page-root.js';
import { ProblemNotice } from '../shared/problem-notice.js';
import { useBusyAction } from '../shared/use-busy-action.js';
import { HistoryList } from './history-list.js';

type Draft = { cedula: string; consentReference?: string };
/** `reusedFrom`: when the relay reused a result this browser already had, that result's time. */
type View = { name: 'home'; draft?: Draft } | { name: 'lookup'; id: string; reusedFrom?: string };

/** What a screen reader hears once per change of a lookup's screen (never a ticking counter). */
function announcementOf(t: Translate, lookup: CachedLookup, name: string | undefined): string {
  if (lookup.status === 'ready') return t('lookup.announce.ready', { name: name ?? lookup.cedulaMasked });
  if (lookup.status === 'failed')
    return `${t('lookup.heading.failed', { cedula: formatCedula(lookup.cedula) })} ${errorMessage(t, lookup.error?.code ?? 'internal_error')}`;
  return t(`lookup.stage.${lookup.stage}`);
}

function toExportable(lookup: CachedLookup, report: CachedReport): ExportableReport {
  return {
    cedula: lookup.cedula,
    consultedAt: lookup.updatedAt,
    owners: report.owners,
    employments: report.employments,
  };
}

/** The popup's User Timing marks, by name. */
export const POPUP_MARKS = { form: 'lupa:popup-form', history: 'lupa:popup-history' } as const;

function Popup({
  services,
  settings,
  runningLookupId,
  initialLookupId,
  handedOver,
}: {
  services: ExtensionServices;
  settings: Settings;
  /** What the CRM panel handed over with "Ver detalle": the record's NIT and name, the declared income. */
  handedOver: CaseInputs | undefined;
  /** A lookup the background still follows: reopened while it runs, the popup shows it. */
  runningLookupId: string | undefined;
  initialLookupId: string | undefined;
}) {
  const { t } = useI18n();
  const running = runningLookupId ? { id: runningLookupId } : undefined;
  const [view, setView] = useState<View>(
    initialLookupId
      ? { name: 'lookup', id: initialLookupId }
      : running
        ? { name: 'lookup', id: running.id }
        : { name: 'home' },
  );
  const [asking, setAsking] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Read after the form is on screen: the form must answer at once, however long the history.
  const [history, setHistory] = useState<CachedLookup[] | undefined>();
  // The summary's code (credit reading, holidays, chart) loads once the form is up, not before it.
  const [reportModule, setReportModule] = useState<typeof import('../report/report-view.js')>();
  useEffect(() => void import('../report/report-view.js').then(setReportModule), []);
  // User Timing marks: when the form can be used and when the history is in (read by `npm run bench`).
  useLayoutEffect(() => void performance.mark(POPUP_MARKS.form), []);
  useLayoutEffect(() => {
    if (history) performance.mark(POPUP_MARKS.history);
  }, [history !== undefined]);
  const [current, setCurrent] = useState<
    { lookup: CachedLookup; report: CachedReport | undefined } | undefined
  >();
  const { busy, problem, problemCode, problemAt, setProblem, run } = useBusyAction();

  const refresh = useCallback(async () => {
    const cache = await services.openCache();
    setHistory(await cache.listRecent());
    if (view.name === 'lookup') {
      const lookup = await cache.getLookup(view.id);
      setCurrent(lookup ? { lookup, report: await cache.getReport(view.id) } : undefined);
    }
  }, [services, view]);

  useEffect(() => services.onLookupChanged(() => void refresh()), [refresh, services]);
  useEffect(() => {
    void refresh();
  }, [view, refresh]);

  // Focus follows the screen: the new screen's heading, so the analyst (and a screen reader) starts
  // there; the home screen's form focuses its Cédula field itself.
  const screenKey = view.name === 'lookup' ? `${view.id}:${current?.lookup.status}:${asking}` : 'home';
  useEffect(() => {
    if (view.name === 'lookup' && current && !asking) heading.current?.focus();
  }, [screenKey]);

  async function start(request: LookupRequest & { force?: boolean }) {
    const cache = await services.openCache();
    // Within the relay's reuse window the relay answers with the same result at no Belvo charge, and
    // records this consent as its own access; the screen says how old the result is.
    const freshWindowMs = freshLookupWindowMs(await services.loadRelayPolicies());
    const fresh =
      !request.force && freshWindowMs !== undefined
        ? await cache.findFreshReady(request.cedula, freshWindowMs)
        : undefined;
    await run(async () => {
      try {
        const reply = await services.send({
          type: 'lookup.start',
          cedula: request.cedula,
          consentReference: request.consentReference,
          force: request.force,
        });
        if (reply.ok) {
          setAsking(false);
          setView({ name: 'lookup', id: reply.lookupId, reusedFrom: fresh?.updatedAt });
        } else setProblem(errorMessage(t, reply.error.code), reply.error.code);
      } catch {
        setProblem(errorMessage(t, 'internal_error'), 'internal_error');
      }
    });
  }

  async function exportReports(reports: ExportableReport[], label: string) {
    // The CSV code (and the estimate rules it writes) loads on the first export, not with every popup.
    const { csvFileName, newestPerPerson, toCsv } = await import('../../utils/report/csv-export.js');
    services.download(
      csvFileName(label),
      toCsv(newestPerPerson(reports), settings.csvSeparator, t),
      'text/csv;charset=utf-8',
    );
  }

  async function exportAll() {
    const cache = await services.openCache();
    const ready = (history ?? []).filter((lookup) => lookup.status === 'ready');
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
    // The row that had the focus is gone: back to the Cédula field, not to the page's body.
    document.getElementById('cedula')?.focus();
  }

  return (
    <main class="lupa">
      <header class="row popup-header">
        <h1>
          <img src="/icon/32.png" width={18} height={18} alt="" /> {t('app.name')}
        </h1>
        <span class="spacer" />
        <button type="button" class="link" onClick={() => services.openOptions()}>
          {t('popup.options')}
        </button>
      </header>
      {problem && (
        <ProblemNotice
          message={problem}
          code={problemCode}
          at={problemAt ?? new Date()}
          relayUrl={settings.relayUrl}
          extensionVersion={services.extensionVersion}
        />
      )}
      {view.name === 'home' && (
        <>
          <LookupForm busy={busy} initial={view.draft} onSubmit={(request) => void start(request)} />
          <div class="row">
            <button type="button" onClick={() => services.openBatch()}>
              {t('batch.open')}
            </button>
          </div>
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
          <h2 class="screen-heading" tabIndex={-1} ref={heading}>
            {t(`lookup.heading.${current.lookup.status}`, { cedula: formatCedula(current.lookup.cedula) })}
          </h2>
          {current.lookup.status === 'pending' && <LookupProgress lookup={current.lookup} closable />}
          {current.lookup.status === 'failed' && (
            <FailedLookup
              lookup={current.lookup}
              busy={busy}
              relayUrl={settings.relayUrl}
              extensionVersion={services.extensionVersion}
              onRetry={() =>
                void start({
                  cedula: current.lookup.cedula,
                  consentReference: current.lookup.consentReference ?? undefined,
                  force: true,
                })
              }
              onCorrect={() =>
                setView({
                  name: 'home',
                  draft: {
                    cedula: formatCedula(current.lookup.cedula),
                    consentReference: current.lookup.consentReference ?? undefined,
                  },
                })
              }
            />
          )}
          {current.lookup.status === 'ready' && current.report && asking && (
            <LookupForm
              key={`again-${current.lookup.id}`}
              fixedCedula={current.lookup.cedula}
              busy={busy}
              onCancel={() => setAsking(false)}
              onSubmit={(request) => void start({ ...request, force: true })}
            />
          )}
          {current.lookup.status === 'ready' && current.report && !asking && (
            <>
              {(view.reusedFrom || current.lookup.reused) && (
                <p class="notice">
                  {view.reusedFrom
                    ? t('lookup.reusedAgo', {
                        minutes: Math.max(1, Math.round((Date.now() - Date.parse(view.reusedFrom)) / 60_000)),
                      })
                    : t('lookup.reused')}
                </p>
              )}
              {reportModule ? (
                <reportModule.ReportView
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
                  onPrint={(inputs) => services.openCreditFile(current.lookup.id, inputs)}
                  agreements={settings.payrollAgreements}
                  {...(handedOver && current.lookup.id === initialLookupId
                    ? {
                        // The name is the CRM record's; the NIT may have been typed in the panel.
                        record: { employerNit: null, applicantName: handedOver.crmName },
                        initialAgreementNit: handedOver.agreementNit,
                        initialDeclared: handedOver.declaredIncome,
                      }
                    : {})}
                  onAgain={() => setAsking(true)}
                />
              ) : (
                <p class="hint" role="status">
                  {t('lookup.opening')}
                </p>
              )}
            </>
          )}
          <div class="row">
            <button type="button" onClick={() => setView({ name: 'home' })}>
              {t('lookup.new')}
            </button>
          </div>
        </>
      )}
      <p class="visually-hidden" role="status" aria-live="polite">
        {view.name === 'lookup' && current && !asking
          ? announcementOf(t, current.lookup, current.lookup.displayName ?? undefined)
          : ''}
      </p>
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

/**
 * A failed lookup and what to do next: when the cédula is what failed, correcting it comes first
 * (trying the same number again cannot help); otherwise trying again, and support's diagnostic
 * where only support can help.
 */
function FailedLookup({
  lookup,
  busy,
  relayUrl,
  extensionVersion,
  onRetry,
  onCorrect,
}: {
  lookup: CachedLookup;
  busy: boolean;
  relayUrl: string;
  extensionVersion?: string;
  onRetry(): void;
  onCorrect(): void;
}) {
  const { t } = useI18n();
  const code = lookup.error?.code ?? 'internal_error';
  const correctFirst = nextStepOf(code) === 'correct_cedula';
  const retry = (
    <button type="button" class={correctFirst ? undefined : 'primary'} disabled={busy} onClick={onRetry}>
      {t('lookup.retry')}
    </button>
  );
  const correct = (
    <button type="button" class={correctFirst ? 'primary' : undefined} onClick={onCorrect}>
      {t('lookup.correct')}
    </button>
  );
  return (
    <>
      <ProblemNotice
        message={errorMessage(t, code)}
        code={code}
        at={new Date(lookup.updatedAt)}
        relayUrl={relayUrl}
        extensionVersion={extensionVersion}
      />
      <div class="row">
        {correctFirst ? correct : retry}
        {correctFirst ? retry : correct}
      </div>
    </>
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
  return (
    // With the settings, only which lookups still run (a small read); the history follows the form.
    <PageRoot
      services={services}
      load={() =>
        Promise.all([
          services.loadFollowedLookupIds(),
          initialLookupId ? services.loadCaseInputs(initialLookupId).catch(() => undefined) : undefined,
        ])
      }
    >
      {({ settings, loaded: [followed, handedOver] }) =>
        isConfigured(settings) ? (
          <Popup
            services={services}
            settings={settings}
            runningLookupId={followed.at(-1)}
            initialLookupId={initialLookupId}
            handedOver={handedOver}
          />
        ) : (
          <SetupPrompt services={services} />
        )
      }
    </PageRoot>
  );
}
