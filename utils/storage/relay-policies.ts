/**
 * The relay's policies as its /v1/me last reported them, so the popup follows the relay's reuse window
 * instead of a copy of its default. Unknown until the background has read /v1/me once.
 */
import type { Me } from '@lupa/contract';
import { browser } from 'wxt/browser';

export type RelayPolicies = NonNullable<Me['policies']>;

export const RELAY_POLICIES_KEY = 'relayPolicies';

export async function loadRelayPolicies(): Promise<RelayPolicies | undefined> {
  return (await browser.storage.local.get(RELAY_POLICIES_KEY))[RELAY_POLICIES_KEY] as
    | RelayPolicies
    | undefined;
}

/** An older relay that does not report its policies clears what an earlier one said. */
export async function saveRelayPolicies(policies: RelayPolicies | undefined): Promise<void> {
  if (policies) await browser.storage.local.set({ [RELAY_POLICIES_KEY]: policies });
  else await browser.storage.local.remove(RELAY_POLICIES_KEY);
}

/**
 * How old a cached ready result may be and still stand in for a new lookup: the relay's reuse window.
 * Unknown policies give none, so the request goes to the relay, which applies its own window.
 */
export function freshLookupWindowMs(policies: RelayPolicies | undefined): number | undefined {
  return policies ? policies.reuseWindowHours * 3_600_000 : undefined;
}
