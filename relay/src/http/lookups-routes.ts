/**
 * The analyst's surface (/v1). Each route is declared once: its path, its validation and its document
 * in /openapi.json come from the same createRoute definition and the contract's schemas.
 */
import { createRoute } from '@hono/zod-openapi';
import {
  CreateLookupRequestSchema,
  DeletedSchema,
  LongPollQuerySchema,
  LookupListSchema,
  LookupSchema,
  MeSchema,
  PersonRequestSchema,
  ReportSchema,
} from '@lupa/contract';
import { parseCedula } from '@lupa/contract/cedula';
import { z } from 'zod';
import type { LookupService } from '../lookups/lookup-service.js';
import { type RelayAuth, requireAnalyst } from './analyst-auth.js';
import { ApiError } from './api-error.js';
import { errorResponses, jsonContent } from './openapi-document.js';
import { parseJsonBody } from './parse-json-body.js';
import { actingAs, onlyFor } from './role-guard.js';
import { contractRefusal, createRouter } from './router.js';

const CEDULA_RULE = 'The cédula must have 3 to 10 digits and not start with 0 (dots and spaces are fine)';
const security = [{ analystToken: [] }];
const LookupIdParams = z.object({ id: z.string() });

/** Which stable code a request that fails its schema gets: the cédula first, then consent. */
function refusalOf(issues: z.core.$ZodIssue[]): ApiError | undefined {
  if (issues.some((issue) => issue.path[0] === 'cedula')) {
    return new ApiError(400, 'invalid_cedula', CEDULA_RULE);
  }
  if (issues.some((issue) => issue.path[0] === 'consent' && issue.path[1] !== 'reference')) {
    return new ApiError(
      400,
      'consent_required',
      "Record the applicant's consent: consent.granted must be true",
    );
  }
  return undefined;
}

const createLookup = createRoute({
  method: 'post',
  path: '/lookups',
  summary: 'Start a lookup (or reuse a recent one)',
  security,
  middleware: [onlyFor('analyst'), parseJsonBody] as const,
  request: { body: { required: true, content: jsonContent(CreateLookupRequestSchema) } },
  responses: {
    200: { description: 'A ready lookup of the same cédula was reused', content: jsonContent(LookupSchema) },
    202: {
      description: 'A new lookup is under way (or joined one already running)',
      content: jsonContent(LookupSchema),
    },
    ...errorResponses({
      400: 'invalid_json, invalid_request, invalid_cedula or consent_required',
      401: 'unauthorized',
      403: 'forbidden_role',
      413: 'payload_too_large',
      415: 'unsupported_media_type (send application/json)',
      429: 'daily_limit_reached (with Retry-After)',
    }),
  },
});

const listLookups = createRoute({
  method: 'post',
  path: '/lookups/search',
  summary: "The analyst's lookups of a cédula, newest first (the cédula in the body: never in a URL)",
  security,
  middleware: [onlyFor('analyst'), parseJsonBody] as const,
  request: { body: { required: true, content: jsonContent(PersonRequestSchema) } },
  responses: {
    200: { description: 'Lookups', content: jsonContent(LookupListSchema) },
    ...errorResponses({ 400: 'invalid_cedula or invalid_json', 401: 'unauthorized', 403: 'forbidden_role' }),
  },
});

const getLookup = createRoute({
  method: 'get',
  path: '/lookups/{id}',
  summary: 'A lookup; long-polls with waitSeconds and sinceVersion',
  security,
  // Checked in the handler, not as middleware: see the route below.
  request: { params: LookupIdParams, query: LongPollQuerySchema },
  responses: {
    200: { description: 'The lookup', content: jsonContent(LookupSchema) },
    ...errorResponses({
      400: 'invalid_request',
      401: 'unauthorized',
      403: 'forbidden_role',
      404: 'lookup_not_found',
      429: 'too_many_waits (with Retry-After): more long-polls open than MAX_WAITS_PER_ANALYST',
    }),
  },
});

const getReport = createRoute({
  method: 'get',
  path: '/lookups/{id}/report',
  summary: "Belvo's owners and employments as received",
  security,
  middleware: [onlyFor('analyst')] as const,
  request: { params: LookupIdParams },
  responses: {
    200: { description: 'The report', content: jsonContent(ReportSchema) },
    ...errorResponses({
      401: 'unauthorized',
      403: 'forbidden_role',
      404: 'lookup_not_found',
      409: 'not_ready',
      410: 'report_purged',
    }),
  },
});

const deleteLookup = createRoute({
  method: 'delete',
  path: '/lookups/{id}',
  summary: 'Delete the report and ask Belvo to delete the link (habeas data)',
  security,
  middleware: [onlyFor('analyst')] as const,
  request: { params: LookupIdParams },
  responses: {
    200: { description: 'Deleted', content: jsonContent(DeletedSchema) },
    ...errorResponses({ 401: 'unauthorized', 403: 'forbidden_role', 404: 'lookup_not_found' }),
  },
});

const getMe = createRoute({
  method: 'get',
  path: '/me',
  summary: 'The analyst, their usage and the policies that concern them',
  security,
  responses: {
    200: { description: 'Me', content: jsonContent(MeSchema) },
    ...errorResponses({ 401: 'unauthorized' }),
  },
});

export function lookupsRoutes(auth: RelayAuth, lookups: LookupService) {
  const routes = createRouter(refusalOf);
  routes.use('*', requireAnalyst(auth));

  routes.openapi(createLookup, async (c) => {
    const body = c.req.valid('json');
    const parsed = parseCedula(body.cedula);
    if (!parsed.ok) throw new ApiError(400, 'invalid_cedula', CEDULA_RULE);
    const outcome = await lookups.createLookup(c.get('analyst'), {
      cedula: parsed.cedula,
      consentReference: body.consent.reference || undefined,
      force: body.force ?? false,
    });
    return outcome.kind === 'reused' ? c.json(outcome.lookup, 200) : c.json(outcome.lookup, 202);
  });

  routes.openapi(listLookups, async (c) => {
    const parsed = parseCedula(c.req.valid('json').cedula);
    if (!parsed.ok) throw new ApiError(400, 'invalid_cedula', CEDULA_RULE);
    return c.json({ lookups: await lookups.listLookupsOfCedula(c.get('analyst').id, parsed.cedula) }, 200);
  });

  // A long-poll holds its request up to 30 s, thousands at once, and each validator middleware keeps a
  // suspended frame for that long (5,000 waits: 237–249 MB with them, 224 MB without). So this route
  // is documented from its definition as the others are, and validated from that same definition's
  // schemas inside its handler.
  routes.openAPIRegistry.registerPath(getLookup);
  routes.get('/lookups/:id', async (c) => {
    const analystId = actingAs(c, 'analyst').id;
    const query = getLookup.request.query.safeParse(c.req.query());
    if (!query.success) throw refusalOf(query.error.issues) ?? contractRefusal(query.error.issues);
    const id = c.req.param('id');
    const { sinceVersion, waitSeconds } = query.data;
    if (waitSeconds === undefined) return c.json(await lookups.getLookup(analystId, id), 200);
    const lookup = await lookups.waitForLookup(
      analystId,
      id,
      sinceVersion ?? 0,
      waitSeconds * 1000,
      c.req.raw.signal,
    );
    return c.json(lookup, 200);
  });

  routes.openapi(getReport, async (c) =>
    c.json(await lookups.getReport(c.get('analyst').id, c.req.valid('param').id), 200),
  );

  routes.openapi(deleteLookup, async (c) => {
    const { id } = c.req.valid('param');
    await lookups.deleteLookup(c.get('analyst').id, id);
    return c.json({ deleted: true as const, id }, 200);
  });

  routes.openapi(getMe, async (c) => c.json(await lookups.me(c.get('analyst')), 200));

  return routes;
}
