/**
 * From what PILA reports to what the applicant earns. PILA's amounts are contribution bases (IBC), and
 * the base is not always the income; Belvo documents `gross_amount` only as "total gross salary
 * before deductions", and whether it carries the base or the declared salary is not confirmed. So the
 * reported base is always shown as such, and this estimate beside it, labelled as an estimate:
 *
 * - Contractor (prestación de servicios, CONTRACTUAL): contributes on 40 % of the monthly contract
 *   value (Ley 1122 de 2007 art. 18, as the Ministry's Concepto Unificado 35861 de 2022 reads it after
 *   sentence C-068 de 2020): income ≈ base / 0.4. A contract under 2.5 SMMLV still contributes on
 *   1 SMMLV (the minimum base), so a base equal to the minimum (within PILA's rounding to the hundred)
 *   says only "at most 2.5 SMMLV". A base below it (one of several contracts) is still base / 0.4.
 * - Salario integral: contributes on 70 % of the salary (Decreto 780 de 2016 art. 2.2.1.1.2.1):
 *   income ≈ base / 0.7.
 * - Salaried and pensioned: the base is the salary or more (allowances outside the base are not
 *   reported), so it is a lower bound.
 * - A base at the ceiling of 25 SMMLV hides anything above it: the estimate becomes a lower bound.
 * - A year without an SMMLV in smmlv.ts gives no estimate.
 * - An `employment_type` Belvo does not document gives no estimate; a missing one reads as salaried
 *   (no worker earns less than the base), which docs/credit-reading.md rule 9 says.
 */
import { smmlvOf } from './smmlv.js';

export const CONTRACTOR_BASE_SHARE = 0.4;
export const INTEGRAL_BASE_SHARE = 0.7;
export const CONTRACTOR_MINIMUM_BASE_CEILING_SMMLV = 2.5;
export const MAX_BASE_SMMLV = 25;

export type EstimateRule = 'contractor_40' | 'contractor_minimum_base' | 'integral_70' | 'base_lower_bound';

export type IncomeEstimate =
  | {
      /** exact: the rule's point estimate; at_least / at_most: a bound. */
      kind: 'exact' | 'at_least' | 'at_most';
      amount: number;
      rule: EstimateRule;
      /** The base sits at the 25 SMMLV ceiling ("tope"). */
      atCeiling: boolean;
    }
  | { kind: 'none'; reason: 'no_smmlv_for_year' | 'no_base' | 'unknown_employment_type' };

export type BaseFacts = {
  month: string;
  base: number | null;
  employmentType: string | null;
  salaryComprehensive: boolean;
};

/** Pesos of rounding tolerated when comparing a base with a multiple of the SMMLV: PILA rounds to the hundred. */
export const SMMLV_ROUNDING = 100;
const KNOWN_TYPES = new Set(['SALARIED', 'CONTRACTUAL', 'PENSIONED']);

export function estimateIncome(facts: BaseFacts): IncomeEstimate {
  const smmlv = smmlvOf(facts.month);
  if (smmlv === null) return { kind: 'none', reason: 'no_smmlv_for_year' };
  if (facts.base === null || !Number.isFinite(facts.base) || facts.base <= 0) {
    return { kind: 'none', reason: 'no_base' };
  }
  if (facts.employmentType !== null && !KNOWN_TYPES.has(facts.employmentType)) {
    return { kind: 'none', reason: 'unknown_employment_type' };
  }
  const atCeiling = facts.base >= MAX_BASE_SMMLV * smmlv - SMMLV_ROUNDING;
  const pointOrBound = (amount: number, rule: EstimateRule): IncomeEstimate => ({
    kind: atCeiling ? 'at_least' : 'exact',
    amount: Math.round(amount),
    rule,
    atCeiling,
  });
  if (facts.employmentType === 'CONTRACTUAL') {
    if (Math.abs(facts.base - smmlv) <= SMMLV_ROUNDING) {
      return {
        kind: 'at_most',
        amount: Math.round(CONTRACTOR_MINIMUM_BASE_CEILING_SMMLV * smmlv),
        rule: 'contractor_minimum_base',
        atCeiling: false,
      };
    }
    return pointOrBound(facts.base / CONTRACTOR_BASE_SHARE, 'contractor_40');
  }
  if (facts.salaryComprehensive) return pointOrBound(facts.base / INTEGRAL_BASE_SHARE, 'integral_70');
  return { kind: 'at_least', amount: Math.round(facts.base), rule: 'base_lower_bound', atCeiling };
}
