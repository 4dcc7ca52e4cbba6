/**
 * The markers a lenient reading of Belvo's records leaves (see ReadableEmploymentSchema), without zod:
 * the extension's pages read them with no schema code in their bundle.
 */

/** A `status_changes` entry that is not a string: read as a novelty nobody knows, never as none. */
export const UNREADABLE_STATUS = 'UNREADABLE_STATUS';
/** Marks a record that was not an object: kept in its place so the summary can count it. */
export const UNREADABLE_RECORD = 'lupa_unreadable_record';

export function isUnreadableRecord(employment: Record<string, unknown>): boolean {
  return employment[UNREADABLE_RECORD] === true;
}
