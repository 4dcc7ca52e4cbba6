/**
 * "Copiar resumen": the summary as plain text for the CRM's notes field. The same figures and words as
 * the summary card (figures.ts), with the masked cédula only (a note is read by more people than the
 * analyst).
 */
import { formatDateTime } from '../locale/format.js';
import type { Language, Translate } from '../locale/i18n.js';
import { FACT_FLAGS } from './credit/credit-indicators.js';
import { figuresOf, hasData } from './figures.js';
import type { Summary } from './summary/summarize.js';
import {
  employerLineTexts,
  employerNameOf,
  flagText,
  measuredAtTexts,
  recordCheckTexts,
  skippedTexts,
  thresholdsText,
} from './summary-words.js';

export type SummaryTextHeader = {
  name: string | null;
  cedulaMasked: string;
  consultedAt: string;
  /** The applicant's signed authorisation, as the analyst recorded it. */
  consentReference?: string | null;
};

export function summaryAsText(
  header: SummaryTextHeader,
  summary: Summary,
  t: Translate,
  language: Language,
): string {
  const lines = [
    `${header.name ?? '—'} · C.C. ${header.cedulaMasked}`,
    `${t('summary.consultedAt')}: ${formatDateTime(header.consultedAt, language)}`,
    ...(header.consentReference ? [`${t('creditFile.consent')}: ${header.consentReference}`] : []),
  ];
  if (!hasData(summary)) {
    lines.push(t('summary.noData'));
  } else {
    const credit = summary.credit;
    // The decision first: what to watch, then who employs the applicant, then every figure.
    const risks = summary.flags.filter((flag) => !FACT_FLAGS.has(flag));
    const facts = summary.flags.filter((flag) => FACT_FLAGS.has(flag));
    if (risks.length > 0)
      lines.push(
        `${t('summary.flags')}: ${risks.map((flag) => flagText(flag, credit, t, language)).join('; ')}`,
      );
    if (facts.length > 0)
      lines.push(
        `${t('summary.facts')}: ${facts.map((flag) => flagText(flag, credit, t, language)).join('; ')}`,
      );
    lines.push(...recordCheckTexts(credit, t, language));
    if (summary.currentEmployers.length > 0) {
      lines.push(`${t('summary.currentEmployers')}:`);
      for (const employer of summary.currentEmployers) {
        const who = [
          employerNameOf(employer, t),
          employer.idNumber && `${employer.idType ?? 'ID'} ${employer.idNumber}`,
        ]
          .filter(Boolean)
          .join(' ');
        const tenure = employer.tenure.atLeast
          ? t('summary.tenureDataAtLeast', { count: employer.tenure.months })
          : t('summary.tenureData', { count: employer.tenure.months });
        lines.push(`- ${[who, tenure, ...employerLineTexts(employer, credit, t, language)].join(' · ')}`);
      }
    }
    const line = (figure: ReturnType<typeof figuresOf>[number]) =>
      `${figure.label}: ${figure.value}${figure.detail ? ` (${figure.detail})` : ''}`;
    for (const figure of figuresOf(summary, { t, language }, undefined, 'decision')) lines.push(line(figure));
    lines.push(`${t('summary.more')}:`);
    for (const figure of figuresOf(summary, { t, language }, undefined, 'more')) lines.push(line(figure));
    lines.push(thresholdsText(credit.policy, t, language));
    lines.push(...measuredAtTexts(summary, t, language));
    const skipped = skippedTexts(summary.skipped, t);
    if (skipped.length > 0) lines.push(`${t('summary.skipped')}: ${skipped.join('; ')}`);
  }
  lines.push(t('summary.source'));
  return lines.join('\n');
}
