/**
 * The one message protocol between extension contexts, named by direction. What a message may do is
 * decided by who sent it: extension pages (popup, options, the overlay frame) versus content scripts
 * running inside CRM pages, which may only ask for the overlay to be mounted.
 */

/** The port the popup holds open, so the background knows the analyst is looking (no notification). */
export const POPUP_PORT = 'lupa-popup';

/** Popup, options and overlay pages → background. */
export type PageToBackground =
  | { type: 'lookup.start'; cedula: string; consentReference?: string; force?: boolean }
  | { type: 'lookup.delete'; lookupId: string }
  | { type: 'relay.test' };

/** A CRM page's content script → background: mounting the panel is all it can ask for. */
export type ContentToBackground = { type: 'overlay.mount'; cedula: string };

/** Background → extension pages, broadcast when a lookup changed (they re-read the cache). */
export type BackgroundToPages = {
  type: 'lookup.changed';
  lookupId: string;
  status: 'pending' | 'ready' | 'failed';
};

export type FailureReply = { ok: false; error: { code: string; detail?: string } };

export type ReplyTo<M extends PageToBackground | ContentToBackground> = M extends { type: 'lookup.start' }
  ? { ok: true; lookupId: string; status: 'pending' | 'ready' | 'failed' } | FailureReply
  : M extends { type: 'lookup.delete' }
    ? { ok: true } | FailureReply
    : M extends { type: 'relay.test' }
      ? { ok: true; name: string; used: number; limit: number } | FailureReply
      : M extends { type: 'overlay.mount' }
        ? { ok: true; frameUrl: string } | FailureReply
        : never;

export type SenderKind = 'extension-page' | 'content-script' | 'foreign';

/** Who sent a message, judged from what the browser says about the sender, never from the message. */
export function senderKindOf(
  sender: { id?: string; url?: string; tab?: unknown },
  extension: { id: string; baseUrl: string },
): SenderKind {
  if (sender.id !== extension.id) return 'foreign';
  // The overlay frame lives in a CRM tab but is our own page: its URL, not its tab, decides.
  return sender.url?.startsWith(extension.baseUrl) ? 'extension-page' : 'content-script';
}

const PAGE_TYPES = new Set<string>(['lookup.start', 'lookup.delete', 'relay.test']);
const CONTENT_TYPES = new Set<string>(['overlay.mount']);

export function isAllowed(
  kind: SenderKind,
  message: unknown,
): message is PageToBackground | ContentToBackground {
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return false;
  if (kind === 'extension-page') return PAGE_TYPES.has(type);
  if (kind === 'content-script') return CONTENT_TYPES.has(type);
  return false;
}
