import { Refusal } from '../refusal.js';

/** What the lookup service refuses (http/refusal-status.ts gives each code its status). */
export type LookupRefusalCode =
  | 'lookup_not_found'
  | 'daily_limit_reached'
  | 'too_many_waits'
  | 'not_ready'
  | 'report_purged';

export class LookupRefusal extends Refusal<LookupRefusalCode> {}
