/**
 * /openapi.json, generated from the route definitions themselves (createRoute in each route module),
 * with the contract's zod schemas as components. Nothing here lists paths: a route is in the document
 * because it is in the router (relay/tests/operations.test.ts compares the two).
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { ApiErrorBodySchema } from '@lupa/contract';
import type { z } from 'zod';
import type { AppEnv } from './app-env.js';

export const jsonContent = <Schema extends z.ZodType>(schema: Schema) => ({
  'application/json': { schema },
});

type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429 | 503;

/** The contract's error body under each status, described by the codes it can carry. */
export function errorResponses<Statuses extends ErrorStatus>(codes: Record<Statuses, string>) {
  return Object.fromEntries(
    Object.entries(codes).map(([status, description]) => [
      status,
      { description: description as string, content: jsonContent(ApiErrorBodySchema) },
    ]),
  ) as Record<
    Statuses,
    { description: string; content: ReturnType<typeof jsonContent<typeof ApiErrorBodySchema>> }
  >;
}

export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>): Record<string, unknown> {
  app.openAPIRegistry.registerComponent('securitySchemes', 'analystToken', {
    type: 'http',
    scheme: 'bearer',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'belvoWebhook', {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
  });
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Lupa relay',
      version: '1.0.0',
      description: 'PILA employment history through Belvo, for Lupa analysts.',
    },
  }) as unknown as Record<string, unknown>;
}
