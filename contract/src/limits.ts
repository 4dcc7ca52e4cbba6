/** Limits of the relay contract that UI code needs without loading zod (utils/relay-contract.ts uses them). */
export const CONSENT_REFERENCE_MAX = 120;
