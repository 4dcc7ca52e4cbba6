/** The OpenAPI document of the v1 contract, generated from the same zod schemas both sides import. */
import { z } from 'zod';
import '@lupa/contract';

const json = (ref: string) => ({ 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } });
const errorResponse = (description: string) => ({ description, content: json('ApiError') });
const bearer = [{ analystToken: [] }];

export function buildOpenApiDocument(): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}` });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lupa relay',
      version: '1.0.0',
      description: 'PILA employment history through Belvo, for Lupa analysts.',
    },
    components: {
      schemas,
      securitySchemes: {
        analystToken: { type: 'http', scheme: 'bearer' },
        belvoWebhook: { type: 'apiKey', in: 'header', name: 'Authorization' },
      },
    },
    paths: {
      '/v1/lookups': {
        post: {
          summary: 'Start a lookup (or reuse a recent one)',
          security: bearer,
          requestBody: { required: true, content: json('CreateLookupRequest') },
          responses: {
            200: { description: 'A ready lookup of the same cédula was reused', content: json('Lookup') },
            202: {
              description: 'A new lookup is under way (or joined one already running)',
              content: json('Lookup'),
            },
            400: errorResponse('invalid_json, invalid_request, invalid_cedula or consent_required'),
            401: errorResponse('unauthorized'),
            429: errorResponse('daily_limit_reached (with Retry-After)'),
          },
        },
        get: {
          summary: "The analyst's lookups of a cédula, newest first",
          security: bearer,
          parameters: [{ name: 'cedula', in: 'query', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'Lookups', content: json('LookupList') },
            400: errorResponse('invalid_cedula'),
          },
        },
      },
      '/v1/lookups/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          summary: 'A lookup; long-polls with waitSeconds and sinceVersion',
          security: bearer,
          parameters: [
            { name: 'sinceVersion', in: 'query', schema: { type: 'integer', minimum: 0 } },
            { name: 'waitSeconds', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 30 } },
          ],
          responses: {
            200: { description: 'The lookup', content: json('Lookup') },
            404: errorResponse('lookup_not_found'),
          },
        },
        delete: {
          summary: 'Delete the report and ask Belvo to delete the link (habeas data)',
          security: bearer,
          responses: {
            200: { description: 'Deleted', content: json('Deleted') },
            404: errorResponse('lookup_not_found'),
          },
        },
      },
      '/v1/lookups/{id}/report': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          summary: "Belvo's owners and employments as received",
          security: bearer,
          responses: {
            200: { description: 'The report', content: json('Report') },
            409: errorResponse('not_ready'),
            410: errorResponse('report_purged'),
          },
        },
      },
      '/v1/me': {
        get: {
          summary: 'The analyst and their usage',
          security: bearer,
          responses: { 200: { description: 'Me', content: json('Me') } },
        },
      },
      '/webhooks/belvo': {
        post: {
          summary: "Belvo's webhooks",
          security: [{ belvoWebhook: [] }],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', required: ['webhook_id'] } } },
          },
          responses: {
            200: { description: 'Stored (or a duplicate of one stored)' },
            400: errorResponse('invalid_json or invalid_request'),
            401: errorResponse('unauthorized'),
            413: errorResponse('payload_too_large'),
          },
        },
      },
      '/healthz': { get: { summary: 'Liveness', responses: { 200: { description: 'Alive' } } } },
      '/readyz': {
        get: {
          summary: 'Readiness: the store answers',
          responses: { 200: { description: 'Ready' }, 503: errorResponse('not ready') },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { 200: { description: 'text/plain exposition format' } },
        },
      },
    },
  };
}
