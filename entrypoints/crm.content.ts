import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { isBackgroundToContent, type MessageOfType, type ReplyTo } from '../utils/messaging/protocol.js';
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
      async fieldLocators() {
        const request: MessageOfType<'crm.field-locators'> = { type: 'crm.field-locators' };
        const reply = (await browser.runtime.sendMessage(request)) as ReplyTo<typeof request>;
        return reply.ok ? reply.locators : [];
      },
      onBackgroundMessage(listener) {
        // Only this extension speaks to this content script (pages cannot send extension messages).
        const handler = (message: unknown, sender: { id?: string }) =>
          sender.id === browser.runtime.id && isBackgroundToContent(message) ? listener(message) : undefined;
        browser.runtime.onMessage.addListener(handler);
        return () => browser.runtime.onMessage.removeListener(handler);
      },
    });
  },
});
