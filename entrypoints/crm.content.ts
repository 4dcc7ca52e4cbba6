import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { BackgroundToContent } from '../utils/messaging/protocol.js';
import { startOverlay } from '../utils/overlay/overlay-controller.js';

// Registered at run time for the CRM sites the analyst enabled (and the build's development origins).
export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    const url = new URL(browser.runtime.getURL('/'));
    startOverlay(ctx, {
      // Chrome loads the frame from a per-session URL (use_dynamic_url) but its document keeps the
      // extension's own origin; Firefox has one origin, the installation's UUID.
      frameOrigins: [url.origin, `${url.protocol}//${browser.runtime.id}`],
      report: (message) => browser.runtime.sendMessage(message),
      onBackgroundMessage(listener) {
        const handler = (message: unknown, sender: { id?: string }) => {
          // Only the background of this extension speaks to this content script.
          if (sender.id === browser.runtime.id && (message as { type?: unknown })?.type === 'overlay.focus')
            listener(message as BackgroundToContent);
        };
        browser.runtime.onMessage.addListener(handler);
        return () => browser.runtime.onMessage.removeListener(handler);
      },
    });
  },
});
