/**
 * A CRM page's content script ↔ the overlay frame (window.postMessage). The content script tells the
 * frame which cédulas the page shows; the frame tells it how big to be. No employment data ever
 * crosses into the page, and the content script asks the background for nothing.
 */
import { parseCedula } from '@lupa/contract/cedula';

export type ContentToOverlay = { type: 'lupa:cedulas'; cedulas: string[] };
export type OverlayFrameState = { visible: boolean; expanded: boolean; side: 'left' | 'right' };
export type OverlayToContent = { type: 'lupa:ready' } | ({ type: 'lupa:frame' } & OverlayFrameState);

/** The page may post anything to the frame: keep only well-formed cédulas. */
export function cedulasFrom(message: unknown): string[] | undefined {
  const data = message as Partial<ContentToOverlay> | null;
  if (data?.type !== 'lupa:cedulas' || !Array.isArray(data.cedulas)) return undefined;
  return data.cedulas.flatMap((value) => {
    const parsed = typeof value === 'string' ? parseCedula(value) : undefined;
    return parsed?.ok ? [parsed.cedula] : [];
  });
}
