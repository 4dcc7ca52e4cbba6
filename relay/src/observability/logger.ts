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
    // Asynchronous writes: a synchronous write per line blocked the event loop twice per webhook.
    // The CLI flushes on shutdown; a process killed outright may lose its last lines, never data.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
