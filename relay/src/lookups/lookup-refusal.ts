import { Refusal } from '../refusal.js';

/**
 * What the lookup service refuses, and the wait slots too (`too_many_waits`, for lookup and batch
 * long-polls alike); http/refusal-status.ts gives each code its status.
 */
export type LookupRefusalCode =
  | 'lookup_not_found'
  | 'daily_limit_reached'
  | 'too_many_waits'
  | 'not_ready'
  | 'report_purged';

export class LookupRefusal extends Refusal<LookupRefusalCode> {}
