/**
 * Match patterns for CRM sites, without a port. Firefox reads a port in a host permission or a
 * content-script match as part of the host name, so `http://127.0.0.1:8789/*` is granted and
 * registered but never matches a page and the overlay never mounts. A site is therefore enabled as
 * its scheme and host; Chrome ignores the port the same way.
 */
export function withoutPort(pattern: string): string {
  return pattern.replace(/^([a-z*]+:\/\/[^/:]+):\d+\//, '$1/');
}
