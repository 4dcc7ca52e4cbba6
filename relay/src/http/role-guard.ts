/**
 * Which role each route needs. Checked after the token (401 first) and before the body is read or
 * validated, so a person without the role learns nothing from the answer but that.
 */
import type { Role } from '@lupa/contract';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Analyst } from '../store/queries/analysts-queries.js';
import { ApiError } from './api-error.js';
import type { AppEnv } from './app-env.js';

const ROLE_NAMES: Record<Role, string> = {
  analyst: 'analyst',
  supervisor: 'supervisor',
  dpo: 'data-protection officer',
  admin: 'admin',
};

/** The signed-in person, if they hold one of `roles`. */
export function actingAs(c: Context<AppEnv>, ...roles: Role[]): Analyst {
  const analyst = c.get('analyst');
  if (!roles.some((role) => analyst.roles.includes(role))) {
    const names = roles.map((role) => ROLE_NAMES[role]).join(' or ');
    throw new ApiError(403, 'forbidden_role', `This needs the role ${names}`);
  }
  return analyst;
}

/** The same check as route middleware, for routes declared with createRoute. */
export const onlyFor = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    actingAs(c, ...roles);
    await next();
  });
