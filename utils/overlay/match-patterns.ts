/**
 * Match patterns for CRM sites, without a port. Firefox's match patterns take no port (MDN: the host
 * "must not include a port number"): `http://127.0.0.1:8789/*` is granted and registered, but never
 * matches a page, so the overlay never mounted. A site is therefore enabled as its scheme and host,
 * which Chrome and Firefox both match on every port.
 */
export function withoutPort(pattern: string): string {
  return pattern.replace(/^([a-z*]+:\/\/[^/:]+):\d+\//, '$1/');
}

/**
 * A custom site as the analyst types it (`https://prestamos.banco.com.co:8443`) → its match pattern,
 * without the port (see match-patterns.ts). One host only: a wildcard (`https://*`, `*.banco.com`)
 * would grant Lupa every site, or every subdomain, and is refused.
 */
export function patternOfOrigin(input: string): string | undefined {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    if (url.hostname.includes('*') || url.hostname === '') return undefined;
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return undefined;
  }
}
