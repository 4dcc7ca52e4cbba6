import { CreateLookupRequestSchema, LongPollQuerySchema } from '@lupa/contract';
import { parseCedula } from '@lupa/contract/cedula';
import { Hono } from 'hono';
import type { LookupService } from '../lookups/lookup-service.js';
import type { Store } from '../store/open-store.js';
import { requireAnalyst } from './analyst-auth.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';
import { readJsonBody } from './read-json-body.js';

const consentRequired = () =>
  new ApiError(400, 'consent_required', "Record the applicant's consent: consent.granted must be true");

const CEDULA_RULE = 'The cédula must have 3 to 10 digits and not start with 0 (dots and spaces are fine)';

function requireCedula(raw: unknown): string {
  const parsed = parseCedula(typeof raw === 'string' ? raw : '');
  if (!parsed.ok) throw new ApiError(400, 'invalid_cedula', CEDULA_RULE);
  return parsed.cedula;
}

export function lookupsRoutes(store: Store, lookups: LookupService) {
  const routes = new Hono<AppEnv>();
  routes.use('*', requireAnalyst(store));

  routes.post('/lookups', async (c) => {
    const body = await readJsonBody(c);
    const cedula = requireCedula((body as { cedula?: unknown } | null)?.cedula);
    const parsed = CreateLookupRequestSchema.safeParse(body);
    if (!parsed.success) {
      const consentMissing = parsed.error.issues.some(
        (issue) => issue.path[0] === 'consent' && issue.path[1] !== 'reference',
      );
      if (consentMissing) {
        throw consentRequired();
      }
      const detail = parsed.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      throw new ApiError(400, 'invalid_request', `The request does not match the contract: ${detail}`);
    }
    if (parsed.data.consent.granted !== true) {
      throw consentRequired();
    }
    const outcome = await lookups.createLookup(c.get('analyst'), {
      cedula,
      consentReference: parsed.data.consent.reference || undefined,
      force: parsed.data.force ?? false,
    });
    return c.json(outcome.lookup, outcome.kind === 'reused' ? 200 : 202);
  });

  routes.get('/lookups', async (c) => {
    const cedula = requireCedula(c.req.query('cedula'));
    return c.json({ lookups: await lookups.listLookupsOfCedula(c.get('analyst').id, cedula) });
  });

  routes.get('/lookups/:id', async (c) => {
    const query = LongPollQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      throw new ApiError(
        400,
        'invalid_request',
        'sinceVersion must be a whole number ≥ 0 and waitSeconds 1 to 30',
      );
    }
    const { sinceVersion, waitSeconds } = query.data;
    const analystId = c.get('analyst').id;
    if (waitSeconds === undefined) return c.json(await lookups.getLookup(analystId, c.req.param('id')));
    const lookup = await lookups.waitForLookup(
      analystId,
      c.req.param('id'),
      sinceVersion ?? 0,
      waitSeconds * 1000,
      c.req.raw.signal,
    );
    return c.json(lookup);
  });

  routes.get('/lookups/:id/report', async (c) =>
    c.json(await lookups.getReport(c.get('analyst').id, c.req.param('id'))),
  );

  routes.delete('/lookups/:id', async (c) => {
    await lookups.deleteLookup(c.get('analyst').id, c.req.param('id'));
    return c.json({ deleted: true as const, id: c.req.param('id') });
  });

  routes.get('/me', async (c) => c.json(await lookups.me(c.get('analyst'))));

  return routes;
}
