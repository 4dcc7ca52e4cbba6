/**
 * The only code that talks to Belvo. Each call is logged with Belvo's request_id when Belvo gives one
 * (error bodies and 202 answers carry it) and never with the cédula, which only ever travels in the
 * body of POST /api/links/.
 */
import ky, { type KyInstance } from 'ky';
import type { Logger } from 'pino';
import type { RelayMetrics } from '../observability/metrics.js';
import { BelvoError } from './belvo-errors.js';
import {
  BelvoErrorItemSchema,
  type BelvoLink,
  BelvoLinkSchema,
  BelvoPageSchema,
  BelvoResourcePageSchema,
} from './belvo-types.js';

export const PILA_INSTITUTION = 'pila_co_employment';
const MAX_RETRIES = 5;
const MAX_PAGES = 200;

export type BelvoClientOptions = {
  baseUrl: string;
  secretId: string;
  secretPassword: string;
  retryBaseMs: number;
  timeoutMs: number;
  logger: Logger;
  metrics: RelayMetrics;
  sleep?: (ms: number) => Promise<void>;
};

export type BelvoClient = ReturnType<typeof createBelvoClient>;

type Call = {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  json?: unknown;
  headers?: Record<string, string>;
};

export function createBelvoClient(options: BelvoClientOptions) {
  const { logger, metrics } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const origin = new URL(options.baseUrl).origin;
  const http: KyInstance = ky.create({
    headers: {
      authorization: `Basic ${Buffer.from(`${options.secretId}:${options.secretPassword}`).toString('base64')}`,
      accept: 'application/json',
    },
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
  });

  const urlOf = (path: string) => new URL(path, `${options.baseUrl}/`).toString();

  /** One HTTP exchange, logged; throws BelvoError for anything but 2xx. */
  async function callOnce(call: Call, attempt: number): Promise<{ status: number; body: unknown }> {
    const started = performance.now();
    const path = new URL(call.url).pathname;
    let status = 0;
    let body: unknown;
    try {
      // ky drops the instance's headers (our Basic auth) when `headers: undefined` is passed.
      const response = await http(call.url, {
        method: call.method,
        ...(call.json === undefined ? {} : { json: call.json }),
        ...(call.headers ? { headers: call.headers } : {}),
      });
      status = response.status;
      const text = await response.text();
      body = text ? JSON.parse(text) : undefined;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      logger.warn(
        {
          belvo: { method: call.method, path, attempt, ms: Math.round(performance.now() - started) },
          err: detail,
        },
        'belvo call failed to complete',
      );
      metrics.belvoCalls.inc({ method: call.method, outcome: 'network_error' });
      throw new BelvoError(0, undefined, undefined, `${call.method} ${path}: ${detail}`);
    }
    const errorItem = Array.isArray(body) ? BelvoErrorItemSchema.safeParse(body[0]) : undefined;
    const requestId =
      (errorItem?.success ? errorItem.data.request_id : undefined) ??
      (body && typeof body === 'object' && 'request_id' in body ? String(body.request_id) : undefined);
    const ms = Math.round(performance.now() - started);
    const ok = status >= 200 && status < 300;
    logger[ok ? 'info' : 'warn'](
      {
        belvo: {
          method: call.method,
          path,
          status,
          attempt,
          ms,
          requestId: requestId ?? null,
          // Not `code`: the logs redact that name (an OAuth authorization code is a credential).
          belvoCode: errorItem?.success ? errorItem.data.code : undefined,
        },
      },
      'belvo call',
    );
    metrics.belvoCalls.inc({ method: call.method, outcome: ok ? 'ok' : String(status) });
    if (!ok) {
      const code = errorItem?.success ? (errorItem.data.code ?? undefined) : undefined;
      throw new BelvoError(
        status,
        code,
        requestId,
        `${call.method} ${path} answered ${status}${code ? ` ${code}` : ''}`,
      );
    }
    return { status, body };
  }

  /** Belvo's policy: retry 5xx and too_many_sessions after 3, 6, 12, 24, 48 s (base configurable). */
  async function withRetries<T>(operation: (attempt: number) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await operation(attempt);
      } catch (error) {
        if (!(error instanceof BelvoError) || !error.retryable || attempt >= MAX_RETRIES) throw error;
        await sleep(options.retryBaseMs * 2 ** attempt);
      }
    }
  }

  async function listAll(firstUrl: string): Promise<unknown[]> {
    const results: unknown[] = [];
    let url: string | null | undefined = firstUrl;
    for (let page = 0; url; page++) {
      if (page >= MAX_PAGES) throw new BelvoError(0, undefined, undefined, `more than ${MAX_PAGES} pages`);
      // `next` comes from Belvo; never send our credentials to another origin.
      if (new URL(url).origin !== origin) {
        throw new BelvoError(
          502,
          undefined,
          undefined,
          `pagination left Belvo's origin: ${new URL(url).origin}`,
        );
      }
      const pageUrl: string = url;
      const { body } = await withRetries((attempt) => callOnce({ method: 'GET', url: pageUrl }, attempt));
      const parsed = BelvoResourcePageSchema.safeParse(body);
      if (!parsed.success)
        throw new BelvoError(502, undefined, undefined, 'Belvo answered a page in an unknown shape');
      results.push(...parsed.data.results);
      url = parsed.data.next;
    }
    return results;
  }

  function parseLink(body: unknown): BelvoLink {
    const parsed = BelvoLinkSchema.safeParse(body);
    if (!parsed.success)
      throw new BelvoError(502, undefined, undefined, 'Belvo answered a link in an unknown shape');
    return parsed.data;
  }

  async function findLinkByExternalId(externalId: string, attempt: number): Promise<BelvoLink | undefined> {
    const url = `${urlOf('api/links/')}?external_id=${encodeURIComponent(externalId)}&institution=${PILA_INSTITUTION}`;
    const { body } = await callOnce({ method: 'GET', url }, attempt);
    const parsed = BelvoPageSchema.safeParse(body);
    const first = parsed.success ? parsed.data.results[0] : undefined;
    return first ? parseLink(first) : undefined;
  }

  return {
    /**
     * Registers a single-use PILA link. Belvo has no idempotency key, so before every attempt we look for
     * a link already made with our external_id: a retry after a lost answer never pays for a second link.
     */
    async registerLink(input: {
      cedula: string;
      externalId: string;
      staleInDays: number;
      lookForExisting: boolean;
    }): Promise<BelvoLink> {
      return withRetries(async (attempt) => {
        if (attempt > 0 || input.lookForExisting) {
          const existing = await findLinkByExternalId(input.externalId, attempt);
          if (existing) return existing;
        }
        const { body } = await callOnce(
          {
            method: 'POST',
            url: urlOf('api/links/'),
            json: {
              institution: PILA_INSTITUTION,
              username: input.cedula,
              access_mode: 'single',
              fetch_resources: ['EMPLOYMENTS', 'OWNERS'],
              external_id: input.externalId,
              credentials_storage: 'nostore',
              stale_in: `${input.staleInDays}d`,
            },
          },
          attempt,
        );
        return parseLink(body);
      });
    },

    async getLink(linkId: string): Promise<BelvoLink> {
      const { body } = await withRetries((attempt) =>
        callOnce({ method: 'GET', url: urlOf(`api/links/${encodeURIComponent(linkId)}/`) }, attempt),
      );
      return parseLink(body);
    },

    listEmployments: (linkId: string) =>
      listAll(`${urlOf('api/co/employments/')}?link=${encodeURIComponent(linkId)}`),

    listOwners: (linkId: string) => listAll(`${urlOf('api/owners/')}?link=${encodeURIComponent(linkId)}`),

    /** Asynchronous deletion: no 5-per-minute limit, and Belvo confirms with a link_deleted webhook. */
    async deleteLink(linkId: string): Promise<void> {
      await withRetries((attempt) =>
        callOnce(
          {
            method: 'DELETE',
            url: urlOf(`api/links/${encodeURIComponent(linkId)}/`),
            headers: { 'x-belvo-request-mode': 'async' },
          },
          attempt,
        ),
      ).catch((error: unknown) => {
        // Already gone is what we wanted.
        if (error instanceof BelvoError && error.status === 404) return;
        throw error;
      });
    },
  };
}
