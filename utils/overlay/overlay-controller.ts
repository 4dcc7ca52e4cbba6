/**
 * What the CRM content script does: keep the overlay frame mounted (hidden until a cédula shows up, so
 * the panel appears without waiting for a page load), find the cédulas on the page as it changes, tell
 * the background (which passes them to the frame), and size the frame as the frame asks. It never
 * writes into the CRM's fields, and every listener belongs to the content script's context, which
 * removes them when the script is invalidated.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createIframeUi } from 'wxt/utils/content-script-ui/iframe';
import type { BackgroundToContent, MessageOfType, PointReply } from '../messaging/protocol.js';
import { detectCedulas, openRoots } from './cedula-detection.js';
import { CRM_ADAPTERS } from './crm-adapters.js';
import { type FieldLocator, fieldsByLocators, locatorOfPointed } from './field-locators.js';
import { frameStateFrom, isPickerLeave, type OverlayFrameState } from './frame-protocol.js';
import { detectRecordFacts } from './record-facts.js';

/** Scans at most this often while the page keeps changing; the first change is scanned at once. */
export const SCAN_INTERVAL_MS = 100;
/** The first scan waits this long at most for the site's locators (a background worker waking up). */
const LOCATORS_WAIT_MS = 1_000;
export const PICKER_FRAME_TITLE = 'Lupa · Señalar el campo de la cédula';
/** The longest value the picker shows back: a field, never a paragraph of the page. */
const SHOWN_VALUE_LENGTH = 80;

const SIZES = { collapsed: { width: 280, height: 48 }, expanded: { width: 380, height: 560 } };

export function frameStyle(state: OverlayFrameState): Partial<CSSStyleDeclaration> {
  const size = state.expanded ? SIZES.expanded : SIZES.collapsed;
  return {
    display: state.visible ? 'block' : 'none',
    // At 200 % zoom the page is 640 px wide: the panel takes at most 40 % of it (never under 260 px).
    width: state.expanded ? `min(${size.width}px, max(260px, 40vw))` : `${size.width}px`,
    height: `min(${size.height}px, calc(100vh - 32px))`,
    left: state.side === 'left' ? '16px' : 'auto',
    right: state.side === 'right' ? '16px' : 'auto',
  };
}

export function startOverlay(
  ctx: ContentScriptContext,
  extension: {
    /** The origins the frame's document may have (see the entrypoint). */
    frameOrigins: string[];
    report(message: MessageOfType<'crm.cedulas-shown'>): Promise<unknown>;
    /** Where the cédula is on this site: the analyst's and the organisation's locators. */
    fieldLocators(): Promise<FieldLocator[]>;
    /** Subscribes to the background's messages to this tab (a reply is sent back); returns the unsubscribe. */
    onBackgroundMessage(listener: (message: BackgroundToContent) => Promise<unknown> | undefined): () => void;
  },
) {
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

  const picker = createFieldPicker(ctx, ui.wrapper, extension.frameOrigins);
  let shown: string | undefined;
  let lastScan = 0;
  let scheduled = false;
  let locators: FieldLocator[] = [];
  // No scan before the site's locators are known (or waited for long enough): a page the analyst
  // pointed at must not show the generic pass's guess first.
  let locatorsKnown = false;
  const located = (root: Document | ShadowRoot) => fieldsByLocators(root, locators);

  function scan() {
    scheduled = false;
    lastScan = performance.now();
    const roots = openRoots(document);
    const found = detectCedulas(document, CRM_ADAPTERS, roots, located).map((candidate) => candidate.cedula);
    // A record's facts are read only where it shows one applicant.
    const record = found.length === 1 ? detectRecordFacts(document, CRM_ADAPTERS, roots) : null;
    const report = JSON.stringify([found, record]);
    if (report === shown) return;
    shown = report;
    // A worker that is stopping may drop it; the next change, or navigation, reports again.
    void extension.report({ type: 'crm.cedulas-shown', cedulas: found, record }).catch(() => undefined);
  }

  function scheduleScan() {
    if (scheduled || !locatorsKnown) return;
    const wait = SCAN_INTERVAL_MS - (performance.now() - lastScan);
    scheduled = true;
    // At once, in the observer's microtask: checking what is visible then updates the styles of the
    // changed elements only (a few ms on a 5,000-element page, measured in `npm run bench`), where
    // waiting for the next frame would put the page's whole rendering before the panel's round trip.
    if (wait <= 0) scan();
    else ctx.setTimeout(scan, wait);
  }

  ctx.addEventListener(window, 'message', (event: MessageEvent) => {
    if (!extension.frameOrigins.includes(event.origin)) return;
    // Only the frames we mounted: the page cannot pose as them.
    if (picker.isFrame(event.source) && isPickerLeave(event.data)) return picker.close();
    if (event.source !== ui.iframe.contentWindow) return;
    const state = frameStateFrom(event.data);
    if (state) Object.assign(ui.wrapper.style, frameStyle(state));
  });

  function useLocators(next: FieldLocator[]) {
    const changed = JSON.stringify(next) !== JSON.stringify(locators);
    locators = next;
    const first = !locatorsKnown;
    locatorsKnown = true;
    if (first) scan();
    else if (changed) {
      // Report again even the same cédulas: the background forgets nothing, but a new locator may
      // find what the last scan did not.
      shown = undefined;
      scheduleScan();
    }
  }
  const reloadLocators = () =>
    extension
      .fieldLocators()
      .then(useLocators)
      .catch(() => useLocators(locators));

  ctx.onInvalidated(
    extension.onBackgroundMessage((message) => {
      switch (message.type) {
        // The keyboard shortcut: focus moves into the frame, which puts it on its heading.
        case 'overlay.focus':
          if (ui.wrapper.style.display !== 'none') ui.iframe.focus();
          return undefined;
        case 'picker.open':
          picker.open(message.secret);
          return Promise.resolve({});
        case 'picker.point':
          return Promise.resolve(picker.pointAt(message.x, message.y));
        // A field kept meanwhile arrives as crm.locators-changed, once the background has stored it.
        case 'picker.close':
          picker.close();
          return Promise.resolve({});
        case 'crm.locators-changed':
          void reloadLocators();
          return undefined;
      }
    }),
  );

  const observer = new MutationObserver((records) => {
    // Our own frame resizing or showing itself is no change of the record.
    if (records.every((record) => ui.wrapper.contains(record.target))) return;
    scheduleScan();
  });
  // Attributes too: a CRM switching records often only toggles which host is shown.
  observer.observe(document.body, {
    childList: true,
    subtree: true,
    characterData: true,
    attributes: true,
    attributeFilter: ['class', 'style', 'hidden'],
  });
  ctx.onInvalidated(() => observer.disconnect());
  ctx.addEventListener(window, 'wxt:locationchange', () => {
    // A new record page: report even an unchanged list, the background forgot the tab on navigation.
    shown = undefined;
    scheduleScan();
  });
  void reloadLocators();
  ctx.setTimeout(() => {
    if (!locatorsKnown) useLocators([]);
  }, LOCATORS_WAIT_MS);
}

/**
 * "Señalar el campo de la cédula", the page's side: a frame of Lupa's over the whole page, which
 * takes the pointer (the page's own handlers hear nothing meanwhile) and draws what Lupa would read;
 * this side only says what lies under a point. The frame learns the session's secret from here,
 * posted to its window alone, and shows it to the background to be heard.
 */
function createFieldPicker(ctx: ContentScriptContext, overlay: HTMLElement, frameOrigins: string[]) {
  let frame: ReturnType<typeof createIframeUi> | undefined;
  const close = () => {
    frame?.remove();
    frame = undefined;
  };
  ctx.onInvalidated(close);
  const ours = (element: Element) =>
    (frame && (frame.wrapper === element || frame.wrapper.contains(element))) ||
    overlay === element ||
    overlay.contains(element);
  return {
    open(secret: string) {
      close();
      const opened = createIframeUi(ctx, {
        page: '/field-picker.html',
        position: 'inline',
        anchor: 'body',
        append: 'last',
        onMount(wrapper, iframe) {
          Object.assign(wrapper.style, { position: 'fixed', inset: '0', zIndex: '2147483647' });
          Object.assign(iframe.style, {
            width: '100%',
            height: '100%',
            border: '0',
            colorScheme: 'light',
            background: 'transparent',
          });
          iframe.title = PICKER_FRAME_TITLE;
          iframe.addEventListener(
            'load',
            () => {
              for (const origin of frameOrigins)
                iframe.contentWindow?.postMessage({ type: 'lupa:picker-secret', secret }, origin);
              iframe.focus();
            },
            { once: true },
          );
        },
      });
      opened.mount();
      frame = opened;
    },
    close,
    isFrame: (source: MessageEventSource | null) => source !== null && source === frame?.iframe.contentWindow,
    /** What lies under a point of the page (inside open shadow roots too), as Lupa would read it. */
    pointAt(x: number, y: number): PointReply {
      if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
      let target = document.elementsFromPoint(x, y).find((element) => !ours(element));
      for (let depth = 0; target?.shadowRoot && depth < 10; depth++) {
        const inner = target.shadowRoot.elementsFromPoint(x, y).find((element) => element !== target);
        if (!inner || !target.shadowRoot.contains(inner)) break;
        target = inner;
      }
      if (!target || target === document.body || target === document.documentElement) return null;
      const pointed = locatorOfPointed(target, target.getRootNode() as Document | ShadowRoot);
      const box = pointed.element.getBoundingClientRect();
      return {
        field: {
          rect: { left: box.left, top: box.top, width: box.width, height: box.height },
          label: pointed.found ? pointed.locator.label : null,
          value: pointed.value.replace(/\s+/g, ' ').trim().slice(0, SHOWN_VALUE_LENGTH),
          cedula: pointed.found ? pointed.cedula : null,
          otherDocument: pointed.found && pointed.documentType === 'other',
        },
        locator: pointed.found ? pointed.locator : null,
      };
    },
  };
}
