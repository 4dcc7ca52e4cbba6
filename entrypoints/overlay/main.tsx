import { render } from 'preact';
import { type FrameLink, OverlayApp } from '../../components/overlay/overlay-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import { watchVisibility } from '../../utils/overlay/frame-visibility.js';
import '../../components/shared/lupa.css';

async function start() {
  // Only as a direct child of the CRM page's top document: not opened on its own, not framed by a
  // frame (an ad, a widget) inside that page.
  if (window.parent === window || window.parent !== window.top) return;
  const services = browserServices();
  // The background says whether our tab is an enabled CRM page, and which cédulas it shows; a page
  // that is not one gets an empty frame.
  const attached = await services.send({ type: 'overlay.attach' });
  if (!attached.ok) return;
  const link: FrameLink = {
    site: attached.site,
    tellContent: (message) => window.parent.postMessage(message, attached.site),
    onCedulas(listener) {
      listener({ cedulas: attached.cedulas, first: attached.first, record: attached.record });
      let heard = false;
      const unsubscribe = services.onCedulasOfTab(attached.tabId, (shown) => {
        heard = true;
        listener(shown);
      });
      // The page's report may have come between the attach and this subscription (the panel renders
      // after the settings are read), sent to nobody: asked once more, unless a newer one came since.
      void services.send({ type: 'overlay.attach' }).then((again) => {
        if (again.ok && !heard)
          listener({ cedulas: again.cedulas, first: again.first, record: again.record });
      });
      return unsubscribe;
    },
    watchVisibility: (element) => watchVisibility(element),
  };
  render(<OverlayApp services={services} link={link} />, document.getElementById('app')!);
  // The keyboard shortcut: focus on the panel's heading, or on its bar when minimised.
  services.onFocusRequest(attached.tabId, () => {
    document.querySelector<HTMLElement>('.overlay-title, .overlay-bar')?.focus();
  });
}

void start();
