import { render } from 'preact';
import { type FrameLink, OverlayApp } from '../../components/overlay/overlay-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import { cedulasFrom } from '../../utils/overlay/frame-protocol.js';
import '../../components/shared/lupa.css';

// The CRM page that framed us; messages go to it and come only from it.
const site = location.ancestorOrigins?.[0] ?? new URL(document.referrer || location.href).origin;
const listeners = new Set<(cedulas: string[]) => void>();
let latest: string[] | undefined;
// Listening from the start: the answer to "ready" may come before the panel has mounted.
window.addEventListener('message', (event) => {
  if (event.source !== window.parent) return;
  const cedulas = cedulasFrom(event.data);
  if (!cedulas) return;
  latest = cedulas;
  for (const listener of listeners) listener(cedulas);
});

const link: FrameLink = {
  site,
  tellContent: (message) => window.parent.postMessage(message, site),
  onCedulas(listener) {
    listeners.add(listener);
    if (latest) listener(latest);
    return () => listeners.delete(listener);
  },
};

render(<OverlayApp services={browserServices()} link={link} />, document.getElementById('app')!);
link.tellContent({ type: 'lupa:ready' });
