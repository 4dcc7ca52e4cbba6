/**
 * The one message protocol between extension contexts, named by direction. What a message may do is
 * decided by who sent it: extension pages (popup, options, the overlay frame) may message the
 * background; a content script running inside a CRM page may not, and only mounts the overlay frame.
 */

import type { CachedLookup, CachedReport } from './lookup-cache.js';

/** The port the popup holds open, so the background knows the analyst is looking (no notification). */
export const POPUP_PORT = 'lupa-popup';

/** Popup, options and overlay pages → background. */
export type PageToBackground =
  | { type: 'lookup.start'; cedula: string; consentReference?: string; force?: boolean }
  /**
   * The overlay frame reads the cache through the background: inside a CRM page the frame is a
   * third-party context, where Chromium blocks or partitions its IndexedDB.
   */
  | { type: 'cache.latest-of-cedula'; cedula: string }
  | { type: 'lookup.delete'; lookupId: string }
  | { type: 'relay.test' };

/**
 * A CRM page's content script ↔ the overlay frame (window.postMessage). The content script tells the
 * frame which cédulas the page shows; the frame tells it how big to be. No employment data ever
 * crosses into the page, and the content script asks the background for nothing.
 */
export type ContentToOverlay = { type: 'lupa:cedulas'; cedulas: string[] };
export type OverlayFrameState = { visible: boolean; expanded: boolean; side: 'left' | 'right' };
export type OverlayToContent = { type: 'lupa:ready' } | ({ type: 'lupa:frame' } & OverlayFrameState);

/** Background → extension pages, broadcast when a lookup changed (they re-read the cache). */
export type BackgroundToPages = {
  type: 'lookup.changed';
  lookupId: string;
  status: 'pending' | 'ready' | 'failed';
};

export type FailureReply = { ok: false; error: { code: string; detail?: string } };

export type ReplyTo<M extends PageToBackground> = M extends { type: 'cache.latest-of-cedula' }
  ? { ok: true; lookup: CachedLookup | null; report: CachedReport | null } | FailureReply
  : M extends { type: 'lookup.start' }
    ? { ok: true; lookupId: string; status: 'pending' | 'ready' | 'failed' } | FailureReply
    : M extends { type: 'lookup.delete' }
      ? { ok: true } | FailureReply
      : M extends { type: 'relay.test' }
        ? { ok: true; name: string; used: number; limit: number } | FailureReply
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

const PAGE_TYPES = new Set<string>(['lookup.start', 'lookup.delete', 'relay.test', 'cache.latest-of-cedula']);

/** Only extension pages may message the background; a content script inside a CRM page may not. */
export function isAllowed(kind: SenderKind, message: unknown): message is PageToBackground {
  const type = (message as { type?: unknown } | null)?.type;
  return kind === 'extension-page' && typeof type === 'string' && PAGE_TYPES.has(type);
}
