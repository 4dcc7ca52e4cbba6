/**
 * The credit-file report of one lookup: what a credit committee and the Superintendencia's audits
 * expect on paper instead of screenshots of the popup. Who consulted whom, when and with which
 * authorisation; every figure with how it is computed; the 24-month chart and every month per
 * employer; and the source. The browser prints it (Letter or A4) or saves it as PDF: nothing leaves
 * the analyst's machine for a PDF service.
 */

import { formatCedula } from '@lupa/contract/cedula';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatDateTime } from '../../utils/locale/format.js';
import { errorMessage } from '../../utils/locale/i18n.js';
import { type CaseInputs, summarize } from '../../utils/report/summary/summarize.js';
import type { CachedLookup, CachedReport } from '../../utils/storage/lookup-cache.js';
import type { Settings } from '../../utils/storage/settings.js';
import { EmploymentDetail } from '../report/employment-detail.js';
import { IncomeChart } from '../report/income-chart.js';
import { SummaryCard } from '../report/summary-card.js';
import type { ExtensionServices } from '../shared/extension-services.js';
import { useI18n } from '../shared/i18n-context.js';
import { PageRoot } from '../shared/page-root.js';

/** A CSS string: quotes and backslashes escaped, line breaks gone. */
const cssString = (text: string) => `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r\f]/g, ' ')}"`;

/**
 * The printed pages' margins: the applicant and lookup on top of every page, "Página x de y" at the
 * bottom. A constructed style sheet, since the extension's CSP refuses inline styles and the text is
 * known only here; browsers without page margin boxes (Firefox) print their own page numbers.
 */
function printMargins(running: string, pageOf: string): () => void {
  const sheet = new CSSStyleSheet();
  const [before, between] = pageOf.split('{page}');
  const [middle, after] = (between ?? '').split('{pages}');
  const margins = `@top-left { content: ${cssString(running)}; font-size: 8pt; color: #5b6576; }
    @bottom-right { content: ${cssString(before ?? '')} counter(page) ${cssString(middle ?? '')} counter(pages) ${cssString(after ?? '')}; font-size: 8pt; }`;
  sheet.replaceSync(`@page letter { ${margins} } @page a4 { ${margins} }`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return () => {
    document.adoptedStyleSheets = document.adoptedStyleSheets.filter((adopted) => adopted !== sheet);
  };
}

/** Letter is what Colombian offices print on; A4 for the rest. */
export type Paper = 'letter' | 'a4';

/** Who consulted, as the relay says: read when the report opens, so it names today's analyst. */
type Party = { lender: string | null; analyst: string | null; problem: string | null };

type Loaded =
  | { kind: 'missing'; code: 'lookup_not_found' | 'not_ready' }
  | { kind: 'ready'; lookup: CachedLookup; report: CachedReport; inputs: CaseInputs };

function Report({
  services,
  settings,
  lookup,
  report,
  print,
  printedAt,
  inputs,
}: {
  services: ExtensionServices;
  settings: Settings;
  lookup: CachedLookup;
  report: CachedReport;
  print(): void;
  printedAt: Date;
  inputs: CaseInputs;
}) {
  const { t, language } = useI18n();
  const [party, setParty] = useState<Party | undefined>();
  const [paper, setPaper] = useState<Paper>('letter');
  const printed = useRef(false);
  const summary = useMemo(
    () =>
      summarize(report.employments, {
        consultedAt: lookup.createdAt,
        policy: settings.indicatorPolicy,
        declaredIncome: inputs.declaredIncome,
        agreementNit: inputs.agreementNit,
        names: { crm: inputs.crmName, pila: lookup.displayName ?? report.owners[0]?.display_name ?? null },
      }),
    [report, lookup.createdAt, settings, inputs],
  );

  useEffect(() => {
    void services.send({ type: 'relay.test' }).then(
      (reply) =>
        setParty(
          reply.ok
            ? { lender: reply.lender, analyst: reply.name, problem: null }
            : { lender: null, analyst: null, problem: errorMessage(t, reply.error.code) },
        ),
      () => setParty({ lender: null, analyst: null, problem: errorMessage(t, 'relay_unreachable') }),
    );
  }, [services, t]);

  const name = lookup.displayName ?? report.owners[0]?.display_name ?? null;
  // The lender's own credit file carries the full cédula, as bureau reports do; screens keep masking.
  const cedula = formatCedula(lookup.cedula);
  useEffect(() => {
    // The saved PDF's default name: whom and when, never the full cédula (file names travel).
    document.title = `Lupa · ${name ?? ''} · C.C. ${lookup.cedulaMasked} · ${lookup.updatedAt.slice(0, 10)}`;
  }, [name, lookup]);
  // Every printed page names the applicant and the lookup, and says "Página x de y".
  useEffect(
    () =>
      printMargins(
        `${name ?? '—'} · C.C. ${cedula} · ${t('creditFile.lookupNumber')} ${lookup.id}`,
        t('creditFile.pageOf'),
      ),
    [name, cedula, lookup.id, t],
  );

  // The print dialog opens once, when everything the paper shows is known (even if the relay failed).
  useEffect(() => {
    if (!party || printed.current) return;
    printed.current = true;
    print();
  }, [party, print]);

  const consultedAt = formatDateTime(lookup.updatedAt, language);
  const unknown = t('creditFile.unknown');
  return (
    // The paper is a named page in lupa.css: the extension's CSP (style-src 'self') blocks inline styles.
    <main class={`lupa credit-file paper-${paper}`}>
      <div class="no-print row credit-file-tools">
        <label>
          {t('creditFile.paper')}{' '}
          <select value={paper} onChange={(event) => setPaper(event.currentTarget.value as Paper)}>
            <option value="letter">{t('creditFile.paper.letter')}</option>
            <option value="a4">{t('creditFile.paper.a4')}</option>
          </select>
        </label>
        <button type="button" class="primary" onClick={print}>
          {t('creditFile.open')}
        </button>
      </div>
      {party?.problem && (
        <p class="alert no-print" role="alert">
          {t('creditFile.partyProblem', { reason: party.problem })}
        </p>
      )}
      <h1>{t('creditFile.title')}</h1>
      <dl class="credit-file-facts">
        <dt>{t('creditFile.lender')}</dt>
        <dd>{party?.lender ?? unknown}</dd>
        <dt>{t('creditFile.analyst')}</dt>
        <dd>{party?.analyst ?? unknown}</dd>
        <dt>{t('creditFile.applicant')}</dt>
        <dd>
          {name ?? '—'} · C.C. {cedula}
        </dd>
        <dt>{t('creditFile.lookupNumber')}</dt>
        <dd>{lookup.id}</dd>
        <dt>{t('creditFile.consultedAt')}</dt>
        <dd>{consultedAt}</dd>
        <dt>{t('creditFile.consent')}</dt>
        <dd>{lookup.consentReference ?? t('creditFile.consentNone')}</dd>
        <dt>{t('creditFile.printedAt')}</dt>
        <dd>{formatDateTime(printedAt.toISOString(), language)}</dd>
      </dl>
      <SummaryCard
        header={{ name, cedulaMasked: cedula, consultedAt: lookup.updatedAt }}
        summary={summary}
        explained
      />
      <IncomeChart months={summary.monthlyIncome} />
      <EmploymentDetail histories={summary.histories} open />
      <p class="credit-file-source">{t('creditFile.source', { date: consultedAt })}</p>
    </main>
  );
}

const NO_INPUTS: CaseInputs = { declaredIncome: null, agreementNit: null, crmName: null };

export function CreditFileApp({
  services,
  lookupId,
  print,
  now = () => new Date(),
}: {
  services: ExtensionServices;
  lookupId: string;
  /** Opens the browser's print dialog (window.print in the page). */
  print(): void;
  now?: () => Date;
}) {
  const printedAt = useMemo(now, [now]);
  const load = (): Promise<Loaded> =>
    services.openCache().then(async (cache) => {
      const lookup = await cache.getLookup(lookupId);
      if (!lookup) return { kind: 'missing', code: 'lookup_not_found' } as const;
      const report = lookup.status === 'ready' ? await cache.getReport(lookupId) : undefined;
      if (!report) return { kind: 'missing', code: 'not_ready' } as const;
      // What the analyst added beside the summary that opened this report (declared income, NIT, name).
      const inputs = (await services.loadCaseInputs(lookupId).catch(() => undefined)) ?? NO_INPUTS;
      return { kind: 'ready', lookup, report, inputs } as const;
    });
  return (
    <PageRoot services={services} load={load} loadKey={lookupId}>
      {({ settings, loaded }) =>
        loaded.kind === 'ready' ? (
          <Report
            services={services}
            settings={settings}
            lookup={loaded.lookup}
            report={loaded.report}
            print={print}
            printedAt={printedAt}
            inputs={loaded.inputs}
          />
        ) : (
          <Missing code={loaded.code} />
        )
      }
    </PageRoot>
  );
}

function Missing({ code }: { code: 'lookup_not_found' | 'not_ready' }) {
  const { t } = useI18n();
  return (
    <main class="lupa">
      <p class="alert" role="alert">
        {code === 'lookup_not_found' ? t('creditFile.missing') : errorMessage(t, code)}
      </p>
    </main>
  );
}
