/**
 * A sign-in in flight, kept by nobody: sealed (AES-256-GCM under the relay's key, so neither read nor
 * forged) into the `state` the provider hands back at the callback, with its own expiry. So an
 * anonymous GET /auth/sign-in costs the relay a sealing and no database write, however many arrive.
 */
import type { DataProtector } from '../privacy/data-protector.js';

export type SignInState = {
  /** The ID token's expected nonce, and the PKCE verifier towards the provider. */
  nonce: string;
  codeVerifier: string;
  /** The extension's redirect URL, its state and its own PKCE challenge. */
  redirectUri: string;
  clientState: string;
  clientChallenge: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
};

const FIELD = { table: 'sign_in_state', column: 'provider_state', id: 'in_flight' } as const;

export function sealSignInState(protector: DataProtector, state: SignInState): string {
  return protector.sealJson(state, FIELD);
}

/** The state, or undefined when it was not sealed by this relay (or its previous keys) or has expired. */
export function openSignInState(
  protector: DataProtector,
  sealed: string,
  now: Date,
): SignInState | undefined {
  let state: SignInState;
  try {
    state = protector.openJson<SignInState>(sealed, FIELD);
  } catch {
    return undefined;
  }
  return state.expiresAt > now.getTime() ? state : undefined;
}
