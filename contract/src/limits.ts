/** Limits of the relay contract that UI code needs without loading zod (utils/relay-contract.ts uses them). */
export const CONSENT_REFERENCE_MAX = 120;

/** Rows of one batch at most: a payroll agreement's applicants, well past a day's work. */
export const BATCH_ROWS_MAX = 1_000;
