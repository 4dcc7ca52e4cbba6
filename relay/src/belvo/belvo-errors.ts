/**
 * Belvo's error `code`s mapped to the relay's stable codes (docs/belvo.md §2.4). Mapping goes by `code`,
 * never by `message`, which Belvo words differently across versions.
 */
import type { ErrorCode } from '@lupa/contract';

export type MappedError = { code: ErrorCode; message: string; retryable: boolean };

const BY_BELVO_CODE: Record<string, MappedError> = {
  login_error: {
    code: 'belvo_login_error',
    message: 'PILA rejected the cédula: it may be wrong or have no PILA account',
    retryable: false,
  },
  too_many_sessions: {
    code: 'belvo_too_many_sessions',
    message: 'PILA already has a session open for this cédula; try again in a few minutes',
    retryable: true,
  },
  institution_down: { code: 'institution_down', message: 'PILA is down; try again later', retryable: true },
  institution_unavailable: {
    code: 'institution_down',
    message: 'PILA is unavailable; try again later',
    retryable: true,
  },
  institution_inactive: {
    code: 'institution_inactive',
    message: 'Belvo has temporarily deactivated PILA',
    retryable: false,
  },
  invalid_link: { code: 'belvo_link_invalid', message: 'Belvo invalidated the link', retryable: false },
  unconfirmed_link: {
    code: 'belvo_link_invalid',
    message: 'Belvo has not completed the link',
    retryable: true,
  },
  session_expired: { code: 'belvo_link_invalid', message: 'The Belvo session expired', retryable: true },
  token_required: {
    code: 'belvo_mfa_required',
    message: 'PILA asked for a second factor, which Belvo does not support here',
    retryable: false,
  },
  authentication_failed: {
    code: 'belvo_auth_failed',
    message:
      "Belvo rejected the relay's API keys; the operator must check BELVO_SECRET_ID and BELVO_SECRET_PASSWORD",
    retryable: false,
  },
  access_to_resource_denied: {
    code: 'belvo_auth_failed',
    message: 'The Belvo account has no access to this resource',
    retryable: false,
  },
  request_timeout: { code: 'belvo_unavailable', message: 'Belvo timed out', retryable: true },
  unexpected_error: { code: 'belvo_unavailable', message: 'Belvo had an internal error', retryable: true },
};

const REQUEST_REJECTED = new Set([
  'required',
  'null',
  'blank',
  'does_not_exist',
  'invalid',
  'invalid_fetch_resources',
  'invalid_credentials_storage',
  'unsupported_operation',
]);

export function mapBelvoError(status: number, belvoCode: string | undefined): MappedError {
  if (belvoCode && BY_BELVO_CODE[belvoCode]) return BY_BELVO_CODE[belvoCode];
  if (belvoCode && REQUEST_REJECTED.has(belvoCode)) {
    return {
      code: 'belvo_request_rejected',
      message: `Belvo rejected the relay's request (${belvoCode})`,
      retryable: false,
    };
  }
  if (status === 0 || status >= 500 || status === 408) {
    return { code: 'belvo_unavailable', message: 'Belvo could not be reached', retryable: true };
  }
  if (status === 429) {
    return { code: 'belvo_unavailable', message: 'Belvo is limiting the rate of requests', retryable: true };
  }
  if (status === 401 || status === 403) return BY_BELVO_CODE.authentication_failed!;
  return {
    code: 'belvo_error',
    message: `Belvo answered ${status}${belvoCode ? ` (${belvoCode})` : ''}`,
    retryable: false,
  };
}

/**
 * Whether Belvo's policy allows retrying the call: 5xx, `too_many_sessions` and 429 (its rate limits,
 * published for deletes and contract-defined for the rest; docs/belvo.md §2.6), and failed connections.
 */
export function isRetryableCall(status: number, belvoCode: string | undefined): boolean {
  return (
    status === 0 || status >= 500 || status === 408 || status === 429 || belvoCode === 'too_many_sessions'
  );
}

export class BelvoError extends Error {
  readonly mapped: MappedError;
  constructor(
    readonly status: number,
    readonly belvoCode: string | undefined,
    readonly belvoRequestId: string | undefined,
    detail: string,
  ) {
    super(detail);
    this.name = 'BelvoError';
    this.mapped = mapBelvoError(status, belvoCode);
  }
  get retryable(): boolean {
    return isRetryableCall(this.status, this.belvoCode);
  }
}
