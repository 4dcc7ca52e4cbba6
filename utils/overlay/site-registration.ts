/**
 * The overlay's content script runs only where the analyst enabled it and granted access, plus the
 * build's development origins (LUPA_DEV_ORIGINS). The background keeps the registration in step with
 * settings and permissions; the installed extension touches no other site.
 */
import { browser } from 'wxt/browser';
import { withoutPort } from './match-patterns.js';

declare const __LUPA_DEV_ORIGINS__: string[];

/** Match patterns granted at build time for development and tests (empty in store builds). */
export const DEV_ORIGINS: string[] = __LUPA_DEV_ORIGINS__;
export const CRM_SCRIPT_ID = 'lupa-crm-overlay';
const CRM_SCRIPT_FILE = 'content-scripts/crm.js';

/** The development origins and the enabled CRM sites the analyst granted access to. */
export async function grantedCrmPatterns(enabledPatterns: string[]): Promise<string[]> {
  const granted: string[] = [];
  for (const pattern of enabledPatterns) {
    if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  return [...new Set([...DEV_ORIGINS, ...granted])];
}

/** What the content script is registered for: sites saved with a port by an earlier release too. */
export function contentScriptMatches(patterns: string[]): string[] {
  return [...new Set(patterns.map(withoutPort))];
}

/**
 * Whether a page's URL falls under a match pattern (`https://*.lightning.force.com/*`,
 * `http://127.0.0.1:8789/*`, `http://127.0.0.1/*`): scheme, host with an optional `*.` prefix, and
 * the port when the pattern names one. Only the origin matters here; every pattern's path is `/*`.
 */
export function originMatches(url: string, pattern: string): boolean {
  const parsed = /^(\*|https?):\/\/(\*|(?:\*\.)?[^/:*]+)(?::(\d+))?\//.exec(pattern);
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (!parsed) return false;
  const [, scheme, host, port] = parsed as unknown as [string, string, string, string | undefined];
  const protocol = target.protocol.slice(0, -1);
  if (scheme === '*' ? protocol !== 'http' && protocol !== 'https' : protocol !== scheme) return false;
  if (port !== undefined && target.port !== port) return false;
  if (host === '*') return true;
  if (host.startsWith('*.')) {
    const domain = host.slice(2);
    return target.hostname === domain || target.hostname.endsWith(`.${domain}`);
  }
  return target.hostname === host;
}

export async function syncCrmContentScript(enabledPatterns: string[]): Promise<string[]> {
  const patterns = await grantedCrmPatterns(enabledPatterns);
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [CRM_SCRIPT_ID] });
  if (patterns.length === 0) {
    if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CRM_SCRIPT_ID] });
    return patterns;
  }
  const script = {
    id: CRM_SCRIPT_ID,
    matches: contentScriptMatches(patterns),
    js: [CRM_SCRIPT_FILE],
    runAt: 'document_idle' as const,
    persistAcrossSessions: true,
  };
  if (existing.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return patterns;
}
