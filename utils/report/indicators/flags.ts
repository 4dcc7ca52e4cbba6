export type SummaryFlag =
  | 'no_recent_contribution'
  | 'income_drop'
  | 'multiple_current_employers'
  | 'only_contractual';

export const INCOME_DROP_THRESHOLD_PERCENT = -20;
/** More months than this between the last contribution and the collection month raise a flag. */
const RECENT_CONTRIBUTION_MONTHS = 3;

/** DESIGN §7's four flags, each from the indicator it reads. */
export function flagsOf(indicators: {
  monthsSinceLastContribution: number | null;
  trendPercent: number | null;
  currentEmployerCount: number;
  employmentTypes12: string[];
}): SummaryFlag[] {
  const flags: SummaryFlag[] = [];
  const { monthsSinceLastContribution, trendPercent, employmentTypes12 } = indicators;
  if (monthsSinceLastContribution !== null && monthsSinceLastContribution > RECENT_CONTRIBUTION_MONTHS) {
    flags.push('no_recent_contribution');
  }
  if (trendPercent !== null && trendPercent < INCOME_DROP_THRESHOLD_PERCENT) flags.push('income_drop');
  if (indicators.currentEmployerCount > 1) flags.push('multiple_current_employers');
  if (employmentTypes12.length > 0 && employmentTypes12.every((type) => type === 'CONTRACTUAL')) {
    flags.push('only_contractual');
  }
  return flags;
}
