/**
 * The panel on CRM record pages, rendered in the extension's own frame so the CRM page's scripts
 * cannot read it. The content script tells it which cédulas the page shows; it reads the cache
 * itself, offers "Consultar" (with consent) when nothing is cached, and follows a running lookup.
 */

import { maskCedula } from '@lupa/contract/cedula';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../../utils/locale/i18n.js';
import type { RecordFacts, ShownCedulas } from '../../utils/messaging/protocol.js';
import type { OverlayFrameState, OverlayToContent } from '../../utils/overlay/frame-protocol.js';
import {
  PANEL_CONFIRMS_IN_WINDOW,
  type VisibilityGate,
  type VisibilityState,
} from '../../utils/overlay/frame-visibility.js';
import { FACT_FLAGS } from '../../utils/report/credit/credit-indicators.js';
import { hasData } from '../../utils/report/figures.js';
import { summarize } from '../../utils/report/summary/summarize.js';
import type { CachedLookup, CachedReport } from '../../utils/storage/lookup-cache.js';
import type { Settings } from '../../utils/storage/settings.js';
import { ReportView } from '../report/report-view.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { LookupForm } from '../shared/lookup-form.js';
import { LookupProgress } from '../shared/lookup-progress.js';
import { PageRoot } from '../shared/page-root.js';
import { useBusyAction } from '../shared/use-busy-action.js';

/** The frame's surroundings: the CRM page it sits in, as the background vouched for it. */
export type FrameLink = {
  /** The CRM page's origin (placement is kept per site). */
  site: string;
  tellContent(message: OverlayToContent): void;
  /** Calls back with every list of cédulas the page shows, the current one first. */
  onCedulas(listener: (shown: ShownCedulas) => void): () => void;
  /** Whether a click on the element may act: fully visible and uncovered long enough (frame-visibility.ts). */
  watchVisibility(element: Element): VisibilityGate;
};

/** What the cache holds for `cedula` (the cédula it was loaded for). */
type Current = {
  cedula: string | undefined;
  lookup: CachedLookup | undefined;
  report: CachedReport | undefined;
};

function Panel({
  services,
  settings,
  link,
}: {
  services: ExtensionServices;
  settings: Settings;
  link: FrameLink;
}) {
  const { t } = useI18n();
  const saved = settings.overlayPlacement[link.site] ?? { side: 'right' as const, expanded: true };
  const [cedulas, setCedulas] = useState<string[]>([]);
  const [record, setRecord] = useState<RecordFacts | null>(null);
  const [selected, setSelected] = useState<string | undefined>();
  const [placement, setPlacement] = useState(saved);
  const [current, setCurrent] = useState<Current>({
    cedula: undefined,
    lookup: undefined,
    report: undefined,
  });
  const [asking, setAsking] = useState(false);
  const { busy, problem, setProblem, run } = useBusyAction();
  const [visibility, setVisibility] = useState<VisibilityState>({ visible: false, settled: false });
  const [confirmingInWindow, setConfirmingInWindow] = useState(false);
  const gate = useRef<VisibilityGate>();
  const panel = useRef<HTMLElement>(null);

  // Read by the subscription below, which lives as long as the frame.
  const latest = useRef({ selected, current });
  latest.current = { selected, current };

  // A layout effect, so the cédulas the frame was attached with are not held back (see below).
  useLayoutEffect(
    () =>
      link.onCedulas(({ cedulas: found, first, record: facts }) => {
        const previous = latest.current.selected;
        const next = previous && found.includes(previous) ? previous : found[0];
        setCedulas(found);
        setRecord(facts);
        setSelected(next);
        // Rendered together with the selection: the load below then has nothing to fetch.
        if (first && first.cedula === next)
          setCurrent({ cedula: next, lookup: first.lookup ?? undefined, report: first.report ?? undefined });
      }),
    [link],
  );

  const load = useCallback(async () => {
    if (!selected) return setCurrent({ cedula: undefined, lookup: undefined, report: undefined });
    const reply = await services.send({ type: 'cache.latest-of-cedula', cedula: selected });
    setCurrent(
      reply.ok
        ? { cedula: selected, lookup: reply.lookup ?? undefined, report: reply.report ?? undefined }
        : { cedula: selected, lookup: undefined, report: undefined },
    );
  }, [services, selected]);

  // Layout effect for the same reason as below: the frame is hidden until this load ends.
  useLayoutEffect(() => {
    setAsking(false);
    setProblem(undefined);
    if (latest.current.current.cedula !== selected) void load();
    return services.onLookupChanged(() => void load());
  }, [load, services]);

  // Shown once what the cache holds for the cédula is known: never an empty panel that then fills.
  // Layout effects: while the frame is hidden it gets no animation frames, and useEffect would wait
  // for Preact's 100 ms fallback timer before loading and revealing it.
  const loaded = selected !== undefined && current.cedula === selected;
  useLayoutEffect(() => {
    const state: OverlayFrameState = { visible: loaded, expanded: placement.expanded, side: placement.side };
    link.tellContent({ type: 'lupa:frame', ...state });
  }, [loaded, placement, link]);

  function place(next: typeof placement) {
    setPlacement(next);
    void services
      .loadSettings()
      .then((latest) =>
        services.saveSettings({ overlayPlacement: { ...latest.overlayPlacement, [link.site]: next } }),
      );
  }

  async function consult(consentReference: string | undefined, force: boolean) {
    const watched = gate.current;
    if (!selected || !watched) return;
    // Where a cover cannot be seen, the analyst confirms in Lupa's own window; the background
    // refuses this frame's lookups there anyway.
    if (PANEL_CONFIRMS_IN_WINDOW || !watched.tracksOcclusion) {
      await run(async () => {
        const reply = await services.send({
          type: 'overlay.confirm-lookup',
          cedula: selected,
          consentReference,
          force,
        });
        if (reply.ok) setConfirmingInWindow(true);
        else setProblem(errorMessage(t, reply.error.code));
      });
      return;
    }
    // Checked again at the click: a cover the page removed a moment ago still counts.
    if (!watched.mayActNow()) return setProblem(t('overlay.notVisible'));
    await run(async () => {
      const reply = await services.send({ type: 'lookup.start', cedula: selected, consentReference, force });
      if (reply.ok) {
        setAsking(false);
        await load();
      } else setProblem(errorMessage(t, reply.error.code));
    });
  }

  const expanded = placement.expanded && selected !== undefined;
  useEffect(() => {
    if (!expanded || !panel.current) return;
    const watched = link.watchVisibility(panel.current);
    gate.current = watched;
    const unsubscribe = watched.subscribe(setVisibility);
    return () => {
      unsubscribe();
      watched.stop();
      gate.current = undefined;
    };
  }, [expanded, link]);
  // A lookup confirmed (or not) in the window: the panel shows what the cache then holds.
  useEffect(() => setConfirmingInWindow(false), [selected, current.lookup?.id]);

  const { lookup, report } = current;
  // What the minimised bar says of a ready history: its alerts, or that PILA has nothing (never a
  // reassuring "sin alertas" for an empty history). Read with the record's facts, as the panel is.
  const barNote = useMemo(() => {
    if (lookup?.status !== 'ready' || !report) return null;
    const summary = summarize(report.employments, {
      consultedAt: lookup.createdAt,
      policy: settings.indicatorPolicy,
      agreementNit: record?.employerNit,
      names: {
        crm: record?.applicantName ?? null,
        pila: report.owners[0]?.display_name ?? lookup.displayName,
      },
    });
    if (!hasData(summary)) return 'noData' as const;
    return summary.flags.filter((flag) => !FACT_FLAGS.has(flag)).length;
  }, [lookup, report, settings.indicatorPolicy, record]);
  if (!selected) return null;
  const status = lookup ? t(`overlay.status.${lookup.status}`) : t('overlay.status.none');
  // The bar says how many alerts wait inside, so a minimised panel still warns.
  const barStatus =
    barNote === null
      ? status
      : `${status} · ${
          barNote === 'noData'
            ? t('overlay.noData')
            : barNote > 0
              ? t('overlay.alerts', { count: barNote })
              : t('overlay.noAlerts')
        }`;

  if (!placement.expanded) {
    // The bar's name is its visible text, so voice control users can say what they see.
    return (
      <main class="lupa overlay-collapsed">
        <h1 class="visually-hidden">{t('overlay.title')}</h1>
        <button
          type="button"
          class="overlay-bar"
          aria-expanded="false"
          onClick={() => place({ ...placement, expanded: true })}
        >
          <img src="/icon/32.png" width={18} height={18} alt="" /> <strong>Lupa</strong> · C.C.{' '}
          {maskCedula(selected)} · {barStatus}
        </button>
      </main>
    );
  }

  return (
    <main class="lupa overlay" ref={panel}>
      <header class="row overlay-header">
        <h1 class="overlay-title" tabIndex={-1}>
          <img src="/icon/32.png" width={16} height={16} alt="" /> Lupa
        </h1>
        <span class="hint">
          C.C. {maskCedula(selected)} · {status}
        </span>
        <span class="spacer" />
        <button
          type="button"
          onClick={() => place({ ...placement, side: placement.side === 'right' ? 'left' : 'right' })}
        >
          {placement.side === 'right' ? t('overlay.moveLeft') : t('overlay.moveRight')}
        </button>
        <button type="button" aria-expanded="true" onClick={() => place({ ...placement, expanded: false })}>
          {t('overlay.collapse')}
        </button>
      </header>
      {cedulas.length > 1 && (
        <fieldset class="row chooser">
          <legend class="hint">{t('overlay.choose')}</legend>
          {cedulas.map((cedula) => (
            <button
              type="button"
              key={cedula}
              aria-pressed={cedula === selected}
              onClick={() => setSelected(cedula)}
            >
              C.C. {maskCedula(cedula)}
            </button>
          ))}
        </fieldset>
      )}
      {problem && (
        <p class="alert" role="alert">
          {problem}
        </p>
      )}
      {lookup?.status === 'pending' && <LookupProgress lookup={lookup} />}
      {lookup?.status === 'failed' && (
        <p class="alert" role="alert">
          {errorMessage(t, lookup.error?.code ?? 'internal_error')}
        </p>
      )}
      {lookup?.status === 'ready' && report && !asking && (
        <ReportView
          lookup={lookup}
          report={report}
          action={{ label: t('overlay.detail'), run: (inputs) => services.openDetail(lookup.id, inputs) }}
          onAgain={() => setAsking(true)}
          withDetail={false}
          policy={settings.indicatorPolicy}
          record={record}
          agreements={settings.payrollAgreements}
          chartLater
        />
      )}
      {(!lookup || lookup.status === 'failed' || asking) && (
        <>
          {!lookup && <p>{t('overlay.ask', { cedula: maskCedula(selected) })}</p>}
          {confirmingInWindow && <p role="status">{t('overlay.confirmInWindow')}</p>}
          <LookupForm
            key={selected}
            fixedCedula={selected}
            busy={busy}
            blockedReason={
              !visibility.visible ? t('overlay.notVisible') : visibility.settled ? undefined : ''
            }
            onCancel={asking ? () => setAsking(false) : undefined}
            onSubmit={(request) =>
              void consult(request.consentReference, asking || lookup?.status === 'failed')
            }
          />
        </>
      )}
      <p class="hint">{t('overlay.shortcut')}</p>
      <button
        type="button"
        class="link"
        disabled={busy}
        onClick={() =>
          void run(async () => {
            const reply = await services.send({ type: 'picker.start' });
            if (!reply.ok) setProblem(errorMessage(t, reply.error.code));
          })
        }
      >
        {t('overlay.pickField')}
      </button>
    </main>
  );
}

export function OverlayApp({ services, link }: { services: ExtensionServices; link: FrameLink }) {
  return (
    <PageRoot services={services}>
      {({ settings }) => <Panel services={services} settings={settings} link={link} />}
    </PageRoot>
  );
}
