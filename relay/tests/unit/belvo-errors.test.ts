import { describe, expect, it } from 'vitest';
import { isRetryableCall, mapBelvoError } from '../../src/belvo/belvo-errors.js';

describe('mapBelvoError maps by Belvo code to stable codes', () => {
  it.each([
    [400, 'login_error', 'belvo_login_error', false],
    [400, 'too_many_sessions', 'belvo_too_many_sessions', true],
    [400, 'institution_down', 'institution_down', true],
    [400, 'institution_unavailable', 'institution_down', true],
    [400, 'institution_inactive', 'institution_inactive', false],
    [400, 'invalid_link', 'belvo_link_invalid', false],
    [428, 'token_required', 'belvo_mfa_required', false],
    [401, 'authentication_failed', 'belvo_auth_failed', false],
    [403, 'access_to_resource_denied', 'belvo_auth_failed', false],
    [408, 'request_timeout', 'belvo_unavailable', true],
    [500, 'unexpected_error', 'belvo_unavailable', true],
    [502, undefined, 'belvo_unavailable', true],
    [429, undefined, 'belvo_unavailable', true],
    [0, undefined, 'belvo_unavailable', true],
    [400, 'required', 'belvo_request_rejected', false],
    [400, 'invalid_fetch_resources', 'belvo_request_rejected', false],
    [401, undefined, 'belvo_auth_failed', false],
    [409, 'link_refreshed', 'belvo_error', false],
    [400, 'a_code_belvo_adds_next_year', 'belvo_error', false],
  ])('%i %s → %s', (status, belvoCode, code, retryable) => {
    expect(mapBelvoError(status, belvoCode)).toMatchObject({ code, retryable });
  });
});

describe('isRetryableCall follows Belvo’s policy', () => {
  it.each([
    [500, undefined, true],
    [503, 'unexpected_error', true],
    [400, 'too_many_sessions', true],
    [0, undefined, true],
    [429, undefined, true],
    [400, 'login_error', false],
    [400, 'institution_down', false],
    [401, 'authentication_failed', false],
    [404, 'not_found', false],
  ])('%i %s → %s', (status, code, retryable) => {
    expect(isRetryableCall(status, code)).toBe(retryable);
  });
});
