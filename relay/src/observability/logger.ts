/**
 * JSON logs (pino). Log lines carry ids, never a cédula: callers log lookup and extraction ids, and the
 * redaction below is a second line of defence for fields that must never be printed.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Never printed, at the top of a log line or one level down: personal data, credentials, and what
 * signing in exchanges (an authorization code or a token is a credential until it expires).
 */
export const REDACTED_FIELDS = [
  'cedula',
  'username',
  'email',
  'authorization',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
] as const;

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'lupa-relay' },
      redact: {
        paths: REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]),
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Asynchronous writes: a synchronous write per line blocked the event loop twice per webhook.
    // The CLI flushes on shutdown; a process killed outright may lose its last lines, never data.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
