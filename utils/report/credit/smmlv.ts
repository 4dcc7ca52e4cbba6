/**
 * The salario mínimo mensual legal vigente (SMMLV) by year, in COP. PILA's contribution bases are
 * bounded by it (Ley 100 de 1993 art. 18: from 1 to 25 SMMLV), so every estimate of income from a base
 * needs the year's value. A year missing here gives no estimate, never a guess: add each new year's
 * decree when it is issued (late December).
 */
export const SMMLV_BY_YEAR: Readonly<Record<number, { amount: number; source: string }>> = {
  2022: { amount: 1_000_000, source: 'Decreto 1724 de 2021' },
  2023: { amount: 1_160_000, source: 'Decreto 2613 de 2022' },
  2024: { amount: 1_300_000, source: 'Decreto 2292 de 2023' },
  2025: { amount: 1_423_500, source: 'Decreto 1572 de 2024' },
  2026: { amount: 1_750_905, source: 'Decreto 1469 de 2025, reexpedido como Decreto 0159 de 2026' },
};

/** The SMMLV in force in a `YYYY-MM` month, or null when this table does not know the year. */
export function smmlvOf(month: string): number | null {
  return SMMLV_BY_YEAR[Number(month.slice(0, 4))]?.amount ?? null;
}
