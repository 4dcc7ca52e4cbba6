/**
 * Sign-in with the lender's identity provider (/auth), for the extension's "Iniciar sesión":
 * /auth/sign-in and /auth/callback are browser navigations inside identity.launchWebAuthFlow;
 * /auth/token and /auth/sign-out are the extension's own requests. See sign-in-service.ts.
 */
import { createRoute } from '@hono/zod-openapi';
import { SignOutRequestSchema, TokenRequestSchema, TokenResponseSchema } from '@lupa/contract';
import { z } from 'zod';
import type { SignInService } from '../sign-in/sign-in-service.js';
import { ApiError } from './api-error.js';
import { errorResponses, jsonContent } from './openapi-document.js';
import { parseJsonBody } from './parse-json-body.js';
import { createRouter } from './router.js';

const signIn = createRoute({
  method: 'get',
  path: '/sign-in',
  summary: "Start signing in: redirects to the identity provider (the extension's launchWebAuthFlow)",
  request: {
    query: z.object({
      redirect_uri: z.string().describe("The extension's redirect URL, one of OIDC_REDIRECT_URIS."),
      state: z.string(),
      code_challenge: z.string().describe("The extension's PKCE challenge (S256)."),
      code_challenge_method: z.literal('S256'),
    }),
  },
  responses: {
    302: { description: "To the identity provider's sign-in page" },
    ...errorResponses({ 400: 'invalid_request', 404: 'sign_in_not_configured', 503: 'sign_in_unavailable' }),
  },
});

const callback = createRoute({
  method: 'get',
  path: '/callback',
  summary: "The identity provider's answer: redirects to the extension with a one-time code (or an error)",
  responses: {
    302: { description: "To the extension's redirect URL, with code and state, or error=access_denied" },
    ...errorResponses({ 400: 'invalid_request', 404: 'sign_in_not_configured', 503: 'sign_in_unavailable' }),
  },
});

const token = createRoute({
  method: 'post',
  path: '/token',
  summary:
    'The one-time code and PKCE verifier, or a refresh token → an access token and a new refresh token',
  middleware: [parseJsonBody] as const,
  request: { body: { required: true, content: jsonContent(TokenRequestSchema) } },
  responses: {
    200: { description: 'Tokens', content: jsonContent(TokenResponseSchema) },
    ...errorResponses({
      400: 'invalid_request or invalid_grant',
      401: 'session_revoked (also when a spent refresh token is presented again) or session_expired',
      404: 'sign_in_not_configured',
      503: 'sign_in_unavailable',
    }),
  },
});

const signOut = createRoute({
  method: 'post',
  path: '/sign-out',
  summary: '"Cerrar sesión": ends the session of this refresh token, at the relay and at the provider',
  middleware: [parseJsonBody] as const,
  request: { body: { required: true, content: jsonContent(SignOutRequestSchema) } },
  responses: {
    200: { description: 'Signed out', content: jsonContent(z.object({ signedOut: z.literal(true) })) },
    ...errorResponses({ 400: 'invalid_request', 404: 'sign_in_not_configured' }),
  },
});

/** `service`: undefined on a relay without an identity provider, which then says so on every route. */
export function signInRoutes(service: SignInService | undefined) {
  const routes = createRouter();
  function configured() {
    if (!service)
      throw new ApiError(404, 'sign_in_not_configured', 'This relay has no identity provider (OIDC_ISSUER)');
    return service;
  }
  // Before any validation: a relay without an identity provider says so, whatever was sent.
  routes.use('*', async (_c, next) => {
    configured();
    await next();
  });
  routes.openapi(signIn, async (c) => {
    const query = c.req.valid('query');
    const target = await configured().start({
      redirectUri: query.redirect_uri,
      state: query.state,
      codeChallenge: query.code_challenge,
      codeChallengeMethod: query.code_challenge_method,
    });
    return c.redirect(target.toString(), 302);
  });

  routes.openapi(callback, async (c) => {
    const target = await configured().callback(new URL(c.req.url).searchParams);
    return c.redirect(target.toString(), 302);
  });

  routes.openapi(token, async (c) => {
    const body = c.req.valid('json');
    const tokens = await (body.grant_type === 'authorization_code'
      ? configured().token(body.code, body.code_verifier)
      : configured().refresh(body.refresh_token));
    return c.json(
      {
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        token_type: 'Bearer' as const,
        expires_in: tokens.expiresIn,
      },
      200,
    );
  });

  routes.openapi(signOut, async (c) => {
    await configured().signOut(c.req.valid('json').refresh_token);
    return c.json({ signedOut: true as const }, 200);
  });

  return routes;
}
