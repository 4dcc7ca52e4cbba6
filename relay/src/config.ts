/**
 * Relay configuration from the environment (docs/architecture.md §4). Every problem is reported at once, each
 * with what to do about it, so an operator fixes a deployment in one pass.
 */

import { isIP } from 'node:net';
import { ROLES, type Role } from '@lupa/contract';
import {
  ALERT_THRESHOLD_RANGES,
  type AlertThresholds,
  alertThresholdsFrom,
  isThresholdInRange,
} from '@lupa/contract/alert-thresholds';
import { z } from 'zod';

/** An alert threshold in its range (contract/src/alert-thresholds.ts), or undefined when unset. */
const optionalThreshold = (name: string, threshold: keyof AlertThresholds) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return undefined;
      const value = Number(raw.replace(',', '.'));
      if (!isThresholdInRange(threshold, value)) {
        const { min, max, integer } = ALERT_THRESHOLD_RANGES[threshold];
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got "${raw}")`,
        });
        return z.NEVER;
      }
      return value;
    });

/** The lender's thresholds when it set any ALERT_* value (the others keep Lupa's defaults), else null. */
function alertThresholdsOf(values: Record<string, unknown>): AlertThresholds | null {
  const set = {
    recentHireMonths: values.ALERT_RECENT_HIRE_MONTHS,
    intermittentBelowMonths: values.ALERT_INTERMITTENT_BELOW_MONTHS,
    incomeDropPercent: values.ALERT_INCOME_DROP_PERCENT,
    declaredRatioAbove: values.ALERT_DECLARED_RATIO_ABOVE,
  };
  return Object.values(set).every((value) => value === undefined) ? null : alertThresholdsFrom(set);
}

const positiveNumber = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === '') return fallback;
      const value = Number(raw);
      if (!Number.isFinite(value) || value <= 0) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a positive number (got "${raw}")` });
        return z.NEVER;
      }
      return value;
    });

/**
 * Firefox gives every installation of an extension its own random origin, so no exact origin can name
 * Lupa's Firefox installs. This one entry admits any Firefox extension page: still never a web page,
 * and every request still needs an analyst token.
 */
export const ANY_FIREFOX_EXTENSION = 'moz-extension://*';

/** What Firefox gives an installation: moz-extension:// and a version-4 UUID, lower case. */
const FIREFOX_EXTENSION_ORIGIN =
  /^moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether a request's Origin is one RELAY_ALLOWED_ORIGINS lets call the API. */
export function isAllowedOrigin(allowedOrigins: string[], origin: string): boolean {
  if (allowedOrigins.includes(origin)) return true;
  return allowedOrigins.includes(ANY_FIREFOX_EXTENSION) && FIREFOX_EXTENSION_ORIGIN.test(origin);
}

function encryptionKeyOf(name: string, raw: string, ctx: z.RefinementCtx): Buffer | undefined {
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32 || key.toString('base64').replace(/=+$/, '') !== raw.replace(/=+$/, '')) {
    ctx.addIssue({
      code: 'custom',
      message: `${name} must be 32 bytes in base64 (got ${key.length} bytes); generate one with: openssl rand -base64 32`,
    });
    return undefined;
  }
  return key;
}

const required = (name: string, hint: string) =>
  z
    .string({ error: `${name} is required: ${hint}` })
    .trim()
    .min(1, `${name} is required: ${hint}`);

const portNumber = (name: string, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === '' ? fallback : Number(raw)))
    .pipe(
      z
        .number({ error: `${name} must be a number` })
        .int(`${name} must be a whole number`)
        .min(0)
        .max(65535, `${name} must be at most 65535`),
    );

const trueOrFalse = (name: string) =>
  z
    .enum(['true', 'false', ''], { error: `${name} must be true or false` })
    .optional()
    .transform((raw) => raw === 'true');

export const ConfigSchema = z.object({
  PORT: portNumber('PORT', 8787),
  HOST: z.string().default('127.0.0.1'),
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: portNumber('METRICS_PORT', 9464),
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((raw, ctx): boolean | string[] => {
      const value = (raw ?? '').trim();
      if (value === '' || value === 'false') return false;
      if (value === 'true') return true;
      const proxies = value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean);
      const wrong = proxies.filter((entry) => isIP(entry) === 0);
      if (wrong.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `TRUST_PROXY takes true, false or the proxies' IP addresses, comma-separated (not: ${wrong.join(', ')})`,
        });
        return z.NEVER;
      }
      return proxies.map(withoutIpv4Mapping);
    }),
  MAX_CONNECTIONS_PER_CLIENT: positiveNumber('MAX_CONNECTIONS_PER_CLIENT', 200).pipe(
    z.number().int('MAX_CONNECTIONS_PER_CLIENT must be a whole number'),
  ),
  HEADER_TIMEOUT_SECONDS: positiveNumber('HEADER_TIMEOUT_SECONDS', 10).pipe(
    z
      .number()
      .max(10, 'HEADER_TIMEOUT_SECONDS must be at most 10: a slow client holds a connection that long'),
  ),
  REQUEST_TIMEOUT_SECONDS: positiveNumber('REQUEST_TIMEOUT_SECONDS', 30),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/relay.db')
    .refine((url) => url.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(url), {
      message: 'DATABASE_URL must be "sqlite:<path>" or "postgres://user:password@host:port/db"',
    }),
  BELVO_BASE_URL: z
    .url({ error: 'BELVO_BASE_URL must be an absolute URL such as https://api.belvo.com' })
    .default('https://api.belvo.com'),
  BELVO_SECRET_ID: required('BELVO_SECRET_ID', 'the Belvo secret id (Dashboard → Developers → API Keys)'),
  BELVO_SECRET_PASSWORD: required(
    'BELVO_SECRET_PASSWORD',
    'the Belvo secret password paired with BELVO_SECRET_ID',
  ),
  BELVO_WEBHOOK_AUTHORIZATION: required(
    'BELVO_WEBHOOK_AUTHORIZATION',
    'the exact Authorization value configured for the webhook in Belvo\'s dashboard, e.g. "Bearer <random>"',
  ),
  RELAY_ENCRYPTION_KEY: required(
    'RELAY_ENCRYPTION_KEY',
    'generate one with: openssl rand -base64 32',
  ).transform((raw, ctx) => encryptionKeyOf('RELAY_ENCRYPTION_KEY', raw, ctx) ?? z.NEVER),
  RELAY_PREVIOUS_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const keys = (raw ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => encryptionKeyOf('RELAY_PREVIOUS_ENCRYPTION_KEYS', entry, ctx));
      return keys.every((key) => key !== undefined) ? keys : z.NEVER;
    }),
  RELAY_ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const origins = (raw ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean);
      for (const origin of origins) {
        if (origin === ANY_FIREFOX_EXTENSION) continue;
        if (origin === '*' || origin.includes('*')) {
          ctx.addIssue({
            code: 'custom',
            message: `RELAY_ALLOWED_ORIGINS takes exact origins; wildcards are refused (except ${ANY_FIREFOX_EXTENSION})`,
          });
        } else if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(origin)) {
          ctx.addIssue({
            code: 'custom',
            message: `RELAY_ALLOWED_ORIGINS: "${origin}" is not an origin such as chrome-extension://<extension id>`,
          });
        }
      }
      return origins;
    }),
  LENDER_NAME: z
    .string()
    .optional()
    .transform((raw) => raw?.trim() || null),
  REUSE_WINDOW_HOURS: positiveNumber('REUSE_WINDOW_HOURS', 24),
  // The lender's alert thresholds; unset, each analyst's extension keeps its own (or the managed policy's).
  ALERT_RECENT_HIRE_MONTHS: optionalThreshold('ALERT_RECENT_HIRE_MONTHS', 'recentHireMonths'),
  ALERT_INTERMITTENT_BELOW_MONTHS: optionalThreshold(
    'ALERT_INTERMITTENT_BELOW_MONTHS',
    'intermittentBelowMonths',
  ),
  ALERT_INCOME_DROP_PERCENT: optionalThreshold('ALERT_INCOME_DROP_PERCENT', 'incomeDropPercent'),
  ALERT_DECLARED_RATIO_ABOVE: optionalThreshold('ALERT_DECLARED_RATIO_ABOVE', 'declaredRatioAbove'),
  RETENTION_HOURS: positiveNumber('RETENTION_HOURS', 72),
  WEBHOOK_TIMEOUT_SECONDS: positiveNumber('WEBHOOK_TIMEOUT_SECONDS', 120),
  ANALYST_DAILY_LIMIT: positiveNumber('ANALYST_DAILY_LIMIT', 200).pipe(
    z.number().int('ANALYST_DAILY_LIMIT must be a whole number'),
  ),
  BATCH_CONCURRENCY: positiveNumber('BATCH_CONCURRENCY', 4).pipe(
    z.number().int('BATCH_CONCURRENCY must be a whole number'),
  ),
  MAX_WAITS_PER_ANALYST: positiveNumber('MAX_WAITS_PER_ANALYST', 20).pipe(
    z.number().int('MAX_WAITS_PER_ANALYST must be a whole number'),
  ),
  BELVO_RETRY_BASE_SECONDS: positiveNumber('BELVO_RETRY_BASE_SECONDS', 3),
  BELVO_TIMEOUT_SECONDS: positiveNumber('BELVO_TIMEOUT_SECONDS', 30),
  JOB_LEASE_SECONDS: positiveNumber('JOB_LEASE_SECONDS', 30).pipe(
    z.number().min(2, 'JOB_LEASE_SECONDS must be at least 2 (a node renews its leases every third of it)'),
  ),
  DATABASE_POOL_SIZE: positiveNumber('DATABASE_POOL_SIZE', 10).pipe(
    z.number().int('DATABASE_POOL_SIZE must be a whole number'),
  ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RELAY_PUBLIC_URL: z
    .url({ error: "RELAY_PUBLIC_URL must be the relay's public address, such as https://lupa.banco.com.co" })
    .optional(),
  OIDC_ISSUER: z.url({ error: "OIDC_ISSUER must be the identity provider's issuer URL" }).optional(),
  OIDC_CLIENT_ID: z.string().trim().optional(),
  OIDC_CLIENT_SECRET: z.string().trim().optional(),
  OIDC_REDIRECT_URIS: commaList(),
  OIDC_ALLOWED_DOMAINS: commaList(),
  OIDC_ALLOWED_GROUPS: commaList(),
  OIDC_GROUPS_CLAIM: z.string().trim().default('groups'),
  OIDC_ROLE_GROUPS: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const roles: Partial<Record<Role, string>> = {};
      for (const pair of (raw ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean)) {
        const [role, group] = pair.split('=').map((part) => part.trim());
        if (!role || !group || !(ROLES as readonly string[]).includes(role)) {
          ctx.addIssue({
            code: 'custom',
            message: `OIDC_ROLE_GROUPS takes role=group pairs (roles: ${ROLES.join(', ')}); "${pair}" is not one`,
          });
          continue;
        }
        roles[role as Role] = group;
      }
      return roles;
    }),
  OIDC_SCOPES: z.string().trim().default('openid email profile offline_access'),
  REQUIRE_SIGN_IN: trueOrFalse('REQUIRE_SIGN_IN'),
  ACCESS_TOKEN_MINUTES: positiveNumber('ACCESS_TOKEN_MINUTES', 10),
  SESSION_HOURS: positiveNumber('SESSION_HOURS', 12),
});

function commaList() {
  return z
    .string()
    .optional()
    .transform((raw) =>
      (raw ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    );
}

export type RelayConfig = {
  port: number;
  host: string;
  /** The private listener that serves /metrics, kept off the public one (0: any free port). */
  metrics: { host: string; port: number };
  /**
   * What protects the relay from one client: how long its headers and its whole request may take,
   * and how many connections (requests, behind a trusted proxy) it may hold open at once.
   */
  limits: {
    headerTimeoutMs: number;
    requestTimeoutMs: number;
    maxConnectionsPerClient: number;
    /**
     * Take the client's address from the last X-Forwarded-For entry (the proxy's), not the socket's:
     * from any socket (`true`), or only from these proxies' addresses.
     */
    trustProxy: boolean | string[];
  };
  databaseUrl: string;
  /** PostgreSQL only: connections this node keeps open. */
  databasePoolSize: number;
  /** How long a claimed job stays a node's before another may take it over; renewed while it runs. */
  jobLeaseMs: number;
  belvo: {
    baseUrl: string;
    secretId: string;
    secretPassword: string;
    retryBaseMs: number;
    timeoutMs: number;
  };
  webhookAuthorization: string;
  encryptionKey: Buffer;
  /** Keys of earlier rotations: what they sealed or hashed stays readable and findable. */
  previousEncryptionKeys: Buffer[];
  allowedOrigins: string[];
  /** The lender's name, as the credit-file report prints it (null: not configured). */
  lenderName: string | null;
  /** Set when the lender sets any ALERT_* value: the others keep Lupa's defaults. */
  alertThresholds: AlertThresholds | null;
  reuseWindowMs: number;
  retentionMs: number;
  webhookTimeoutMs: number;
  analystDailyLimit: number;
  /** Lookups of one batch running at once. */
  batchConcurrency: number;
  /** Long-polls one analyst may hold open at once on one node. */
  maxWaitsPerAnalyst: number;
  logLevel: z.infer<typeof ConfigSchema>['LOG_LEVEL'];
  /** Sign-in with the lender's identity provider; undefined when OIDC_ISSUER is not set. */
  oidc: OidcConfig | undefined;
  /** /v1 refuses static tokens: only signed-in analysts (the CLI is unaffected). */
  requireSignIn: boolean;
};

export type OidcConfig = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the browser back: `<RELAY_PUBLIC_URL>/auth/callback`. */
  callbackUrl: string;
  /** The extension's own redirect URLs (identity.launchWebAuthFlow), matched exactly. */
  redirectUris: string[];
  allowedDomains: string[];
  allowedGroups: string[];
  groupsClaim: string;
  roleGroups: Partial<Record<Role, string>>;
  scopes: string;
  accessTokenMs: number;
  sessionMs: number;
};

/** `::ffff:10.0.0.5`, as Node reports an IPv4 peer on a dual-stack socket, is `10.0.0.5`. */
export const withoutIpv4Mapping = (address: string) =>
  address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid relay configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

const HOUR_MS = 3_600_000;

const BELVO_ONLY = ['BELVO_SECRET_ID', 'BELVO_SECRET_PASSWORD', 'BELVO_WEBHOOK_AUTHORIZATION'] as const;

/**
 * `requireBelvo: false` is for administration commands (analysts, purge, audit), which never call Belvo
 * and should run where its keys are not deployed.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: { requireBelvo: boolean } = { requireBelvo: true },
): RelayConfig {
  const schema = options.requireBelvo
    ? ConfigSchema
    : ConfigSchema.extend(Object.fromEntries(BELVO_ONLY.map((name) => [name, z.string().default('')])));
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const values = parsed.data as z.infer<typeof ConfigSchema>;
  return {
    port: values.PORT,
    host: values.HOST,
    metrics: { host: values.METRICS_HOST, port: values.METRICS_PORT },
    limits: {
      headerTimeoutMs: values.HEADER_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: Math.max(values.REQUEST_TIMEOUT_SECONDS, values.HEADER_TIMEOUT_SECONDS) * 1000,
      maxConnectionsPerClient: values.MAX_CONNECTIONS_PER_CLIENT,
      trustProxy: values.TRUST_PROXY,
    },
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE,
    jobLeaseMs: values.JOB_LEASE_SECONDS * 1000,
    belvo: {
      baseUrl: values.BELVO_BASE_URL.replace(/\/+$/, ''),
      secretId: values.BELVO_SECRET_ID,
      secretPassword: values.BELVO_SECRET_PASSWORD,
      retryBaseMs: values.BELVO_RETRY_BASE_SECONDS * 1000,
      timeoutMs: values.BELVO_TIMEOUT_SECONDS * 1000,
    },
    webhookAuthorization: values.BELVO_WEBHOOK_AUTHORIZATION,
    encryptionKey: values.RELAY_ENCRYPTION_KEY,
    previousEncryptionKeys: values.RELAY_PREVIOUS_ENCRYPTION_KEYS,
    allowedOrigins: values.RELAY_ALLOWED_ORIGINS,
    lenderName: values.LENDER_NAME,
    alertThresholds: alertThresholdsOf(values),
    reuseWindowMs: values.REUSE_WINDOW_HOURS * HOUR_MS,
    retentionMs: values.RETENTION_HOURS * HOUR_MS,
    webhookTimeoutMs: values.WEBHOOK_TIMEOUT_SECONDS * 1000,
    analystDailyLimit: values.ANALYST_DAILY_LIMIT,
    batchConcurrency: values.BATCH_CONCURRENCY,
    maxWaitsPerAnalyst: values.MAX_WAITS_PER_ANALYST,
    logLevel: values.LOG_LEVEL,
    oidc: oidcConfigOf(values),
    requireSignIn: requireSignInOf(values),
  };
}

function requireSignInOf(values: z.infer<typeof ConfigSchema>): boolean {
  if (values.REQUIRE_SIGN_IN && !values.OIDC_ISSUER)
    throw new ConfigError([
      'REQUIRE_SIGN_IN=true needs OIDC_ISSUER: without an identity provider nobody could sign in',
    ]);
  return values.REQUIRE_SIGN_IN;
}

function oidcConfigOf(values: z.infer<typeof ConfigSchema>): OidcConfig | undefined {
  if (!values.OIDC_ISSUER) return undefined;
  const problems = [
    !values.OIDC_CLIENT_ID &&
      'OIDC_CLIENT_ID is required with OIDC_ISSUER: the client id registered for Lupa',
    !values.OIDC_CLIENT_SECRET && "OIDC_CLIENT_SECRET is required with OIDC_ISSUER: that client's secret",
    !values.RELAY_PUBLIC_URL &&
      'RELAY_PUBLIC_URL is required with OIDC_ISSUER: the provider sends the browser back to <RELAY_PUBLIC_URL>/auth/callback',
    values.OIDC_REDIRECT_URIS.length === 0 &&
      "OIDC_REDIRECT_URIS is required with OIDC_ISSUER: the extension's redirect URL (https://<extension id>.chromiumapp.org/, and Firefox's)",
    values.OIDC_ALLOWED_DOMAINS.length === 0 &&
      values.OIDC_ALLOWED_GROUPS.length === 0 &&
      'Say who may sign in: OIDC_ALLOWED_DOMAINS (e-mail domains) and/or OIDC_ALLOWED_GROUPS',
    !new URL(values.OIDC_ISSUER).protocol.startsWith('https') &&
      !isLoopback(values.OIDC_ISSUER) &&
      'OIDC_ISSUER must be https (plain http only on 127.0.0.1 or localhost, for tests)',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    issuer: values.OIDC_ISSUER,
    clientId: values.OIDC_CLIENT_ID!,
    clientSecret: values.OIDC_CLIENT_SECRET!,
    callbackUrl: `${values.RELAY_PUBLIC_URL!.replace(/\/+$/, '')}/auth/callback`,
    redirectUris: values.OIDC_REDIRECT_URIS,
    allowedDomains: values.OIDC_ALLOWED_DOMAINS.map((domain) => domain.toLowerCase()),
    allowedGroups: values.OIDC_ALLOWED_GROUPS,
    groupsClaim: values.OIDC_GROUPS_CLAIM,
    roleGroups: values.OIDC_ROLE_GROUPS,
    scopes: values.OIDC_SCOPES,
    accessTokenMs: values.ACCESS_TOKEN_MINUTES * 60_000,
    sessionMs: values.SESSION_HOURS * HOUR_MS,
  };
}

export function isLoopback(url: string): boolean {
  const { hostname } = new URL(url);
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}
