/**
 * Payroll-agreement batches (/v1/batches): create one from a list of rows, follow it (long-poll like
 * lookups), cancel it, and download what became of each row.
 */
import { createRoute } from '@hono/zod-openapi';
import { BatchCreatedSchema, BatchSchema, CreateBatchRequestSchema } from '@lupa/contract';
import { z } from 'zod';
import type { BatchService } from '../batches/batch-service.js';
import { type RelayAuth, requireAnalyst } from './analyst-auth.js';
import { errorResponses, jsonContent } from './openapi-document.js';
import { parseJsonBody } from './parse-json-body.js';
import { onlyFor } from './role-guard.js';
import { createRouter } from './router.js';

const security = [{ analystToken: [] }];
const BatchIdParams = z.object({ id: z.string() });

const createBatch = createRoute({
  method: 'post',
  path: '/batches',
  summary: 'Look up a list of applicants, each with their own consent reference',
  security,
  middleware: [onlyFor('analyst'), parseJsonBody] as const,
  request: { body: { required: true, content: jsonContent(CreateBatchRequestSchema) } },
  responses: {
    201: {
      description: 'The batch runs its good rows; the bad ones are listed with line and reason',
      content: jsonContent(BatchCreatedSchema),
    },
    ...errorResponses({
      400: 'invalid_json, invalid_request (more than 1,000 rows, or a row of the wrong shape) or batch_without_valid_rows',
      401: 'unauthorized',
      403: 'forbidden_role',
      413: 'payload_too_large',
    }),
  },
});

const getBatch = createRoute({
  method: 'get',
  path: '/batches/{id}',
  summary: 'A batch and each row; long-polls with waitSeconds and sinceVersion',
  security,
  middleware: [onlyFor('analyst')] as const,
  request: {
    params: BatchIdParams,
    query: z.object({
      sinceVersion: z.string().max(100).optional(),
      waitSeconds: z.coerce.number().int().min(1).max(30).optional(),
    }),
  },
  responses: {
    200: { description: 'The batch', content: jsonContent(BatchSchema) },
    ...errorResponses({
      400: 'invalid_request',
      401: 'unauthorized',
      403: 'forbidden_role',
      404: 'batch_not_found',
      429: 'too_many_waits (with Retry-After): more long-polls open than MAX_WAITS_PER_ANALYST',
    }),
  },
});

const cancelBatch = createRoute({
  method: 'post',
  path: '/batches/{id}/cancel',
  summary: 'Stop a batch: rows not started are not looked up and not charged',
  security,
  middleware: [onlyFor('analyst')] as const,
  request: { params: BatchIdParams },
  responses: {
    200: { description: 'The batch after cancelling', content: jsonContent(BatchSchema) },
    ...errorResponses({ 401: 'unauthorized', 403: 'forbidden_role', 404: 'batch_not_found' }),
  },
});

const batchResults = createRoute({
  method: 'get',
  path: '/batches/{id}/results.csv',
  summary: 'One line per row: its status, error code and lookup (semicolons, UTF-8 with BOM)',
  security,
  middleware: [onlyFor('analyst')] as const,
  request: { params: BatchIdParams },
  responses: {
    200: { description: 'The results', content: { 'text/csv': { schema: z.string() } } },
    ...errorResponses({ 401: 'unauthorized', 403: 'forbidden_role', 404: 'batch_not_found' }),
  },
});

export function batchesRoutes(auth: RelayAuth, batches: BatchService) {
  const routes = createRouter();
  routes.use('*', requireAnalyst(auth));

  routes.openapi(createBatch, async (c) =>
    c.json(await batches.create(c.get('analyst'), c.req.valid('json')), 201),
  );

  routes.openapi(getBatch, async (c) => {
    const { id } = c.req.valid('param');
    const { sinceVersion, waitSeconds } = c.req.valid('query');
    const analystId = c.get('analyst').id;
    if (waitSeconds === undefined || sinceVersion === undefined)
      return c.json(await batches.get(analystId, id), 200);
    return c.json(await batches.wait(analystId, id, sinceVersion, waitSeconds * 1000, c.req.raw.signal), 200);
  });

  routes.openapi(cancelBatch, async (c) =>
    c.json(await batches.cancel(c.get('analyst').id, c.req.valid('param').id), 200),
  );

  routes.openapi(batchResults, async (c) => {
    const csv = await batches.resultsCsv(c.get('analyst').id, c.req.valid('param').id);
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="lupa-lote-${c.req.valid('param').id}.csv"`,
    });
  });

  return routes;
}
