/**
 * What the extension may reach, in one place: the manifest is built from it and the packaging tests
 * check the built manifests against it.
 */

export const FIREFOX_ADDON_ID = 'lupa@lupa-credito.co';

/**
 * Relays and CRMs are the lender's own hosts, unknown at build time, so they are optional host
 * permissions asked for one origin at a time. Plain http only on the analyst's own machine.
 */
export const storeHostPatterns = ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'];

/**
 * Extension pages load only their own code; they talk to the relay over https (or the analyst's own
 * machine) and to nothing else, and cannot be turned into a form post or a plugin host.
 */
export function extensionCsp(devRelayOrigins: string[]): string {
  const relays = ['https:', 'http://127.0.0.1:*', 'http://localhost:*', ...devRelayOrigins];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `connect-src 'self' ${[...new Set(relays)].join(' ')}`,
    "img-src 'self' data:",
    "style-src 'self'",
  ].join('; ');
}
