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
      return services.onCedulasOfTab(attached.tabId, listener);
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
