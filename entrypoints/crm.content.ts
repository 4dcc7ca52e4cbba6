import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { startOverlay } from '../utils/overlay/overlay-controller.js';

// Registered at run time for the CRM sites the analyst enabled (and the build's development origins).
export default defineContentScript({
  registration: 'runtime',
  main(ctx) {
    startOverlay(ctx, new URL(browser.runtime.getURL('/')).origin);
  },
});
