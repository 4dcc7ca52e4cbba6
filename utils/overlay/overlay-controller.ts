/**
 * What the CRM content script does: keep the overlay frame mounted (hidden until a cédula shows up, so
 * the panel appears without waiting for a page load), find the cédulas on the page as it changes, tell
 * the frame, and size the frame as the frame asks. It never writes into the CRM's fields, and every
 * listener belongs to the content script's context, which removes them when the script is invalidated.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createIframeUi } from 'wxt/utils/content-script-ui/iframe';
import { detectCedulas } from './cedula-detection.js';
import { CRM_ADAPTERS } from './crm-adapters.js';
import type { ContentToOverlay, OverlayFrameState, OverlayToContent } from './frame-protocol.js';

/** Scans at most this often while the page keeps changing; the first change is scanned at once. */
export const SCAN_INTERVAL_MS = 100;

const SIZES = { collapsed: { width: 280, height: 48 }, expanded: { width: 380, height: 560 } };

export function frameStyle(state: OverlayFrameState): Partial<CSSStyleDeclaration> {
  const size = state.expanded ? SIZES.expanded : SIZES.collapsed;
  return {
    display: state.visible ? 'block' : 'none',
    width: `${size.width}px`,
    height: `min(${size.height}px, calc(100vh - 32px))`,
    left: state.side === 'left' ? '16px' : 'auto',
    right: state.side === 'right' ? '16px' : 'auto',
  };
}

export function startOverlay(ctx: ContentScriptContext, extensionOrigin: string) {
  const ui = createIframeUi(ctx, {
    page: '/overlay.html',
    position: 'inline',
    anchor: 'body',
    append: 'last',
    onMount(wrapper, iframe) {
      Object.assign(wrapper.style, {
        position: 'fixed',
        bottom: '16px',
        zIndex: '2147483646',
        boxShadow: '0 6px 24px rgba(0, 0, 0, 0.18)',
        borderRadius: '10px',
        overflow: 'hidden',
        background: '#fff',
        ...frameStyle({ visible: false, expanded: false, side: 'right' }),
      });
      Object.assign(iframe.style, { width: '100%', height: '100%', border: '0', colorScheme: 'light' });
      iframe.title = 'Lupa';
    },
  });
  ui.mount();

  let shown: string[] = [];
  let frameReady = false;
  let lastScan = 0;
  let scheduled = false;

  function tellFrame(message: ContentToOverlay) {
    // Addressed to the extension's origin: only our frame can read it.
    ui.iframe.contentWindow?.postMessage(message, extensionOrigin);
  }

  function scan() {
    scheduled = false;
    lastScan = performance.now();
    const found = detectCedulas(document, CRM_ADAPTERS).map((candidate) => candidate.cedula);
    if (found.length === shown.length && found.every((cedula, index) => cedula === shown[index])) return;
    shown = found;
    if (frameReady) tellFrame({ type: 'lupa:cedulas', cedulas: shown });
  }

  function scheduleScan() {
    if (scheduled) return;
    const wait = SCAN_INTERVAL_MS - (performance.now() - lastScan);
    // Outside the throttle window, scan now (we run as a mutation callback, after the page's change).
    if (wait <= 0) return scan();
    scheduled = true;
    ctx.setTimeout(scan, wait);
  }

  ctx.addEventListener(window, 'message', (event: MessageEvent) => {
    // Only the frame we mounted: the page cannot pose as it.
    if (event.source !== ui.iframe.contentWindow || event.origin !== extensionOrigin) return;
    const message = event.data as OverlayToContent;
    if (message?.type === 'lupa:ready') {
      frameReady = true;
      tellFrame({ type: 'lupa:cedulas', cedulas: shown });
    } else if (message?.type === 'lupa:frame') {
      Object.assign(ui.wrapper.style, frameStyle(message));
    }
  });

  const observer = new MutationObserver(scheduleScan);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  ctx.onInvalidated(() => observer.disconnect());
  ctx.addEventListener(window, 'wxt:locationchange', scheduleScan);
  scan();
}
