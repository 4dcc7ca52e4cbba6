/**
 * What an analyst can do after each failure, so no message is a dead end: fix the cédula (retrying
 * cannot help), try again later (and when), or hand it to support with a diagnostic they can paste.
 */
export type NextStep = 'correct_cedula' | 'retry_later' | 'contact_support' | 'retry';

const NEXT_STEPS: Record<string, NextStep> = {
  invalid_cedula: 'correct_cedula',
  belvo_login_error: 'correct_cedula',
  belvo_too_many_sessions: 'retry_later',
  institution_down: 'retry_later',
  institution_inactive: 'retry_later',
  belvo_unavailable: 'retry_later',
  daily_limit_reached: 'retry_later',
  too_many_connections: 'retry_later',
  store_unavailable: 'retry_later',
  relay_unreachable: 'contact_support',
  forbidden_origin: 'contact_support',
  relay_invalid_response: 'contact_support',
  belvo_auth_failed: 'contact_support',
  belvo_request_rejected: 'contact_support',
  belvo_mfa_required: 'contact_support',
  internal_error: 'contact_support',
};

/** An unknown code may be passing: trying again is the safe first step. */
export const nextStepOf = (code: string): NextStep => NEXT_STEPS[code] ?? 'retry';

/**
 * What support needs to find the failure, with nothing about the applicant: no cédula, no name. The
 * relay's request log is searched by the time and the code.
 */
export function diagnosticText(facts: {
  code: string;
  relayUrl: string;
  at: Date;
  extensionVersion: string;
  browser: string;
}): string {
  return [
    'Lupa: diagnóstico para soporte',
    `Código: ${facts.code}`,
    `Servidor: ${facts.relayUrl || '(sin configurar)'}`,
    `Hora (UTC): ${facts.at.toISOString()}`,
    `Extensión: ${facts.extensionVersion}`,
    `Navegador: ${facts.browser}`,
  ].join('\n');
}
