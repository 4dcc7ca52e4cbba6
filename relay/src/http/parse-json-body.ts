import { createMiddleware } from 'hono/factory';
import { ApiError } from './api-error.js';

/**
 * Parses a JSON body before the route's schema sees it, so a body that is not JSON gets its own code
 * (invalid_json) rather than a schema failure. Hono keeps the parsed body for the validator.
 */
export const parseJsonBody = createMiddleware(async (c, next) => {
  try {
    await c.req.json();
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid JSON');
  }
  await next();
});
