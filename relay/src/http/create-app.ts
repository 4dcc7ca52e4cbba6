import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import { isAllowedOrigin } from '../config.js';
import type { RelayContext, RelayServices } from '../relay-context.js';
import { isStoreUnavailable } from '../store/store-errors.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';
import { batchesRoutes } from './batches-routes.js';
import { limitBodyTo } from './body-limit.js';
import { lookupsRoutes } from './lookups-routes.js';
import { buildOpenApiDocument } from './openapi-document.js';
import { operationsRoutes } from './operations-routes.js';
import { refusalAsApiError } from './refusal-status.js';
import { signInRoutes } from './sign-in-routes.js';
import { teamRoutes } from './team-routes.js';
import { webhooksRoutes } from './webhooks-routes.js';

const API_MAX_BYTES = 16 * 1024;
/** A batch of 1,000 rows with their consent references fits comfortably. */
const BATCH_MAX_BYTES = 256 * 1024;

/** Errors from below the routes, given their HTTP form here and nowhere else. */
function asApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  const refused = refusalAsApiError(error);
  if (refused) return refused;
  // The route validator's media-type gate: a body that is not declared as JSON.
  if (error instanceof HTTPException && error.status === 415) {
    return new ApiError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  return undefined;
}

const limitApiBody = limitBodyTo(API_MAX_BYTES);
const limitBatchBody = limitBodyTo(BATCH_MAX_BYTES);

export function createApp(ctx: RelayContext, services: RelayServices) {
  const app = new OpenAPIHono<AppEnv>();
  const { logger, metrics, config } = ctx;

  // Ids and route patterns only: no query string or body (where a cédula travels) reaches a log line.
  app.use('*', async (c, next) => {
    const requestId = randomUUID();
    c.set('requestId', requestId);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    // Reports are personal data: no browser or proxy cache may keep any answer, and none is sniffed.
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
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

  // A web page (a CRM, say) must not drive the relay even with a stolen token.
  const fromAllowedOrigins = createMiddleware<AppEnv>(async (c, next) => {
    const origin = c.req.header('origin');
    if (origin && !isAllowedOrigin(config.allowedOrigins, origin)) {
      // Not echoed: the message would carry whatever the request claimed to be.
      throw new ApiError(
        403,
        'forbidden_origin',
        'This origin may not call the relay (RELAY_ALLOWED_ORIGINS)',
      );
    }
    await next();
  });
  const corsPolicy = cors({
    origin: (origin) => (isAllowedOrigin(config.allowedOrigins, origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'DELETE'],
    allowHeaders: ['authorization', 'content-type'],
    exposeHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });
  // Only for requests with a body: reading `body` on a GET makes @hono/node-server build a full web
  // Request with a stream, which cost each waiting long-poll about 15 KB.
  const bodyLimits = createMiddleware<AppEnv>(async (c, next) =>
    c.req.method !== 'POST'
      ? next()
      : c.req.path === '/v1/batches'
        ? limitBatchBody(c, next)
        : limitApiBody(c, next),
  );
  app.use('/v1/*', fromAllowedOrigins, corsPolicy, bodyLimits);
  // Sign-in: its navigations carry no Origin; the extension's token requests come from its own.
  app.use('/auth/*', fromAllowedOrigins, corsPolicy, bodyLimits);

  let openApiDocument: Record<string, unknown> | undefined;
  app.route('/v1', lookupsRoutes(ctx, services.lookups));
  app.route('/v1', batchesRoutes(ctx, services.batches));
  app.route('/v1', teamRoutes(ctx, services.analysts));
  app.route('/auth', signInRoutes(services.signIn));
  app.route('/webhooks', webhooksRoutes(ctx));
  // Generated on first request, once every route above is registered.
  app.route(
    '/',
    operationsRoutes(ctx, () => (openApiDocument ??= buildOpenApiDocument(app))),
  );

  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: 'No such endpoint', requestId: c.get('requestId') } }, 404),
  );
  app.onError((error, c) => {
    const requestId = c.get('requestId') ?? randomUUID();
    const apiError = asApiError(error);
    if (apiError) {
      for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
      return c.json(
        { error: { code: apiError.code, message: apiError.message, requestId } },
        apiError.status,
      );
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
