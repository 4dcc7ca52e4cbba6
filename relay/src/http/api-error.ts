import type { ErrorCode } from '@lupa/contract';

/** An expected failure with its stable code; the app's error handler turns it into the contract's body. */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 500 | 503,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * For a body the relay stopped reading: the connection cannot carry another request. Saying so lets
 * the client open a new one instead of sending its next request into a closed socket.
 */
export const CLOSE_AFTER_REFUSING_BODY = { connection: 'close' };
