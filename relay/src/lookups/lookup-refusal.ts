/**
 * What the lookup service refuses, in the contract's stable codes. The service knows nothing of HTTP:
 * http/error-responses.ts gives each code its status.
 */
export type LookupRefusalCode =
  | 'lookup_not_found'
  | 'daily_limit_reached'
  | 'too_many_waits'
  | 'not_ready'
  | 'report_purged';

export class LookupRefusal extends Error {
  constructor(
    readonly code: LookupRefusalCode,
    message: string,
    /** When the same request can succeed again (the daily limit's reset, a wait slot freeing). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'LookupRefusal';
  }
}
