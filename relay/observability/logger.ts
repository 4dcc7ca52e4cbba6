/**
 * JSON logs (pino). Log lines carry ids, never a cédula: callers log lookup and extraction ids, and the
 * redaction below is a second line of defence for fields that must never be printed.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'lupa-relay' },
      redact: {
        paths: [
          'cedula',
          '*.cedula',
          'username',
          '*.username',
          'authorization',
          '*.authorization',
          'token',
          '*.token',
        ],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
