import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, isAllowedOrigin, loadConfig } from '../../src/config.js';

const valid = {
  BELVO_SECRET_ID: 'id',
  BELVO_SECRET_PASSWORD: 'password',
  BELVO_WEBHOOK_AUTHORIZATION: 'Bearer abc',
  RELAY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the documented defaults (docs/architecture.md §4)', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      databaseUrl: 'sqlite:./data/relay.db',
      belvo: { baseUrl: 'https://api.belvo.com', retryBaseMs: 3000 },
      allowedOrigins: [],
      reuseWindowMs: 24 * 3_600_000,
      retentionMs: 72 * 3_600_000,
      webhookTimeoutMs: 120_000,
      analystDailyLimit: 200,
      databasePoolSize: 10,
      jobLeaseMs: 30_000,
      previousEncryptionKeys: [],
    });
  });

  it('reads previous encryption keys, in order', () => {
    const [first, second] = [randomBytes(32), randomBytes(32)];
    const config = loadConfig({
      ...valid,
      RELAY_PREVIOUS_ENCRYPTION_KEYS: ` ${first.toString('base64')} , ${second.toString('base64')}`,
    });
    expect(config.previousEncryptionKeys).toEqual([first, second]);
  });

  it.each([
    [undefined, false],
    ['false', false],
    ['true', true],
    ['10.0.0.5, ::ffff:10.0.0.6 ,fd00::1', ['10.0.0.5', '10.0.0.6', 'fd00::1']],
  ])('reads TRUST_PROXY=%j as %j', (raw, expected) => {
    expect(
      loadConfig({ ...valid, ...(raw === undefined ? {} : { TRUST_PROXY: raw }) }).limits.trustProxy,
    ).toEqual(expected);
  });

  it.each([
    [{ TRUST_PROXY: 'yes' }, "TRUST_PROXY takes true, false or the proxies' IP addresses"],
    [{ TRUST_PROXY: '10.0.0.5,proxy.local' }, '(not: proxy.local)'],
    [{ HEADER_TIMEOUT_SECONDS: '30' }, 'HEADER_TIMEOUT_SECONDS must be at most 10'],
    [{ REQUIRE_SIGN_IN: 'yes' }, 'REQUIRE_SIGN_IN must be true or false'],
    [{ REQUIRE_SIGN_IN: 'true' }, 'REQUIRE_SIGN_IN=true needs OIDC_ISSUER'],
    [{ PORT: '70000' }, 'PORT must be at most 65535'],
    [{ PORT: 'eighty' }, 'PORT must be a number'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be "sqlite:<path>"'],
    [{ BELVO_BASE_URL: 'not a url' }, 'BELVO_BASE_URL must be an absolute URL'],
    [{ RELAY_ENCRYPTION_KEY: 'c2hvcnQ=' }, 'RELAY_ENCRYPTION_KEY must be 32 bytes in base64 (got 5 bytes)'],
    [{ RELAY_ENCRYPTION_KEY: '!!!not base64!!!' }, 'RELAY_ENCRYPTION_KEY must be 32 bytes'],
    [
      { RELAY_PREVIOUS_ENCRYPTION_KEYS: `${randomBytes(32).toString('base64')},c2hvcnQ=` },
      'RELAY_PREVIOUS_ENCRYPTION_KEYS must be 32 bytes in base64 (got 5 bytes)',
    ],
    [{ JOB_LEASE_SECONDS: '1' }, 'JOB_LEASE_SECONDS must be at least 2'],
    [{ DATABASE_POOL_SIZE: '2.5' }, 'DATABASE_POOL_SIZE must be a whole number'],
    [{ RELAY_ALLOWED_ORIGINS: '*' }, 'wildcards are refused'],
    [{ RELAY_ALLOWED_ORIGINS: 'chrome-extension://abc, not-an-origin' }, '"not-an-origin" is not an origin'],
    [{ RETENTION_HOURS: '-1' }, 'RETENTION_HOURS must be a positive number'],
    [{ ANALYST_DAILY_LIMIT: '2.5' }, 'ANALYST_DAILY_LIMIT must be a whole number'],
    [{ LOG_LEVEL: 'loud' }, 'Invalid option'],
    [{ BELVO_SECRET_ID: '  ' }, 'BELVO_SECRET_ID is required'],
    [{ ALERT_INCOME_DROP_PERCENT: '150' }, 'ALERT_INCOME_DROP_PERCENT must be a whole number from 1 to 90'],
    [{ ALERT_DECLARED_RATIO_ABOVE: 'mucho' }, 'ALERT_DECLARED_RATIO_ABOVE must be a number from 1 to 5'],
  ])('%j → %s', (override, message) => {
    expect(problemsOf({ ...valid, ...override }).join('\n')).toContain(message);
  });

  it('has no alert thresholds unless the lender sets one; the rest then keep their defaults', () => {
    expect(loadConfig(valid).alertThresholds).toBeNull();
    expect(
      loadConfig({ ...valid, ALERT_RECENT_HIRE_MONTHS: '12', ALERT_DECLARED_RATIO_ABOVE: '1,5' })
        .alertThresholds,
    ).toEqual({
      recentHireMonths: 12,
      intermittentBelowMonths: 10,
      incomeDropPercent: 20,
      declaredRatioAbove: 1.5,
    });
  });

  it('lists every problem at once', () => {
    expect(problemsOf({})).toHaveLength(4);
  });

  it('accepts several exact origins and postgres URLs', () => {
    const config = loadConfig({
      ...valid,
      RELAY_ALLOWED_ORIGINS: 'chrome-extension://abc, moz-extension://def',
      DATABASE_URL: 'postgres://lupa:secret@127.0.0.1:5433/lupa',
    });
    expect(config.allowedOrigins).toEqual(['chrome-extension://abc', 'moz-extension://def']);
  });

  it('accepts moz-extension://* as the one wildcard, for Firefox installs', () => {
    const config = loadConfig({
      ...valid,
      RELAY_ALLOWED_ORIGINS: 'chrome-extension://abc,moz-extension://*',
    });
    expect(config.allowedOrigins).toEqual(['chrome-extension://abc', 'moz-extension://*']);
    expect(problemsOf({ ...valid, RELAY_ALLOWED_ORIGINS: 'chrome-extension://*' }).join('\n')).toContain(
      'wildcards are refused (except moz-extension://*)',
    );
  });
});

describe('isAllowedOrigin', () => {
  const exact = ['chrome-extension://abc'];
  const withFirefox = [...exact, 'moz-extension://*'];
  it.each([
    [exact, 'chrome-extension://abc', true],
    [exact, 'chrome-extension://abd', false],
    [exact, 'moz-extension://0b1e4f9a-7c53-4d3e-9d0e-2f4a1b6c8d90', false],
    [withFirefox, 'moz-extension://0b1e4f9a-7c53-4d3e-9d0e-2f4a1b6c8d90', true],
    [withFirefox, 'moz-extension://evil.example', false],
    [withFirefox, 'https://crm.example.com', false],
    [withFirefox, 'null', false],
  ])('%j lets %s in: %s', (allowed, origin, expected) => {
    expect(isAllowedOrigin(allowed, origin)).toBe(expected);
  });

  it('has no sign-in without OIDC_ISSUER, and reads it whole with one', () => {
    expect(loadConfig(valid).oidc).toBeUndefined();
    const config = loadConfig({
      ...valid,
      RELAY_PUBLIC_URL: 'https://lupa.banco.com.co/',
      OIDC_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
      OIDC_CLIENT_ID: 'lupa',
      OIDC_CLIENT_SECRET: 'secreto',
      OIDC_REDIRECT_URIS: 'https://abc.chromiumapp.org/, https://def.extensions.allizom.org/',
      OIDC_ALLOWED_DOMAINS: 'Banco.com.co',
      OIDC_ROLE_GROUPS: 'supervisor=lupa-sup, admin=lupa-admin',
    });
    expect(config.oidc).toMatchObject({
      callbackUrl: 'https://lupa.banco.com.co/auth/callback',
      redirectUris: ['https://abc.chromiumapp.org/', 'https://def.extensions.allizom.org/'],
      allowedDomains: ['banco.com.co'],
      allowedGroups: [],
      groupsClaim: 'groups',
      roleGroups: { supervisor: 'lupa-sup', admin: 'lupa-admin' },
      accessTokenMs: 600_000,
      sessionMs: 12 * 3_600_000,
    });
  });

  it('names everything sign-in still needs, at once', () => {
    expect(problemsOf({ ...valid, OIDC_ISSUER: 'http://idp.banco.com.co' })).toEqual([
      expect.stringContaining('OIDC_CLIENT_ID is required'),
      expect.stringContaining('OIDC_CLIENT_SECRET is required'),
      expect.stringContaining('RELAY_PUBLIC_URL is required'),
      expect.stringContaining('OIDC_REDIRECT_URIS is required'),
      expect.stringContaining('Say who may sign in'),
      expect.stringContaining('OIDC_ISSUER must be https'),
    ]);
    expect(problemsOf({ ...valid, OIDC_ROLE_GROUPS: 'jefe=lupa-jefes' })).toEqual([
      expect.stringContaining('"jefe=lupa-jefes" is not one'),
    ]);
  });
});
