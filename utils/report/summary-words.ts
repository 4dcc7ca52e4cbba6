/**
 * The words of the summary's figures, written once for every place that shows them: the summary card
 * (popup, CRM panel, credit-file report), "Copiar resumen" and the per-person CSV.
 */
import { formatCop, formatDay, formatMonth } from '../locale/format.js';
import { enumLabel, type Language, type Translate } from '../locale/i18n.js';
import type {
  CombinedEstimate,
  CreditFlag,
  CreditIndicators,
  CurrentEmployerFigures,
  IndicatorPolicy,
} from './credit/credit-indicators.js';
import type { AtypicalReason, SkippedData } from './credit/employer-months.js';
import type { IncomeEstimate } from './credit/income-estimate.js';
import type { ChartMonth } from './summary/income.js';
import type { Summary } from './summary/summarize.js';

/** An employer as PILA names it, or as Lupa tells it apart when PILA gives nothing. */
export function employerNameOf(
  employer: Pick<CurrentEmployerFigures, 'name' | 'unidentifiedNumber'>,
  t: Translate,
): string {
  if (employer.name) return employer.name;
  if (employer.unidentifiedNumber !== null)
    return t('summary.unidentifiedEmployer', { number: employer.unidentifiedNumber });
  return t('summary.unnamedEmployer');
}

/** Why a month is atypical, in a phrase (docs/credit-reading.md rules 2, 3 and 5). */
export function atypicalReasonText(reason: AtypicalReason, t: Translate): string {
  switch (reason.kind) {
    case 'possible_correction':
      return t('detail.reading.possible_correction', { count: reason.lines });
    case 'several_lines':
      return t('detail.reading.several_lines', { count: reason.lines });
    case 'no_base':
      return t('detail.reading.no_base');
    case 'unknown_status':
      return t('detail.reading.unknown_status', { status: enumLabel(t, reason.status) });
    default:
      return enumLabel(t, reason.status).toLocaleLowerCase('es-CO');
  }
}

/** What the chart says of a month beyond its amount: atypical (and why), or not due yet. */
export function chartMonthNote(month: ChartMonth, t: Translate): string | undefined {
  if (month.atypical.length > 0)
    return `${t('detail.reading.atypical')}: ${[...new Set(month.atypical.map((reason) => atypicalReasonText(reason, t)))].join(', ')}`;
  return month.notDue ? t('chart.notDue') : undefined;
}

/** An alert in words; "Sin empleador actual" says since when and for how many due months. */
export function flagText(
  flag: CreditFlag,
  credit: CreditIndicators,
  t: Translate,
  language: Language,
): string {
  if (flag === 'no_current_employer' && credit.withoutCurrentEmployer) {
    // Nothing due is missing: the last employer reported the separation.
    if (credit.withoutCurrentEmployer.dueMonthsWithout === 0) {
      return t('flag.no_current_employer.retired', {
        month: formatMonth(credit.withoutCurrentEmployer.lastMonth, language),
      });
    }
    return t('flag.no_current_employer', {
      month: formatMonth(credit.withoutCurrentEmployer.lastMonth, language),
      count: credit.withoutCurrentEmployer.dueMonthsWithout,
    });
  }
  if (flag === 'agreement_employer_not_current' && credit.agreement && 'nit' in credit.agreement) {
    const agreement = credit.agreement;
    return agreement.kind === 'not_current'
      ? t('flag.agreement_employer_not_current.past', {
          nit: agreement.nit,
          month: formatMonth(agreement.lastMonth, language),
        })
      : t('flag.agreement_employer_not_current', { nit: agreement.nit });
  }
  if (flag === 'agreement_nit_invalid' && credit.agreement?.kind === 'invalid')
    return t(`flag.agreement_nit_invalid.${credit.agreement.problem}`);
  return t(`flag.${flag}`);
}

/** What the record checks found that is not an alert: the agreement's employer is current, the name matches. */
export function recordCheckTexts(credit: CreditIndicators, t: Translate, language: Language): string[] {
  const texts: string[] = [];
  const agreement = credit.agreement;
  if (agreement?.kind === 'current') {
    const employer = credit.currentEmployers.find(
      (candidate) => candidate.employerKey === agreement.employerKey,
    );
    texts.push(
      t('summary.agreement.current', {
        employer: employer ? employerNameOf(employer, t) : agreement.nit,
        month: formatMonth(agreement.lastMonth, language),
      }),
    );
  }
  if (credit.nameCheck === 'match') texts.push(t('summary.name.match'));
  return texts;
}

/** An estimate in words: "aprox." for the rule's point estimate, "mínimo" / "hasta" for a bound. */
export function estimateText(
  estimate: IncomeEstimate | CombinedEstimate,
  t: Translate,
  language: Language,
): string {
  if (estimate.kind === 'none') {
    if (estimate.reason === 'unknown_employment_type')
      return t('summary.estimate.none.unknown_employment_type');
    return estimate.reason === 'no_regular_income'
      ? t('summary.estimate.none.no_regular_income')
      : t('summary.estimate.none.no_estimate');
  }
  if (estimate.kind === 'mixed')
    return t('summary.estimate.mixed', { amount: formatCop(estimate.amount, language) });
  return t(`estimate.${estimate.kind}`, { amount: formatCop(estimate.amount, language) });
}

/**
 * What one employer's estimate is, named by its rule (a contractor's figure is the contract's value,
 * not a salary), and the rule in a phrase.
 */
export function estimateNameOf(
  estimate: IncomeEstimate,
  t: Translate,
): { label: string; rule: string } | null {
  if (estimate.kind === 'none') return null;
  const label =
    estimate.rule === 'contractor_40' || estimate.rule === 'contractor_minimum_base'
      ? t('estimate.label.contractor')
      : estimate.rule === 'integral_70'
        ? t('estimate.label.integral')
        : t('estimate.label.salary');
  const rule = [
    t(`estimate.rule.${estimate.rule}`),
    ...(estimate.atCeiling ? [t('estimate.rule.ceiling')] : []),
  ].join('; ');
  return { label, rule };
}

/** An employer's regular base with what it suggests, in a line. */
export function employerPayText(employer: CurrentEmployerFigures, t: Translate, language: Language): string {
  const base = formatCop(employer.regularBase, language);
  // A salaried base is its own minimum: said once, not as a second amount equal to the first.
  if (
    employer.regularEstimate.kind === 'at_least' &&
    employer.regularEstimate.amount === employer.regularBase
  )
    return t('summary.employerRegular.isMinimum', { base });
  const estimate = estimateText(employer.regularEstimate, t, language);
  const name = estimateNameOf(employer.regularEstimate, t);
  return name
    ? t('summary.employerRegular', { base, label: name.label, estimate, rule: name.rule })
    : t('summary.employerRegular.noEstimate', { base, estimate });
}

/**
 * What an employer's line adds beside its name and tenure: its pay and its own libranza bound when
 * there are several current employers (with one, the figures below say the same amounts); the bound
 * only where it can apply: every employer's without an agreement's NIT, only the agreement
 * employer's with one (rule 16).
 */
export function employerLineTexts(
  employer: CurrentEmployerFigures,
  credit: CreditIndicators,
  t: Translate,
  language: Language,
): string[] {
  if (employer.regularBase === null) return [];
  const agreement = credit.agreement;
  const libranza =
    agreement === null || (agreement.kind === 'current' && agreement.employerKey === employer.employerKey);
  // One employer: the figures below give its pay and bound; the line says only why there is no
  // bound when no card does (a current agreement employer's card says it).
  if (credit.currentEmployers.length === 1)
    return agreement === null && employer.libranza.kind === 'none'
      ? [employerLibranzaText(employer, t, language)]
      : [];
  return [
    employerPayText(employer, t, language),
    ...(libranza ? [employerLibranzaText(employer, t, language)] : []),
  ];
}

/** An employer's libranza bound, or why there is none. */
export function employerLibranzaText(
  employer: CurrentEmployerFigures,
  t: Translate,
  language: Language,
): string {
  return employer.libranza.kind === 'bound'
    ? t('summary.libranza.employer', { amount: formatCop(employer.libranza.amount, language) })
    : t(`summary.libranza.none.${employer.libranza.reason}`);
}

/** What was left out of the figures, one phrase per reason that applies. */
export function skippedTexts(skipped: SkippedData, t: Translate): string[] {
  return (
    [
      ['unreadableRecords', 'summary.skipped.unreadableRecords'],
      ['unreadableLines', 'summary.skipped.unreadableLines'],
      ['malformedMonths', 'summary.skipped.malformedMonths'],
      ['afterConsultation', 'summary.skipped.afterConsultation'],
    ] as const
  )
    .filter(([field]) => skipped[field] > 0)
    .map(([field, key]) => t(key, { count: skipped[field] }));
}

/** How one employer's libranza bound was reached, or why there is none. */
export function libranzaHowOf(employer: CurrentEmployerFigures, t: Translate, language: Language): string {
  const bound = employer.libranza;
  const name = employerNameOf(employer, t);
  if (bound.kind === 'none') return `${name}: ${t(`summary.libranza.none.${bound.reason}`)}`;
  if (bound.netSource === 'reported' || !bound.deductions) {
    return t('summary.libranza.reported', { employer: name, net: formatCop(bound.net, language) });
  }
  const percent = new Intl.NumberFormat(language === 'es' ? 'es-CO' : 'en', { maximumFractionDigits: 1 });
  return t('summary.libranza.computed', {
    employer: name,
    base: formatCop(employer.regularBase, language),
    health: formatCop(bound.deductions.health, language),
    pension: formatCop(bound.deductions.pension, language),
    solidarity: formatCop(bound.deductions.solidarity, language),
    solidarityShare: `${percent.format(bound.deductions.solidarityShare * 100)} %`,
    net: formatCop(bound.net, language),
  });
}

/** The notes that say from when and on what the figures were measured. */
export function measuredAtTexts(summary: Summary, t: Translate, language: Language): string[] {
  const { consultation } = summary;
  return [
    t('summary.measuredAt', {
      month: formatMonth(consultation.latestDueMonth, language),
      date: formatDay(consultation.day),
    }),
    ...(consultation.source === 'lookup' ? [t('summary.consultationFromLookup')] : []),
  ];
}

/** The organisation's thresholds that decided the alerts, said once with the figures. */
export function thresholdsText(policy: IndicatorPolicy, t: Translate, language: Language): string {
  return t('summary.thresholds', {
    recent: policy.recentHireMonths,
    intermittent: policy.intermittentBelowMonths,
    drop: policy.incomeDropPercent,
    declared: new Intl.NumberFormat(language === 'es' ? 'es-CO' : 'en', { maximumFractionDigits: 2 }).format(
      policy.declaredRatioAbove,
    ),
  });
}
