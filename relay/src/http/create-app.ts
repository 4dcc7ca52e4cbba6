import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { isAllowedOrigin } from '../config.js';
import type { LookupService } from '../lookups/lookup-service.js';
import type { RelayContext } from '../relay-context.js';
import { isStoreUnavailable } from '../store/store-errors.js';
import { ApiError, CLOSE_AFTER_REFUSING_BODY } from './api-error.js';
import type { AppEnv } from './app-env.js';
import { lookupsRoutes } from './lookups-routes.js';
import { operationsRoutes } from './operations-routes.js';
import { webhooksRoutes } from './webhooks-routes.js';

const API_MAX_BYTES = 16 * 1024;

const limitApiBody = bodyLimit({
  maxSize: API_MAX_BYTES,
  onError: () => {
    throw new ApiError(
      413,
      'payload_too_large',
      'Request bodies are limited to 16 KB',
      CLOSE_AFTER_REFUSING_BODY,
    );
  },
});

export function createApp(ctx: RelayContext, lookups: LookupService) {
  const app = new Hono<AppEnv>();
  const { logger, metrics, config } = ctx;

  // Ids and route patterns only: query strings (a cédula in ?cedula=) never reach a log line.
  app.use('*', async (c, next) => {
    const requestId = randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    const route = c.req.routePath;
    const seconds = (performance.now() - started) / 1000;
    metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.httpDuration.observe({ route }, seconds);
    if (route !== '/healthz' && route !== '/metrics') {
      logger.info(
        { requestId, method: c.req.method, route, status: c.res.status, ms: Math.round(seconds * 1000) },
        'request',
      );
    }
  });

  app.use(
    '/v1/*',
    async (c, next) => {
      // A web page (a CRM, say) must not drive the relay even with a stolen token.
      const origin = c.req.header('origin');
      if (origin && !isAllowedOrigin(config.allowedOrigins, origin)) {
        throw new ApiError(403, 'forbidden_origin', `Origin ${origin} is not in RELAY_ALLOWED_ORIGINS`);
      }
      await next();
    },
    cors({
      origin: (origin) => (isAllowedOrigin(config.allowedOrigins, origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'DELETE'],
      allowHeaders: ['authorization', 'content-type'],
      exposeHeaders: ['retry-after', 'x-request-id'],
      maxAge: 600,
    }),
    // Only for requests with a body: reading `body` on a GET makes @hono/node-server build a full web
    // Request with a stream, which cost each waiting long-poll about 15 KB.
    async (c, next) => (c.req.method === 'POST' ? limitApiBody(c, next) : next()),
  );

  app.route('/v1', lookupsRoutes(ctx.store, lookups));
  app.route('/webhooks', webhooksRoutes(ctx));
  app.route('/', operationsRoutes(ctx));

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: 'No such endpoint', requestId: c.get('requestId') } }, 404),
  );
  app.onError((error, c) => {
    const requestId = c.get('requestId') ?? randomUUID();
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json({ error: { code: error.code, message: error.message, requestId } }, error.status);
    }
    if (isStoreUnavailable(error)) {
      logger.warn({ requestId, err: (error as Error).message }, 'database unavailable');
      c.header('retry-after', '2');
      return c.json(
        {
          error: {
            code: 'store_unavailable',
            message: "The relay's database does not answer right now; try again in a moment",
            requestId,
          },
        },
        503,
      );
    }
    logger.error(
      { requestId, err: error instanceof Error ? error.message : String(error) },
      'unhandled error',
    );
    return c.json(
      {
        error: {
          code: 'internal_error',
          message: 'The relay failed; the request id helps the operator',
          requestId,
        },
      },
      500,
    );
  });
  return app;
}
