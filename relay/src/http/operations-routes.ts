import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import type { RelayContext } from '../relay-context.js';
import { ApiError } from './api-error.js';
import { errorResponses, jsonContent } from './openapi-document.js';
import { createRouter } from './router.js';

const StatusSchema = z.object({ status: z.string() });

const healthz = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness',
  responses: { 200: { description: 'Alive', content: jsonContent(StatusSchema) } },
});

const readyz = createRoute({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: the store answers and changes from other nodes are heard',
  responses: {
    200: { description: 'Ready', content: jsonContent(StatusSchema) },
    ...errorResponses({ 503: 'store_unavailable' }),
  },
});

const openApiRoute = createRoute({
  method: 'get',
  path: '/openapi.json',
  summary: 'This document',
  responses: { 200: { description: 'OpenAPI 3.1', content: jsonContent(z.record(z.string(), z.unknown())) } },
});

export function operationsRoutes(ctx: RelayContext, openApiDocument: () => Record<string, unknown>) {
  const routes = createRouter();
  routes.openapi(healthz, (c) => c.json({ status: 'ok' }, 200));
  routes.openapi(readyz, async (c) => {
    try {
      await ctx.store.ping();
    } catch {
      throw new ApiError(503, 'store_unavailable', 'The database does not answer');
    }
    if (!ctx.notifier.isListening()) {
      throw new ApiError(
        503,
        'store_unavailable',
        'Not listening for changes from other nodes; long-polls here would answer late',
      );
    }
    return c.json({ status: 'ready' }, 200);
  });
  routes.openapi(openApiRoute, (c) => c.json(openApiDocument(), 200));
  return routes;
}
