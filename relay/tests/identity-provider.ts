/**
 * A real OpenID provider for the sign-in tests (`oidc-provider`, on 127.0.0.1): one client for the
 * relay, a few people, logins decided by the test (no form to fill), and a switch that re-signs the
 * ID tokens it issues with another audience or issuer, to prove the relay checks them.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TokenResponse } from '@lupa/contract';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import ky from 'ky';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** `groups` absent: the provider sends no groups claim for this person (as Google does). */
export type Person = { email: string; email_verified?: boolean; name: string; groups?: string[] };

export const CLIENT_ID = 'lupa-relay';
export const CLIENT_SECRET = 'un-secreto-de-prueba';

/** Someone the tests sign in: admitted by the tests' domain rule, in the `lupa` group. */
export const ANA: Person = {
  email: 'ana@banco.com.co',
  email_verified: true,
  name: 'Ana Ríos',
  groups: ['lupa'],
};

/**
 * `relayPort`: where the relay will listen, whose /auth/callback is the client's redirect URI.
 * `setUp`: 'first-party' (the default here) grants Lupa's scopes without a consent screen and issues
 * refresh tokens whatever the prompt; 'default' is oidc-provider as shipped, which follows OpenID
 * Connect Core §11 (no refresh token for offline_access without prompt=consent) and asks for consent.
 */
export async function startIdentityProvider(options: {
  relayPort: number;
  setUp?: 'first-party' | 'default';
}) {
  const firstParty = (options.setUp ?? 'first-party') === 'first-party';
  const callbackUrl = `http://127.0.0.1:${options.relayPort}/auth/callback`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const people = new Map<string, Person>();
  let nextLogin: string | undefined;
  let tamper: Record<string, unknown> | undefined;
  let consentsGiven = 0;

  // The issuer is known only once the server listens: listen first, then build the provider.
  const { createServer } = await import('node:http');
  let handler:
    | ((req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void)
    | undefined;
  const server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [callbackUrl],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: [jwk as never] },
    async findAccount(_ctx, id) {
      const person = people.get(id);
      // The lender's directory vouches for its people's addresses unless a test says otherwise.
      return person
        ? { accountId: id, claims: async () => ({ sub: id, email_verified: true, ...person }) }
        : undefined;
    },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'offline_access', 'groups'],
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    conformIdTokenClaims: false,
    ...(firstParty && {
      // A first-party client: refresh tokens without a consent prompt, claims in the ID token.
      issueRefreshToken: async () => true,
      async loadExistingGrant(ctx: KoaContextWithOIDC) {
        const grant = new ctx.oidc.provider.Grant({
          clientId: ctx.oidc.client!.clientId,
          accountId: ctx.oidc.session!.accountId!,
        });
        grant.addOIDCScope('openid email profile offline_access groups');
        grant.addOIDCClaims(['email', 'email_verified', 'name', 'groups']);
        await grant.save();
        return grant;
      },
    }),
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['clave-de-cookies-de-prueba'] },
  });

  provider.use(async (ctx, next) => {
    if (ctx.path.startsWith('/interaction/')) {
      // Whoever the test chose signs in, as if they had typed their password, and consents to what
      // Lupa asks for when the provider asks (its default set-up).
      if (!nextLogin) throw new Error('the test did not say who signs in');
      const interaction = await provider.interactionDetails(ctx.req, ctx.res);
      ctx.respond = false;
      if (interaction.prompt.name === 'consent') {
        consentsGiven += 1;
        const details = interaction.prompt.details as {
          missingOIDCScope?: string[];
          missingOIDCClaims?: string[];
        };
        const grant = interaction.grantId
          ? (await provider.Grant.find(interaction.grantId))!
          : new provider.Grant({
              accountId: interaction.session!.accountId,
              clientId: String(interaction.params.client_id),
            });
        if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
        if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
        const grantId = await grant.save();
        await provider.interactionFinished(
          ctx.req,
          ctx.res,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        );
        return;
      }
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: nextLogin } });
      return;
    }
    await next();
    if (
      tamper &&
      ctx.path === '/token' &&
      ctx.body &&
      typeof ctx.body === 'object' &&
      'id_token' in ctx.body
    ) {
      const body = ctx.body as { id_token: string };
      body.id_token = await new SignJWT({ ...decodeJwt(body.id_token), ...tamper })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .sign(privateKey);
    }
  });
  handler = provider.callback();

  return {
    issuer,
    relayPort: options.relayPort,
    people,
    /** How many consent screens people went through (the default set-up asks). */
    consentsGiven: () => consentsGiven,
    signInAs(id: string) {
      nextLogin = id;
    },
    /** Claims to overwrite in every ID token from now on (undefined: stop). */
    tamperIdTokens(claims: Record<string, unknown> | undefined) {
      tamper = claims;
    },
    /** An ID token for `accountId` minted by this provider, as another application would hold it. */
    idTokenFor(accountId: string, audience: string) {
      return new SignJWT({ sub: accountId, ...people.get(accountId) })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type IdentityProvider = Awaited<ReturnType<typeof startIdentityProvider>>;

/** The relay's environment for signing in with `idp`, on the port the provider was started for. */
export function signInEnv(
  idp: IdentityProvider,
  extra: { redirectUris: string; allowedDomains: string } & Record<string, string>,
): Record<string, string> {
  const { redirectUris, allowedDomains, ...rest } = extra;
  return {
    PORT: String(idp.relayPort),
    RELAY_PUBLIC_URL: `http://127.0.0.1:${idp.relayPort}`,
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URIS: redirectUris,
    OIDC_ALLOWED_DOMAINS: allowedDomains,
    OIDC_SCOPES: 'openid email profile groups offline_access',
    ...rest,
  };
}

/**
 * Follows a sign-in through the browser's redirects, keeping cookies per origin, until it reaches the
 * extension's redirect URL (what launchWebAuthFlow hands back) or a page that is no redirect.
 */
export async function followRedirects(start: string, stopAt: string): Promise<{ url: URL; status: number }> {
  const jar = new Map<string, Map<string, string>>();
  let url = new URL(start);
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(stopAt)) return { url, status: 302 };
    const cookies = jar.get(url.origin) ?? new Map<string, string>();
    const response = await fetch(url, {
      redirect: 'manual',
      headers: cookies.size
        ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') }
        : {},
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = pair!.split('=');
      cookies.set(name!.trim(), value.join('='));
    }
    jar.set(url.origin, cookies);
    const location = response.headers.get('location');
    await response.arrayBuffer();
    if (response.status < 300 || response.status >= 400 || !location) return { url, status: response.status };
    url = new URL(location, url);
  }
  throw new Error('too many redirects');
}

/**
 * The extension's side of sign-in, played the way identity.launchWebAuthFlow does it: its own PKCE
 * pair and state, the redirects followed, the code read off the extension's redirect URL.
 */
export function extensionSignIn(relayUrl: string, idp: IdentityProvider, extensionRedirect: string) {
  const auth = ky.create({ prefixUrl: `${relayUrl}/auth`, throwHttpErrors: false, retry: 0 });

  async function signIn(who: string) {
    idp.signInAs(who);
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const start = new URL(`${relayUrl}/auth/sign-in`);
    start.searchParams.set('redirect_uri', extensionRedirect);
    start.searchParams.set('state', state);
    start.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
    start.searchParams.set('code_challenge_method', 'S256');
    const landed = await followRedirects(start.href, extensionRedirect);
    return { landed: landed.url, verifier, state };
  }

  /** Signs `who` in and trades the code for tokens; throws when any step is refused. */
  async function tokensFor(who: string): Promise<TokenResponse> {
    const { landed, verifier, state } = await signIn(who);
    const code = landed.searchParams.get('code');
    if (landed.searchParams.get('state') !== state || !code)
      throw new Error(`sign-in of ${who} did not reach the extension with a code: ${landed.href}`);
    const response = await auth.post('token', {
      json: { grant_type: 'authorization_code', code, code_verifier: verifier },
    });
    if (response.status !== 200)
      throw new Error(`token answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  const refresh = (refreshToken: string) =>
    auth.post('token', { json: { grant_type: 'refresh_token', refresh_token: refreshToken } });

  return { auth, signIn, tokensFor, refresh };
}
