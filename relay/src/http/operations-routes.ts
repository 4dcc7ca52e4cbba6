import { Hono } from 'hono';
import type { RelayContext } from '../relay-context.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';
import { buildOpenApiDocument } from './openapi-document.js';

export function operationsRoutes(ctx: RelayContext) {
  const routes = new Hono<AppEnv>();
  const openApi = buildOpenApiDocument();
  routes.get('/healthz', (c) => c.json({ status: 'ok' }));
  routes.get('/readyz', async (c) => {
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
    return c.json({ status: 'ready' });
  });
  routes.get('/metrics', async (c) =>
    c.body(await ctx.metrics.registry.metrics(), 200, { 'content-type': ctx.metrics.registry.contentType }),
  );
  routes.get('/openapi.json', (c) => c.json(openApi));
  return routes;
}
