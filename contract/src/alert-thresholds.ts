/**
 * The summary's alert thresholds, their defaults and the range each may take: one definition for
 * the extension (options, managed policy) and the relay (ALERT_* settings reported in /v1/me).
 * docs/credit-reading.md rules 7, 10, 12 and 13 say what each one decides.
 */
export type AlertThresholds = {
  /** A current job younger than this many months is a recent hire. */
  recentHireMonths: number;
  /** Fewer months with contributions than this, of the last 12, is intermittent. */
  intermittentBelowMonths: number;
  /** A fall of regular income larger than this percentage is flagged. */
  incomeDropPercent: number;
  /** Declared income above this multiple of the estimate is flagged. */
  declaredRatioAbove: number;
};

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  recentHireMonths: 6,
  intermittentBelowMonths: 10,
  incomeDropPercent: 20,
  declaredRatioAbove: 1.25,
};

export const ALERT_THRESHOLD_RANGES: Record<
  keyof AlertThresholds,
  { min: number; max: number; integer: boolean }
> = {
  recentHireMonths: { min: 1, max: 24, integer: true },
  intermittentBelowMonths: { min: 1, max: 12, integer: true },
  incomeDropPercent: { min: 1, max: 90, integer: true },
  declaredRatioAbove: { min: 1, max: 5, integer: false },
};

export const isThresholdInRange = (name: keyof AlertThresholds, value: unknown): value is number => {
  const { min, max, integer } = ALERT_THRESHOLD_RANGES[name];
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= max &&
    (!integer || Number.isInteger(value))
  );
};

/** The thresholds a policy sets, each checked on its own; a wrong or missing one keeps its default. */
export function alertThresholdsFrom(raw: unknown): AlertThresholds {
  const given = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const thresholds = { ...DEFAULT_ALERT_THRESHOLDS };
  for (const name of Object.keys(ALERT_THRESHOLD_RANGES) as Array<keyof AlertThresholds>) {
    const value = given[name];
    if (isThresholdInRange(name, value)) thresholds[name] = value;
  }
  return thresholds;
}
