/**
 * Each figure is declared once (utils/report/figures.ts) and drawn the same everywhere: the summary
 * card (popup, CRM panel, credit-file report), "Copiar resumen" and the batch's per-person CSV. For a
 * person for whom every figure shows, each one's label and value are in the card and in the copied
 * text, and its columns (or its stated reason for having none) in the CSV.
 */
import { cleanup, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { SummaryCard } from '../../components/report/summary-card.js';
import { I18nProvider } from '../../components/shared/i18n-context.js';
import { translator } from '../../utils/locale/i18n.js';
import { FIGURES, figuresOf, hasData } from '../../utils/report/figures.js';
import { PERSON_CSV_COLUMNS, personsCsv } from '../../utils/report/person-csv.js';
import { summarize } from '../../utils/report/summary/summarize.js';
import { summaryAsText } from '../../utils/report/summary-text.js';
import { relayLookup, relayReport } from './fixtures.js';

afterEach(cleanup);

const t = translator('es');
const report = relayReport(relayLookup());
const CONSULTED_AT = '2026-11-20T15:00:00.000Z';
// A declared income shows the one figure that is shown only on request.
const salaried = summarize(report.employments, { consultedAt: CONSULTED_AT, declaredIncome: 9_000_000 });
// A salaried applicant's estimate is the base as a minimum, said beside it; a contractor's has its card.
const contractorReport = {
  ...report,
  employments: report.employments.map((employment) => ({
    ...employment,
    salary_and_benefit_details: (employment.salary_and_benefit_details ?? []).map((line) => ({
      ...line,
      employment_type: 'CONTRACTUAL',
    })),
  })),
};
const contractor = summarize(contractorReport.employments, {
  consultedAt: CONSULTED_AT,
  declaredIncome: 9_000_000,
});
const PEOPLE = [
  { summary: salaried, report },
  { summary: contractor, report: contractorReport },
];
const header = {
  name: 'María Fernanda Gómez Restrepo',
  cedulaMasked: '******4050',
  consultedAt: CONSULTED_AT,
};

describe('every figure, declared once, is shown, copied and exported', () => {
  /** The first of the people for whom this figure shows, and the figure in words. */
  function personShowing(id: string) {
    for (const { summary, report: personReport } of PEOPLE) {
      if (!hasData(summary)) throw new Error('the fixture has no PILA data');
      const figure = figuresOf(summary, { t, language: 'es' }).find((candidate) => candidate.id === id);
      if (figure) return { summary, report: personReport, figure };
    }
    throw new Error(`${id} shows for nobody`);
  }

  it('shows every figure for one of these people, the salaried one all but the estimate', () => {
    if (!hasData(salaried)) throw new Error('the fixture has no PILA data');
    expect(figuresOf(salaried, { t, language: 'es' }).map((figure) => figure.id)).toEqual(
      FIGURES.map((figure) => figure.id).filter((id) => id !== 'estimate'),
    );
    for (const figure of FIGURES) expect(personShowing(figure.id).figure.id).toBe(figure.id);
  });

  it.each(FIGURES.map((figure) => [figure.id]))('%s: in the summary card, with its value', (id) => {
    const { summary, figure } = personShowing(id);
    render(
      <I18nProvider language="es">
        <SummaryCard header={header} summary={summary} />
      </I18nProvider>,
    );
    const term = screen.getAllByText(figure.label, { selector: 'dt' });
    expect(term).toHaveLength(1);
    // The DOM's text is matched with its spaces collapsed ($ 4.850.000 has a non-breaking one).
    const value = figure.value.replace(/\s+/g, ' ');
    expect(within(term[0]!.parentElement!).getByText(value, { selector: 'dd' })).toBeTruthy();
  });

  it.each(FIGURES.map((figure) => [figure.id]))('%s: in "Copiar resumen", with its value', (id) => {
    const { summary, figure } = personShowing(id);
    const text = summaryAsText(header, summary, t, 'es');
    expect(text).toContain(`${figure.label}: ${figure.value}`);
  });

  it.each(FIGURES.map((figure) => [figure.id]))('%s: in the per-person CSV, or says why not', (id) => {
    const definition = FIGURES.find((figure) => figure.id === id)!;
    if ('none' in definition.csv) {
      expect(definition.csv.none.length).toBeGreaterThan(20);
      return;
    }
    const { summary, report: personReport } = personShowing(id);
    const csv = personsCsv(
      [
        {
          line: 2,
          cedula: '1020304050',
          status: 'ready',
          errorCode: null,
          report: { ...personReport, consultedAt: CONSULTED_AT },
        },
      ],
      ';',
      t,
    );
    const [headerLine, row] = csv.slice(1).split('\r\n');
    const columns = headerLine!.split(';');
    expect(columns).toEqual([...PERSON_CSV_COLUMNS]);
    for (const { column, cell } of definition.csv) {
      expect(columns).toContain(column);
      const expected = cell(summary);
      // A ';' file writes decimals with a comma.
      expect(row!.split(';')[columns.indexOf(column)]).toBe(
        expected === null ? '' : String(expected).replace('.', ','),
      );
    }
  });
});
