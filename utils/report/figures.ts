/**
 * Every figure of the summary, declared once: its label, its value and detail in words, how it is
 * computed, and its columns in the per-person CSV. The summary card (popup, CRM panel, credit-file
 * report), "Copiar resumen" and the batch's per-person CSV are all drawn from this list, so a figure
 * added here is shown, copied and exported with no other edit (tests/unit/figures.test.ts checks all
 * three). The rules behind each figure are docs/credit-reading.md's.
 */
import { formatCop, formatMonth, formatPercent } from '../locale/format.js';
import { enumLabel, type Language, type Translate } from '../locale/i18n.js';
import type { CreditIndicators } from './credit/credit-indicators.js';
import type { Summary } from './summary/summarize.js';
import { employerNameOf, estimateNameOf, estimateText, libranzaHowOf } from './summary-words.js';

/** A summary with PILA data: the figures are shown only then. */
export type ReadSummary = Summary & { latestMonth: string; credit: CreditIndicators };

export type Words = { t: Translate; language: Language };

type CsvCell = string | number;

export type FigureDefinition = {
  id: string;
  /**
   * 'decision': in the decision strip, on top of every summary; 'more': under "Más indicadores".
   * One figure per concept: an amount appears under one name only.
   */
  place: 'decision' | 'more';
  /** Shown for this person (a declared income only when the analyst typed one, say). */
  shown?: (summary: ReadSummary) => boolean;
  label: (summary: ReadSummary, words: Words) => string;
  value: (summary: ReadSummary, words: Words) => string;
  detail?: (summary: ReadSummary, words: Words) => string | undefined;
  how?: (summary: ReadSummary, words: Words) => string;
  /**
   * Its columns in the per-person CSV (plain numbers, for a spreadsheet), or why it has none there.
   */
  csv: Array<{ column: string; cell: (summary: ReadSummary) => CsvCell | null }> | { none: string };
};

const ESTIMATE_KIND = {
  exact: 'estimado',
  at_least: 'mínimo',
  at_most: 'máximo',
  mixed: 'suma de mínimos y máximos',
} as const;

const libranzaEmployerOf = (summary: ReadSummary, { t }: Words) => {
  const { agreement, libranzaBound } = summary.credit;
  const key = agreement?.kind === 'current' ? agreement.employerKey : libranzaBound?.employerKey;
  const employer = summary.currentEmployers.find((candidate) => candidate.employerKey === key);
  return employer ? employerNameOf(employer, t) : '—';
};

/** The estimate is a minimum equal to the regular income: it adds nothing but that word. */
const estimateRepeatsBase = ({ credit }: ReadSummary) =>
  credit.regularEstimate.kind === 'at_least' && credit.regularEstimate.amount === credit.regularIncome.amount;

/** The estimate's name and rule when one current employer gives the whole estimate. */
function soleEstimateNameOf(summary: ReadSummary, t: Translate) {
  const withBase = summary.currentEmployers.filter((employer) => employer.regularBase !== null);
  return withBase.length === 1 ? estimateNameOf(withBase[0]!.regularEstimate, t) : null;
}

const oneDecimal = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

export const FIGURES: readonly FigureDefinition[] = [
  {
    id: 'regular_income',
    place: 'decision',
    label: (_s, { t }) => t('summary.regularIncome'),
    value: ({ credit }, { t, language }) =>
      credit.regularIncome.amount === null
        ? t(`summary.regularIncome.none.${credit.regularIncome.reason ?? 'no_typical_month'}`)
        : formatCop(credit.regularIncome.amount, language),
    detail: (summary, { t }) =>
      [
        ...(summary.credit.regularIncome.partial ? [t('summary.regularIncome.partial')] : []),
        ...(estimateRepeatsBase(summary) ? [t('summary.regularIncome.isMinimum')] : []),
      ].join(' · ') || undefined,
    how: (_s, { t }) => t('summary.regularIncome.how'),
    csv: [{ column: 'ingreso_regular', cell: ({ credit }) => credit.regularIncome.amount }],
  },
  {
    id: 'estimate',
    place: 'decision',
    // A salaried applicant's estimate is the base itself as a minimum: said beside the base, not as a
    // second card with the same amount.
    shown: (summary) => !estimateRepeatsBase(summary),
    // With one employer, named by its rule ("Valor estimado del contrato (bruto)") with the rule inline.
    label: (summary, { t }) => soleEstimateNameOf(summary, t)?.label ?? t('summary.estimate'),
    value: ({ credit }, { t, language }) => estimateText(credit.regularEstimate, t, language),
    detail: (summary, { t }) => soleEstimateNameOf(summary, t)?.rule,
    how: (_s, { t }) => t('summary.estimate.how'),
    csv: [
      {
        column: 'ingreso_estimado',
        cell: ({ credit }) => (credit.regularEstimate.kind === 'none' ? null : credit.regularEstimate.amount),
      },
      {
        column: 'tipo_estimado',
        cell: ({ credit }) =>
          credit.regularEstimate.kind === 'none' ? null : ESTIMATE_KIND[credit.regularEstimate.kind],
      },
    ],
  },
  {
    id: 'income_change',
    place: 'more',
    label: (_s, { t }) => t('summary.incomeChange'),
    value: ({ credit }, { language }) => formatPercent(credit.incomeChange.percent, language),
    // The annual trend is information about the same income: beside it, never a figure of its own.
    detail: (summary, { t, language }) =>
      summary.trendPercent === null
        ? undefined
        : t('summary.trend.inDetail', { percent: formatPercent(summary.trendPercent, language) }),
    how: ({ credit }, { t, language }) =>
      `${t('summary.incomeChange.how', {
        from: formatMonth(credit.incomeChange.from, language),
        to: formatMonth(credit.incomeChange.to, language),
        percent: credit.policy.incomeDropPercent,
      })} ${t('summary.trend.how')}`,
    csv: [
      { column: 'cambio_ingreso_pct', cell: ({ credit }) => oneDecimal(credit.incomeChange.percent) },
      { column: 'tendencia_anual_pct', cell: (summary) => oneDecimal(summary.trendPercent) },
    ],
  },
  {
    id: 'declared',
    place: 'more',
    shown: ({ credit }) => credit.declared !== null,
    label: (_s, { t }) => t('summary.declared'),
    value: ({ credit }, { language }) =>
      credit.declared?.ratio == null
        ? '—'
        : `${new Intl.NumberFormat(language === 'es' ? 'es-CO' : 'en', { maximumFractionDigits: 2 }).format(credit.declared.ratio)} ×`,
    detail: ({ credit }, { t, language }) =>
      [
        formatCop(credit.declared?.amount, language),
        ...(credit.declared?.comparedWith === 'mixed' ? [t('summary.declared.mixed')] : []),
      ].join(' · '),
    how: ({ credit }, { t }) => t('summary.declared.how', { threshold: credit.policy.declaredRatioAbove }),
    csv: { none: 'a batch file carries no declared income: the analyst types it for one person' },
  },
  {
    id: 'calendar_average',
    place: 'more',
    label: (_s, { t }) => t('summary.calendarAverage'),
    value: ({ credit }, { language }) => formatCop(credit.calendarAverage12, language),
    detail: (summary, { t, language }) =>
      [
        t('summary.monthsWithContribution', { count: summary.credit.monthsWithContribution12 }),
        t('summary.contributedAverage', { amount: formatCop(summary.average12, language) }),
        ...(summary.credit.monthsWithoutBase12 > 0
          ? [t('summary.calendarAverage.withoutBase', { count: summary.credit.monthsWithoutBase12 })]
          : []),
      ].join(' · '),
    how: (_s, { t }) => t('summary.calendarAverage.how'),
    csv: [
      {
        column: 'promedio_12_meses_calendario',
        cell: ({ credit }) =>
          credit.calendarAverage12 === null ? null : Math.round(credit.calendarAverage12),
      },
      { column: 'meses_con_aporte_12', cell: ({ credit }) => credit.monthsWithContribution12 },
      { column: 'meses_sin_base_12', cell: ({ credit }) => credit.monthsWithoutBase12 },
    ],
  },
  {
    id: 'last_contribution',
    place: 'more',
    label: (_s, { t }) => t('summary.lastContribution'),
    value: (summary, { language }) => formatMonth(summary.latestMonth, language),
    // The bases of that month added: what was reported then, not the regular income.
    detail: (summary, { t, language }) =>
      [
        ...(summary.monthsSinceLastContribution === null
          ? []
          : [t('summary.monthsAgo', { count: summary.monthsSinceLastContribution })]),
        t('summary.latestIncome.inDetail', { amount: formatCop(summary.latestIncome, language) }),
      ].join(' · '),
    how: (_s, { t }) => t('summary.lastContribution.how'),
    csv: [
      // As text Excel keeps (the per-month CSV's form): a plain 2026-10 would become a date.
      { column: 'ultimo_mes', cell: (summary) => summary.latestMonth.replace('-', '\u2011') },
      { column: 'base_ultimo_mes', cell: (summary) => summary.latestIncome },
    ],
  },
  {
    id: 'gaps',
    place: 'more',
    label: (_s, { t }) => t('summary.gaps'),
    value: (summary) => String(summary.gaps.reduce((sum, gap) => sum + gap.months, 0)),
    detail: (summary, { t, language }) =>
      summary.longestGap
        ? t('summary.longestGap', {
            count: summary.longestGap.months,
            from: formatMonth(summary.longestGap.from, language),
            to: formatMonth(summary.longestGap.to, language),
          })
        : t('summary.noGaps'),
    csv: [
      {
        column: 'meses_sin_aporte',
        cell: (summary) => summary.gaps.reduce((sum, gap) => sum + gap.months, 0),
      },
    ],
  },
  {
    id: 'stability',
    place: 'more',
    label: (_s, { t }) => t('summary.stability'),
    value: ({ credit }, { t }) =>
      t('summary.stability.value', { employers: credit.employers12, separations: credit.separations24 }),
    detail: (summary, { t }) => `${t('summary.employers')}: ${summary.employerCount}`,
    how: (_s, { t }) => t('summary.stability.how'),
    csv: [
      { column: 'empleadores_12_meses', cell: ({ credit }) => credit.employers12 },
      { column: 'retiros_24_meses', cell: ({ credit }) => credit.separations24 },
    ],
  },
  {
    id: 'libranza',
    place: 'decision',
    // Also when the agreement's employer is current but has no bound: the card says why.
    shown: ({ credit }) => credit.libranzaBound !== null || credit.agreement?.kind === 'current',
    label: (summary, words) =>
      summary.credit.agreement?.kind === 'current'
        ? words.t('summary.libranza.agreement', { employer: libranzaEmployerOf(summary, words) })
        : words.t('summary.libranza'),
    value: (summary, { t, language }) => {
      const bound = summary.credit.libranzaBound;
      if (bound) return t('summary.libranza.upTo', { amount: formatCop(bound.amount, language) });
      const agreement = summary.credit.agreement;
      const employer = summary.currentEmployers.find(
        (candidate) => agreement?.kind === 'current' && candidate.employerKey === agreement.employerKey,
      );
      return employer?.libranza.kind === 'none'
        ? t(`summary.libranza.none.${employer.libranza.reason}`)
        : '—';
    },
    detail: (summary, words) =>
      summary.credit.libranzaBound?.basis === 'highest' && summary.currentEmployers.length > 1
        ? words.t('summary.libranza.highest', { employer: libranzaEmployerOf(summary, words) })
        : undefined,
    how: (summary, { t, language }) =>
      [
        t('summary.libranza.how'),
        ...summary.currentEmployers.map((employer) => libranzaHowOf(employer, t, language)),
      ].join(' '),
    csv: [{ column: 'tope_libranza', cell: ({ credit }) => credit.libranzaBound?.amount ?? null }],
  },
  {
    id: 'work_kinds',
    place: 'more',
    label: (_s, { t }) => t('summary.workKinds'),
    value: (summary, { t }) => summary.employmentTypes12.map((type) => enumLabel(t, type)).join(', ') || '—',
    detail: (summary, { t }) =>
      [
        ...summary.salaryTypes12.map((type) => enumLabel(t, type)),
        ...(summary.salaryComprehensive12 ? [t('summary.integral')] : []),
      ].join(', ') || undefined,
    csv: [{ column: 'vinculacion_12_meses', cell: (summary) => summary.employmentTypes12.join(' ') }],
  },
];

export const hasData = (summary: Summary): summary is ReadSummary =>
  summary.latestMonth !== null && summary.credit !== null;

/** The figures shown for this person, in words; only those of one place when it is given. */
export function figuresOf(
  summary: ReadSummary,
  words: Words,
  figures: readonly FigureDefinition[] = FIGURES,
  place?: FigureDefinition['place'],
) {
  return figures
    .filter((figure) => (place === undefined || figure.place === place) && (figure.shown?.(summary) ?? true))
    .map((figure) => ({
      id: figure.id,
      label: figure.label(summary, words),
      value: figure.value(summary, words),
      detail: figure.detail?.(summary, words),
      how: figure.how?.(summary, words),
    }));
}

/** The per-person CSV columns the figures add, in order. */
export function figureColumnsOf(figures: readonly FigureDefinition[] = FIGURES): string[] {
  return figures.flatMap((figure) => ('none' in figure.csv ? [] : figure.csv.map((column) => column.column)));
}

/** The cells those columns hold for this person ('' where there is no figure). */
export function figureCellsOf(
  summary: ReadSummary,
  figures: readonly FigureDefinition[] = FIGURES,
): CsvCell[] {
  return figures.flatMap((figure) =>
    'none' in figure.csv ? [] : figure.csv.map((column) => column.cell(summary) ?? ''),
  );
}
