import { describe, expect, it } from 'vitest';
import { translator } from '../../utils/locale/i18n.js';
import { diagnosticText, nextStepOf } from '../../utils/locale/next-steps.js';

describe('every failure leads somewhere', () => {
  it.each([
    // The cédula is wrong: retrying the same one cannot help.
    ['belvo_login_error', 'correct_cedula'],
    ['invalid_cedula', 'correct_cedula'],
    // PILA or the daily limit: it will pass; the message says when to try again.
    ['belvo_unavailable', 'retry_later'],
    ['institution_down', 'retry_later'],
    ['daily_limit_reached', 'retry_later'],
    // Set-up and server problems are IT's: the analyst hands support a diagnostic.
    ['relay_unreachable', 'contact_support'],
    ['forbidden_origin', 'contact_support'],
    ['belvo_auth_failed', 'contact_support'],
    ['a_code_added_later', 'retry'],
  ])('%s → %s', (code, step) => {
    expect(nextStepOf(code)).toBe(step);
  });

  it.each(['belvo_unavailable', 'institution_down', 'belvo_too_many_sessions', 'daily_limit_reached'])(
    'a "try later" message for %s says when',
    (code) => {
      expect(translator('es')(`error.${code}` as never)).toMatch(/\d+ minutos|medianoche|mañana/);
    },
  );

  it('the diagnostic names the failure, where and when', () => {
    const text = diagnosticText({
      code: 'relay_unreachable',
      relayUrl: 'https://lupa.banco.com.co',
      at: new Date('2026-12-05T15:04:05Z'),
      extensionVersion: '0.1.0',
      browser: 'Chrome/156',
    });
    expect(text).toContain('Código: relay_unreachable');
    expect(text).toContain('Servidor: https://lupa.banco.com.co');
    expect(text).toContain('Hora (UTC): 2026-12-05T15:04:05.000Z');
  });
});
