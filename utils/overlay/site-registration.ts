/**
 * The overlay's content script runs only where the analyst enabled it and granted access, plus the
 * build's development origins (LUPA_DEV_ORIGINS). The background keeps the registration in step with
 * settings and permissions; the installed extension touches no other site.
 */
import { browser } from 'wxt/browser';

declare const __LUPA_DEV_ORIGINS__: string[];

/** Match patterns granted at build time for development and tests (empty in store builds). */
export const DEV_ORIGINS: string[] = __LUPA_DEV_ORIGINS__;
export const CRM_SCRIPT_ID = 'lupa-crm-overlay';
const CRM_SCRIPT_FILE = 'content-scripts/crm.js';

export async function syncCrmContentScript(enabledPatterns: string[]): Promise<string[]> {
  const granted: string[] = [];
  for (const pattern of enabledPatterns) {
    if (await browser.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const matches = [...new Set([...DEV_ORIGINS, ...granted])];
  const existing = await browser.scripting.getRegisteredContentScripts({ ids: [CRM_SCRIPT_ID] });
  if (matches.length === 0) {
    if (existing.length > 0) await browser.scripting.unregisterContentScripts({ ids: [CRM_SCRIPT_ID] });
    return matches;
  }
  const script = {
    id: CRM_SCRIPT_ID,
    matches,
    js: [CRM_SCRIPT_FILE],
    runAt: 'document_idle' as const,
    persistAcrossSessions: true,
  };
  if (existing.length > 0) await browser.scripting.updateContentScripts([script]);
  else await browser.scripting.registerContentScripts([script]);
  return matches;
}

/** A custom site as the analyst types it (`https://prestamos.banco.com.co`) → its match pattern. */
export function patternOfOrigin(input: string): string | undefined {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return `${url.origin}/*`;
  } catch {
    return undefined;
  }
}
