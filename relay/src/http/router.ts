/**
 * Every router of the relay is made here, with one validation hook: a request that fails its schema is
 * refused with `invalid_request` and one message format, unless the router names a more precise code
 * for some issues (a cédula, the consent, a period).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';

export type PreciseRefusal = (issues: z.core.$ZodIssue[], c: Context<AppEnv>) => ApiError | undefined;

export function contractRefusal(issues: z.core.$ZodIssue[]): ApiError {
  const detail = issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`).join('; ');
  return new ApiError(400, 'invalid_request', `The request does not match the contract: ${detail}`);
}

export function createRouter(precise?: PreciseRefusal): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (result.success) return;
      throw precise?.(result.error.issues, c as Context<AppEnv>) ?? contractRefusal(result.error.issues);
    },
  });
}
