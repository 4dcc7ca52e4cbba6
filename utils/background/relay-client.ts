/**
 * The extension's side of the relay contract. Every answer is validated with the shared schemas, and
 * every failure becomes a RelayError with a stable code the UI can explain.
 */

import {
  ApiErrorBodySchema,
  type Batch,
  type BatchCreated,
  BatchCreatedSchema,
  BatchSchema,
  type CreateBatchRequest,
  DeletedSchema,
  type Lookup,
  LookupSchema,
  type Me,
  MeSchema,
  ReadableReportSchema,
  type Report,
  type Usage,
  UsageSchema,
} from '@lupa/contract';
import ky, { HTTPError, type KyInstance, TimeoutError } from 'ky';
import type { z } from 'zod';

export class RelayError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 0,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}

export type RelayClient = ReturnType<typeof createRelayClient>;

export function createRelayClient(options: { baseUrl: string; token: string; fetch?: typeof fetch }) {
  const http: KyInstance = ky.create({
    prefixUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.token}` },
    retry: 0,
    timeout: 40_000,
    // Reports are personal data: never into the browser's HTTP cache (the relay says no-store too).
    cache: 'no-store',
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  /** The response of a request the relay accepted; anything else becomes a RelayError. */
  async function send(request: () => Promise<Response>): Promise<Response> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof HTTPError) {
        const body = ApiErrorBodySchema.safeParse(await error.response.json().catch(() => undefined));
        if (body.success)
          throw new RelayError(body.data.error.code, body.data.error.message, error.response.status);
        throw new RelayError(
          'relay_invalid_response',
          `the relay answered ${error.response.status}`,
          error.response.status,
        );
      }
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      const detail =
        error instanceof TimeoutError ? 'timed out' : error instanceof Error ? error.message : String(error);
      throw new RelayError('relay_unreachable', detail);
    }
  }

  async function call<T extends z.ZodType>(schema: T, request: () => Promise<Response>): Promise<z.infer<T>> {
    const response = await send(request);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new RelayError('relay_invalid_response', 'the relay answered outside the contract');
    return parsed.data;
  }

  return {
    me: (): Promise<Me> => call(MeSchema, () => http.get('v1/me')),
    /** The team's usage, Bogotá days `from` to `to` (supervisors and admins). */
    usage: (from: string, to: string): Promise<Usage> =>
      call(UsageSchema, () => http.get('v1/usage', { searchParams: { from, to } })),
    createLookup: (input: { cedula: string; consentReference?: string; force?: boolean }): Promise<Lookup> =>
      call(LookupSchema, () =>
        http.post('v1/lookups', {
          json: {
            cedula: input.cedula,
            consent: {
              granted: true,
              ...(input.consentReference ? { reference: input.consentReference } : {}),
            },
            force: input.force ?? false,
          },
        }),
      ),
    getLookup: (
      id: string,
      wait?: { sinceVersion: number; waitSeconds: number; signal?: AbortSignal },
    ): Promise<Lookup> =>
      call(LookupSchema, () =>
        http.get(`v1/lookups/${encodeURIComponent(id)}`, {
          ...(wait
            ? { searchParams: { sinceVersion: wait.sinceVersion, waitSeconds: wait.waitSeconds } }
            : {}),
          ...(wait?.signal ? { signal: wait.signal } : {}),
        }),
      ),
    getReport: (id: string): Promise<Report> =>
      call(ReadableReportSchema, () => http.get(`v1/lookups/${encodeURIComponent(id)}/report`)),
    deleteLookup: async (id: string): Promise<void> => {
      await call(DeletedSchema, () => http.delete(`v1/lookups/${encodeURIComponent(id)}`));
    },
    createBatch: (rows: CreateBatchRequest['rows']): Promise<BatchCreated> =>
      call(BatchCreatedSchema, () => http.post('v1/batches', { json: { rows } })),
    getBatch: (id: string, wait?: { sinceVersion: string; waitSeconds: number }): Promise<Batch> =>
      call(BatchSchema, () =>
        http.get(`v1/batches/${encodeURIComponent(id)}`, wait ? { searchParams: wait } : {}),
      ),
    cancelBatch: (id: string): Promise<Batch> =>
      call(BatchSchema, () => http.post(`v1/batches/${encodeURIComponent(id)}/cancel`)),
    /** The full cédula of each line, from the relay's results (the extension keeps none of them). */
    batchCedulas: async (id: string): Promise<Record<number, string>> => {
      const text = await (
        await send(() => http.get(`v1/batches/${encodeURIComponent(id)}/results.csv`))
      ).text();
      const cedulas: Record<number, string> = {};
      for (const line of text
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(1)) {
        const [number, cedula] = line.split(';');
        if (number && cedula) cedulas[Number(number)] = cedula;
      }
      return cedulas;
    },
  };
}
