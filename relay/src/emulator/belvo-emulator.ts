/**
 * A Belvo stand-in for PILA (Colombia employment), which Belvo offers in production only. It follows
 * docs/belvo.md §1–§5 (§7 says what it reproduces): Basic auth, JSON-array error bodies with
 * request_id, links, paginated employments and owners, asynchronous extraction announced by webhooks
 * that may be delayed, duplicated, reordered or lost. Tests steer it through `faults` and `webhooks`.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { latestPilaMonth, toBelvoEmployment } from './colombian-data.js';
import { personFor } from './demo-people.js';
import { createWebhookSender, type WebhookDeliveryOptions } from './webhook-sender.js';

export type EmulatorOptions = {
  secretId: string;
  secretPassword: string;
  port?: number;
  host?: string;
  /** Where and how to deliver webhooks; without it none are sent. */
  webhook?: Partial<WebhookDeliveryOptions> & { url: string; authorization: string };
  /** Time from link creation to data ready and webhooks sent. */
  extractionMs?: number;
  pageSize?: number;
  now?: () => Date;
  /**
   * The moment PILA is read at: `collected_at` and the latest month of every history. Defaults to
   * `now`; tests pin it so that the same person reads the same on any date.
   */
  pilaAsOf?: () => Date;
};

export type WebhookBehaviour = {
  /** Send every webhook twice with the same webhook_id. */
  duplicate: boolean;
  /** Never send data webhooks (a lost webhook): only reading the link and data tells the result. */
  drop: boolean;
  /** OWNERS before EMPLOYMENTS. */
  ownersFirst: boolean;
  /** Finish the extraction and deliver webhooks before answering the link creation. */
  beforeLinkResponse: boolean;
};

type Fault = {
  method: string;
  pathPrefix: string;
  remaining: number;
  status: number;
  code: string;
  message: string;
};

type EmulatedLink = {
  id: string;
  institution: string;
  access_mode: string;
  external_id: string | null;
  status: 'valid' | 'invalid';
  created_at: string;
  last_accessed_at: string | null;
  institution_user_id: string;
  created_by: string;
  refresh_rate: null;
  credentials_storage: string;
  fetch_resources: string[];
  stale_in: string;
  cedula: string;
  /** As Belvo would send them: objects, or whatever a messy record is. */
  employments: unknown[];
  owners: Record<string, unknown>[];
};

const requestId = () => randomBytes(16).toString('hex');
const PUBLIC_FIELDS = [
  'id',
  'institution',
  'access_mode',
  'external_id',
  'status',
  'created_at',
  'last_accessed_at',
  'institution_user_id',
  'created_by',
  'refresh_rate',
  'credentials_storage',
  'fetch_resources',
  'stale_in',
] as const;

function publicLink(link: EmulatedLink) {
  return Object.fromEntries(PUBLIC_FIELDS.map((field) => [field, link[field]]));
}

function belvoError(c: Context, status: number, code: string, message: string, field?: string) {
  return c.json([{ request_id: requestId(), message, code, ...(field ? { field } : {}) }], status as 400);
}

/** Belvo rejects PII in external_id by nulling it; a bare number of cédula length is the obvious case. */
const looksLikePii = (value: string) => /^\d{6,10}$/.test(value.replace(/[.\s]/g, ''));

export function createBelvoEmulator(options: EmulatorOptions) {
  const now = options.now ?? (() => new Date());
  const pilaAsOf = options.pilaAsOf ?? now;
  const links = new Map<string, EmulatedLink>();
  const failedCreationsByCedula = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const faults: Fault[] = [];
  const slowResponses: Array<{ method: string; pathPrefix: string; remaining: number; delayMs: number }> = [];
  const webhooks: WebhookBehaviour = {
    duplicate: false,
    drop: false,
    ownersFirst: false,
    beforeLinkResponse: false,
  };
  const counters = { linksCreated: 0, linksDeleted: 0, requests: 0 };
  let syncDeletes: number[] = [];
  let webhookTarget = options.webhook;
  const sender = createWebhookSender(() =>
    webhookTarget ? { attempts: 6, retryDelayMs: 2_000, ...webhookTarget } : undefined,
  );
  const credentials = Buffer.from(
    `Basic ${Buffer.from(`${options.secretId}:${options.secretPassword}`).toString('base64')}`,
  );

  async function sendWebhooks(link: EmulatedLink) {
    if (webhooks.drop) return;
    const event = (type: 'EMPLOYMENTS' | 'OWNERS', data: Record<string, number>) => ({
      webhook_id: randomBytes(16).toString('hex'),
      webhook_type: type,
      process_type: 'historical_update',
      webhook_code: 'historical_update',
      link_id: link.id,
      request_id: randomUUID(),
      external_id: link.external_id,
      data,
    });
    let events = [
      event('EMPLOYMENTS', { total_employments: link.employments.length }),
      event('OWNERS', { total_owners: link.owners.length }),
    ];
    if (webhooks.ownersFirst) events = events.reverse();
    if (webhooks.duplicate) events = events.flatMap((payload) => [payload, payload]);
    await Promise.all(events.map((payload) => sender.send(payload)));
  }

  /** What PILA holds for this person becomes readable, then Belvo announces it. */
  async function completeExtraction(link: EmulatedLink) {
    const person = personFor(link.cedula);
    const readAt = pilaAsOf();
    const collectedAt = readAt.toISOString();
    link.employments = [
      ...person
        .employments(latestPilaMonth(readAt))
        .map((spec) => toBelvoEmployment(spec, { id: randomUUID(), link: link.id }, collectedAt)),
      ...(person.unreadableRecords ?? []),
    ];
    link.owners = [
      {
        id: randomUUID(),
        link: link.id,
        internal_identification: randomBytes(4).toString('hex'),
        collected_at: collectedAt,
        created_at: collectedAt,
        display_name: person.displayName,
        email: null,
        phone_number: null,
        address: null,
        document_id: { document_type: 'CC', document_number: link.cedula },
        business_name: null,
        first_name: null,
        last_name: null,
        second_last_name: null,
      },
    ];
    link.last_accessed_at = collectedAt;
    await sendWebhooks(link);
  }

  function later(ms: number, run: () => Promise<void>) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run().catch(() => {});
    }, ms);
    timers.add(timer);
  }

  function page(c: Context, records: unknown[]) {
    const pageNumber = Math.max(1, Number(c.req.query('page') ?? 1) || 1);
    const pageSize = Math.min(
      1000,
      Math.max(1, Number(c.req.query('page_size') ?? options.pageSize ?? 100) || 100),
    );
    const start = (pageNumber - 1) * pageSize;
    const url = new URL(c.req.url);
    const linkTo = (target: number) => {
      const next = new URL(url);
      next.searchParams.set('page', String(target));
      return next.toString();
    };
    return c.json({
      count: records.length,
      next: start + pageSize < records.length ? linkTo(pageNumber + 1) : null,
      previous: pageNumber > 1 ? linkTo(pageNumber - 1) : null,
      results: records.slice(start, start + pageSize),
    });
  }

  const app = new Hono();

  app.use('/api/*', async (c, next) => {
    counters.requests++;
    const given = Buffer.from(c.req.header('authorization') ?? '');
    if (given.length !== credentials.length || !timingSafeEqual(given, credentials)) {
      return belvoError(c, 401, 'authentication_failed', 'Invalid Secret Keys');
    }
    const path = new URL(c.req.url).pathname;
    const fault = faults.find(
      (candidate) =>
        candidate.remaining > 0 && candidate.method === c.req.method && path.startsWith(candidate.pathPrefix),
    );
    if (fault) {
      fault.remaining--;
      return belvoError(c, fault.status, fault.code, fault.message);
    }
    await next();
    const slow = slowResponses.find(
      (candidate) =>
        candidate.remaining > 0 && candidate.method === c.req.method && path.startsWith(candidate.pathPrefix),
    );
    if (slow) {
      // The work is done; only the answer is late (a client that times out or dies never sees it).
      slow.remaining--;
      await new Promise((resolve) => setTimeout(resolve, slow.delayMs));
    }
  });

  app.post('/api/links/', async (c) => {
    let body: Record<string, unknown>;
    try {
      body = await c.req.json();
    } catch {
      return belvoError(c, 400, 'invalid', 'JSON parse error', 'non_field_errors');
    }
    if (!body.institution) return belvoError(c, 400, 'required', 'This field is required.', 'institution');
    if (body.institution !== 'pila_co_employment') {
      return belvoError(
        c,
        400,
        'does_not_exist',
        `Object with name=${String(body.institution)} does not exist.`,
        'institution',
      );
    }
    if (typeof body.username !== 'string' || body.username === '') {
      return belvoError(c, 400, 'required', 'This field is required.', 'username');
    }
    const accessMode = body.access_mode ?? 'recurrent';
    const resources = (body.fetch_resources as string[] | undefined) ?? ['EMPLOYMENTS', 'OWNERS'];
    if (!resources.every((resource) => resource === 'EMPLOYMENTS' || resource === 'OWNERS')) {
      return belvoError(
        c,
        400,
        'invalid',
        'The institution only supports the following resources: OWNERS, EMPLOYMENTS',
        'resources',
      );
    }
    const storage =
      (body.credentials_storage as string | undefined) ?? (accessMode === 'single' ? '365d' : 'store');
    if (!/^(store|nostore|\d{1,3}d)$/.test(storage))
      return belvoError(c, 400, 'invalid', 'Invalid value.', 'credentials_storage');
    if (accessMode === 'recurrent' && storage !== 'store') {
      return belvoError(c, 400, 'invalid_credentials_storage', 'Recurrent links must store the credentials');
    }
    if (storage === 'nostore' && resources.length === 0) {
      return belvoError(
        c,
        400,
        'invalid_fetch_resources',
        'Single links without stored credentials must fetch resources',
      );
    }
    const externalId = typeof body.external_id === 'string' ? body.external_id : null;
    if (externalId !== null && (externalId.length < 3 || externalId.length > 256)) {
      return belvoError(
        c,
        400,
        'invalid',
        'Ensure this field has between 3 and 256 characters.',
        'external_id',
      );
    }

    const person = personFor(body.username);
    const failedSoFar = failedCreationsByCedula.get(person.cedula) ?? 0;
    if (person.failedLinkCreations && failedSoFar < person.failedLinkCreations) {
      failedCreationsByCedula.set(person.cedula, failedSoFar + 1);
      return belvoError(
        c,
        500,
        'unexpected_error',
        'Belvo is unable to process the request due to an internal system issue or to an unsupported response from an institution',
      );
    }
    if (person.linkError) return belvoError(c, 400, person.linkError.code, person.linkError.message);

    const link: EmulatedLink = {
      id: randomUUID(),
      institution: 'pila_co_employment',
      access_mode: String(accessMode),
      external_id: externalId && !looksLikePii(externalId) ? externalId : null,
      status: 'valid',
      created_at: now().toISOString(),
      last_accessed_at: null,
      institution_user_id: randomBytes(33).toString('base64url').slice(0, 44),
      created_by: '00000000-0000-4000-8000-000000000000',
      refresh_rate: null,
      credentials_storage: storage,
      fetch_resources: resources,
      stale_in: typeof body.stale_in === 'string' ? body.stale_in : '365d',
      cedula: person.cedula,
      employments: [],
      owners: [],
    };
    links.set(link.id, link);
    counters.linksCreated++;
    if (webhooks.beforeLinkResponse) {
      await completeExtraction(link);
    } else {
      later(person.extractionMs ?? options.extractionMs ?? 3_000, () => completeExtraction(link));
    }
    return c.json(publicLink(link), 201);
  });

  app.get('/api/links/', (c) => {
    const externalId = c.req.query('external_id');
    const institution = c.req.query('institution');
    const matching = [...links.values()]
      .filter(
        (link) =>
          (externalId === undefined || link.external_id === externalId) &&
          (institution === undefined || link.institution === institution),
      )
      .map(publicLink);
    return page(c, matching);
  });

  app.get('/api/links/:id/', (c) => {
    const link = links.get(c.req.param('id'));
    return link ? c.json(publicLink(link)) : belvoError(c, 404, 'not_found', 'Not found');
  });

  app.delete('/api/links/:id/', (c) => {
    const link = links.get(c.req.param('id'));
    if (!link) return belvoError(c, 404, 'not_found', 'Not found');
    if (c.req.header('x-belvo-request-mode') === 'async') {
      const id = randomUUID();
      links.delete(link.id);
      counters.linksDeleted++;
      later(options.extractionMs ?? 3_000, () =>
        sender.send({
          webhook_id: randomBytes(16).toString('hex'),
          webhook_type: 'LINK',
          webhook_code: 'link_deleted',
          link_id: link.id,
          request_id: id,
          external_id: link.external_id,
          data: {},
        }),
      );
      return c.json({ request_id: id }, 202);
    }
    const minuteAgo = now().getTime() - 60_000;
    syncDeletes = syncDeletes.filter((at) => at > minuteAgo);
    if (syncDeletes.length >= 5) return c.body(null, 429);
    syncDeletes.push(now().getTime());
    links.delete(link.id);
    counters.linksDeleted++;
    return c.body(null, 204);
  });

  const readResource = (resource: 'employments' | 'owners') => (c: Context) => {
    const linkId = c.req.query('link');
    if (!linkId) return belvoError(c, 400, 'required', 'This field is required.', 'link');
    const link = links.get(linkId);
    // Before the extraction ends Belvo returns empty or incomplete results.
    return page(c, link ? link[resource] : []);
  };
  app.get('/api/co/employments/', readResource('employments'));
  app.get('/api/owners/', readResource('owners'));

  app.notFound((c) => belvoError(c, 404, 'not_found', 'Not found'));

  let server: ReturnType<typeof serve> | undefined;

  return {
    app,
    counters,
    webhooks,
    deliveries: sender.deliveries,
    links,
    /** The next `count` requests matching method and path prefix answer with this Belvo error. */
    failNext(fault: {
      method: string;
      pathPrefix: string;
      count: number;
      status: number;
      code: string;
      message?: string;
    }) {
      faults.push({ ...fault, remaining: fault.count, message: fault.message ?? 'Injected by the emulator' });
    },
    /** The next `count` matching requests are carried out, but answered only after `delayMs`. */
    answerLate(slow: { method: string; pathPrefix: string; count: number; delayMs: number }) {
      slowResponses.push({ ...slow, remaining: slow.count });
    },
    clearFaults() {
      faults.length = 0;
      slowResponses.length = 0;
    },
    setWebhookTarget(target: EmulatorOptions['webhook']) {
      webhookTarget = target;
    },
    async listen(): Promise<string> {
      server = await new Promise((resolve, reject) => {
        const listening = serve(
          { fetch: app.fetch, port: options.port ?? 0, hostname: options.host ?? '127.0.0.1' },
          () => resolve(listening),
        );
        listening.once('error', reject);
      });
      return `http://${options.host ?? '127.0.0.1'}:${(server!.address() as AddressInfo).port}`;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await sender.stop();
      await new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}

export type BelvoEmulator = ReturnType<typeof createBelvoEmulator>;
