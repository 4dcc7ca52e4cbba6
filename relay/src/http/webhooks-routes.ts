/**
 * Belvo's webhooks. The event is committed (fsynced) with its processing job before we answer 2xx, so
 * Belvo's delivery is never lost; processing happens after the answer (webhooks/webhook-intake.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { BelvoWebhookSchema } from '../belvo/belvo-types.js';
import type { RelayContext } from '../relay-context.js';
import { createWebhookIntake } from '../webhooks/webhook-intake.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';
import { limitBodyTo } from './body-limit.js';
import { errorResponses, jsonContent } from './openapi-document.js';
import { createRouter } from './router.js';

export const WEBHOOK_MAX_BYTES = 1024 * 1024;

/** Compares digests so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given ?? ''), digest(expected)) && given !== undefined;
}

const WebhookAnswerSchema = z.object({ received: z.literal(true), duplicate: z.boolean() });

export function webhooksRoutes(ctx: RelayContext) {
  const routes = createRouter();
  const { metrics } = ctx;
  const intake = createWebhookIntake(ctx);

  const authorize = createMiddleware<AppEnv>(async (c, next) => {
    if (!sameSecret(c.req.header('authorization'), ctx.config.webhookAuthorization)) {
      metrics.webhooksReceived.inc({ outcome: 'unauthorized' });
      throw new ApiError(401, 'unauthorized', 'The webhook Authorization header does not match');
    }
    await next();
  });
  const limitSize = limitBodyTo(WEBHOOK_MAX_BYTES, {
    what: 'Webhook bodies',
    onRefused: () => metrics.webhooksReceived.inc({ outcome: 'too_large' }),
  });

  const belvoWebhook = createRoute({
    method: 'post',
    path: '/belvo',
    summary: "Belvo's webhooks",
    security: [{ belvoWebhook: [] }],
    // Checked in this order: the Authorization header, the size, then the body. The body is described
    // here as JSON Schema rather than handed to a validator: Belvo does not document its Content-Type,
    // and a webhook refused for its media type would be lost.
    middleware: [authorize, limitSize] as const,
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: z.toJSONSchema(BelvoWebhookSchema, { io: 'input' }) as object },
        },
      },
    },
    responses: {
      200: {
        description: 'Stored (or a duplicate of one stored)',
        content: jsonContent(WebhookAnswerSchema),
      },
      ...errorResponses({
        400: 'invalid_json or invalid_request',
        401: 'unauthorized',
        413: 'payload_too_large',
      }),
    },
  });

  routes.openapi(belvoWebhook, async (c) => {
    const text = await c.req.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      metrics.webhooksReceived.inc({ outcome: 'invalid' });
      throw new ApiError(400, 'invalid_json', 'The webhook body is not valid JSON');
    }
    const parsed = BelvoWebhookSchema.safeParse(json);
    if (!parsed.success) {
      metrics.webhooksReceived.inc({ outcome: 'invalid' });
      throw new ApiError(400, 'invalid_request', 'The webhook has no webhook_id');
    }
    const stored = await intake.store(parsed.data, text);
    metrics.webhooksReceived.inc({ outcome: stored ? 'stored' : 'duplicate' });
    return c.json({ received: true as const, duplicate: !stored }, 200);
  });
  return routes;
}
