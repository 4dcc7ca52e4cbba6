/**
 * Lupa's frames ↔ the content script that mounted them (window.postMessage). The overlay frame says
 * only how big it should be and on which side; the field picker's frame only asks to be removed; the
 * content script posts the picker's frame its session secret, to that frame's window alone. Nothing
 * else flows: the panel learns the page's cédulas from the background (utils/background/crm-tabs.ts),
 * never from a message a page script could also post.
 */
export type OverlayFrameState = { visible: boolean; expanded: boolean; side: 'left' | 'right' };
export type OverlayToContent = { type: 'lupa:frame' } & OverlayFrameState;

/** A sizing message as the content script accepts it; anything else is dropped. */
export function frameStateFrom(message: unknown): OverlayFrameState | undefined {
  const data = message as Partial<OverlayToContent> | null;
  if (data?.type !== 'lupa:frame') return undefined;
  if (typeof data.visible !== 'boolean' || typeof data.expanded !== 'boolean') return undefined;
  if (data.side !== 'left' && data.side !== 'right') return undefined;
  return { visible: data.visible, expanded: data.expanded, side: data.side };
}

/**
 * The field picker's frame → the content script: take me away (the analyst left, and the background
 * no longer has the session that would have closed it). It carries nothing else.
 */
export const PICKER_LEAVE_MESSAGE = { type: 'lupa:picker-leave' } as const;
export const isPickerLeave = (message: unknown) =>
  (message as { type?: unknown } | null)?.type === PICKER_LEAVE_MESSAGE.type;
