/**
 * What the team's supervisors, data-protection officer and admins do at the relay (/v1):
 * - supervisor, admin: the team's usage (`GET /usage`);
 * - data-protection officer: a person's audit trail and the erasure of their data (`POST /people/…`,
 *   the cédula in the body, never in a URL);
 * - admin: the analysts, their roles, and revoking them.
 */
import { createRoute } from '@hono/zod-openapi';
import {
  AnalystListSchema,
  AnalystSchema,
  PersonAuditSchema,
  PersonErasedSchema,
  PersonRequestSchema,
  SetRolesRequestSchema,
  UsageQuerySchema,
  UsageSchema,
} from '@lupa/contract';
import { parseCedula } from '@lupa/contract/cedula';
import { z } from 'zod';
import type { AnalystAdmin } from '../analysts/analyst-admin.js';
import { teamUsage } from '../analysts/team-usage.js';
import { erasePerson } from '../extractions/erasure.js';
import { personAudit } from '../privacy/person-audit.js';
import type { RelayContext } from '../relay-context.js';
import { type Analyst, listAnalysts } from '../store/queries/analysts-queries.js';
import { appendActionAudit } from '../store/queries/audit-log-queries.js';
import { requireAnalyst } from './analyst-auth.js';
import { ApiError } from './api-error.js';
import { errorResponses, jsonContent } from './openapi-document.js';
import { parseJsonBody } from './parse-json-body.js';
import { actingAs, onlyFor } from './role-guard.js';
import { createRouter } from './router.js';

const security = [{ analystToken: [] }];
const AnalystIdParams = z.object({ id: z.string() });
const PERIOD_RULE = 'from and to are Bogotá days (YYYY-MM-DD), from on or before to, 366 days at most';

const getUsage = createRoute({
  method: 'get',
  path: '/usage',
  summary: "The team's usage per analyst and Bogotá day (supervisor, admin)",
  security,
  middleware: [onlyFor('supervisor', 'admin')] as const,
  request: { query: UsageQuerySchema },
  responses: {
    200: { description: 'Usage', content: jsonContent(UsageSchema) },
    ...errorResponses({ 400: 'invalid_period', 401: 'unauthorized', 403: 'forbidden_role' }),
  },
});

const auditOfPerson = createRoute({
  method: 'post',
  path: '/people/audit',
  summary: 'Who consulted this person, when, and with what consent (data-protection officer)',
  security,
  middleware: [onlyFor('dpo'), parseJsonBody] as const,
  request: { body: { required: true, content: jsonContent(PersonRequestSchema) } },
  responses: {
    200: { description: 'The audit trail', content: jsonContent(PersonAuditSchema) },
    ...errorResponses({ 400: 'invalid_json or invalid_cedula', 401: 'unauthorized', 403: 'forbidden_role' }),
  },
});

const erasePersonRoute = createRoute({
  method: 'post',
  path: '/people/erase',
  summary: "Erase everything about a person on the titular's request, Ley 1581 (data-protection officer)",
  security,
  middleware: [onlyFor('dpo'), parseJsonBody] as const,
  request: { body: { required: true, content: jsonContent(PersonRequestSchema) } },
  responses: {
    200: { description: 'Erased', content: jsonContent(PersonErasedSchema) },
    ...errorResponses({ 400: 'invalid_json or invalid_cedula', 401: 'unauthorized', 403: 'forbidden_role' }),
  },
});

const listTeam = createRoute({
  method: 'get',
  path: '/analysts',
  summary: 'Everyone with access, their roles, and who was revoked (admin)',
  security,
  middleware: [onlyFor('admin')] as const,
  responses: {
    200: { description: 'Analysts', content: jsonContent(AnalystListSchema) },
    ...errorResponses({ 401: 'unauthorized', 403: 'forbidden_role' }),
  },
});

const setRoles = createRoute({
  method: 'post',
  path: '/analysts/{id}/roles',
  summary: "Replace an analyst's roles (admin)",
  security,
  middleware: [onlyFor('admin'), parseJsonBody] as const,
  request: {
    params: AnalystIdParams,
    body: { required: true, content: jsonContent(SetRolesRequestSchema) },
  },
  responses: {
    200: { description: 'The analyst', content: jsonContent(AnalystSchema) },
    ...errorResponses({
      400: 'invalid_json or invalid_request',
      401: 'unauthorized',
      403: 'forbidden_role, or own_roles_unchangeable: nobody changes their own roles',
      409: "roles_managed_by_identity_provider: this person's roles follow the identity provider's groups",
      404: 'analyst_not_found',
    }),
  },
});

const revokeTeamMember = createRoute({
  method: 'post',
  path: '/analysts/{id}/revoke',
  summary: 'Revoke an analyst: their tokens and sessions stop working at once (admin)',
  security,
  middleware: [onlyFor('admin')] as const,
  request: { params: AnalystIdParams },
  responses: {
    200: { description: 'The analyst', content: jsonContent(AnalystSchema) },
    ...errorResponses({ 401: 'unauthorized', 403: 'forbidden_role', 404: 'analyst_not_found' }),
  },
});

const viewOf = (analyst: Analyst) => ({
  id: analyst.id,
  name: analyst.name,
  roles: analyst.roles,
  rolesSource: analyst.roles_source,
  tokenExpiresAt: analyst.token_expires_at,
  createdAt: analyst.created_at,
  revokedAt: analyst.revoked_at,
});

function cedulaOf(value: string): string {
  const parsed = parseCedula(value);
  if (!parsed.ok)
    throw new ApiError(400, 'invalid_cedula', 'The cédula must have 3 to 10 digits and not start with 0');
  return parsed.cedula;
}

export function teamRoutes(ctx: RelayContext, analysts: AnalystAdmin) {
  const { db } = ctx.store;
  const routes = createRouter((_issues, c) =>
    c.req.routePath.endsWith('/usage') ? new ApiError(400, 'invalid_period', PERIOD_RULE) : undefined,
  );
  routes.use('*', requireAnalyst(ctx));

  routes.openapi(getUsage, async (c) => {
    const reader = actingAs(c, 'supervisor', 'admin');
    const { from, to } = c.req.valid('query');
    const usage = await teamUsage(db, from, to);
    if (!usage) throw new ApiError(400, 'invalid_period', PERIOD_RULE);
    await appendActionAudit(db, 'usage_read', reader.id, ctx.now().toISOString(), {
      detail: { from: usage.from, to: usage.to },
    });
    return c.json(usage, 200);
  });

  routes.openapi(auditOfPerson, async (c) => {
    const officer = actingAs(c, 'dpo');
    return c.json(await personAudit(ctx, cedulaOf(c.req.valid('json').cedula), { by: officer.id }), 200);
  });

  routes.openapi(erasePersonRoute, async (c) => {
    const officer = actingAs(c, 'dpo');
    const erased = await erasePerson(ctx, cedulaOf(c.req.valid('json').cedula), { by: officer.id });
    return c.json({ extractionsErased: erased }, 200);
  });

  routes.openapi(listTeam, async (c) => c.json({ analysts: (await listAnalysts(db)).map(viewOf) }, 200));

  routes.openapi(setRoles, async (c) => {
    const admin = actingAs(c, 'admin');
    const { roles } = c.req.valid('json');
    return c.json(viewOf(await analysts.setRoles(c.req.valid('param').id, roles, admin.id)), 200);
  });

  routes.openapi(revokeTeamMember, async (c) => {
    const admin = actingAs(c, 'admin');
    return c.json(viewOf(await analysts.revoke(c.req.valid('param').id, admin.id)), 200);
  });

  return routes;
}
