/**
 * The one place where a service's refusal becomes an HTTP answer: its status, and `retry-after` when
 * the refusal says when to try again. Each service's refusal codes are listed below, and a code added
 * to a service's union does not compile until it has a status here; a refusal with a code no service
 * declares answers 500 (`internal_error`), which the relay's tests would show.
 */
import type { AnalystRefusalCode } from '../analysts/analyst-admin.js';
import type { BatchRefusalCode } from '../batches/batch-service.js';
import type { LookupRefusalCode } from '../lookups/lookup-refusal.js';
import { Refusal } from '../refusal.js';
import type { SignInRefusalCode } from '../sign-in/sign-in-service.js';
import { ApiError } from './api-error.js';

type ServiceRefusalCode = LookupRefusalCode | BatchRefusalCode | SignInRefusalCode | AnalystRefusalCode;

const REFUSAL_STATUS = {
  lookup_not_found: 404,
  daily_limit_reached: 429,
  too_many_waits: 429,
  not_ready: 409,
  report_purged: 410,
  batch_not_found: 404,
  batch_without_valid_rows: 400,
  invalid_request: 400,
  invalid_grant: 400,
  sign_in_refused: 403,
  session_revoked: 401,
  session_expired: 401,
  sign_in_unavailable: 503,
  analyst_not_found: 404,
  own_roles_unchangeable: 403,
  roles_managed_by_identity_provider: 409,
} as const satisfies Record<ServiceRefusalCode, ApiError['status']>;

const hasStatus = (code: string): code is ServiceRefusalCode => Object.hasOwn(REFUSAL_STATUS, code);

/** The refusal as the contract's error, or undefined for anything that is not a known refusal. */
export function refusalAsApiError(error: unknown): ApiError | undefined {
  if (!(error instanceof Refusal) || !hasStatus(error.code)) return undefined;
  const headers: Record<string, string> =
    error.retryAfterSeconds === undefined ? {} : { 'retry-after': String(error.retryAfterSeconds) };
  return new ApiError(REFUSAL_STATUS[error.code], error.code, error.message, headers);
}
