/**
 * The logger's redaction is the second guard (the first: log ids, never values): whatever a future
 * log line carries by mistake, these fields never reach the output, at the top or one level down.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED_FIELDS } from '../../src/observability/logger.js';

function lineLogged(fields: Record<string, unknown>): string {
  let written = '';
  const sink = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  // pino writes synchronously to a plain stream.
  createLogger('info', sink).info(fields, 'a line');
  return written;
}

describe('the relay’s logs', () => {
  it.each(REDACTED_FIELDS.map((field) => [field]))(
    'never print %s, at the top or one level down',
    (field) => {
      const secret = `secret-${field}-1020304050`;
      const line = lineLogged({ [field]: secret, sign_in: { [field]: secret } });
      expect(line).not.toContain(secret);
      expect(line).toContain('[redacted]');
    },
  );

  it.each([['refresh_token'], ['access_token'], ['code'], ['email']])(
    'include %s among the redacted fields',
    (field) => {
      expect(REDACTED_FIELDS).toContain(field);
    },
  );

  it('keep the ids and codes an operator needs', () => {
    const line = lineLogged({ extractionId: 'e-1', errorCode: 'belvo_login_error', requestId: 'r-1' });
    expect(JSON.parse(line)).toMatchObject({
      extractionId: 'e-1',
      errorCode: 'belvo_login_error',
      requestId: 'r-1',
    });
  });
});
