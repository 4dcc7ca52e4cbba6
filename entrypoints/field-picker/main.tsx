import { render } from 'preact';
import { FieldPickerApp, type PickerLink } from '../../components/field-picker/field-picker-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';
import { PICKER_LEAVE_MESSAGE } from '../../utils/overlay/frame-protocol.js';
import { watchVisibility } from '../../utils/overlay/frame-visibility.js';

/** Without the session's secret by then, this frame was never the analyst's: it asks to go. */
const ATTACH_WITHIN_MS = 10_000;

async function start() {
  // Only as a direct child of the CRM page's top document, like the panel.
  if (window.parent === window || window.parent !== window.top) return;
  document.documentElement.classList.add('picker-page');
  const services = browserServices();
  // Its page's origin is not known here; the content script checks that the message is this frame's.
  const link: PickerLink = {
    watchVisibility: (element) => watchVisibility(element),
    leave: () => window.parent.postMessage(PICKER_LEAVE_MESSAGE, '*'),
  };
  const leaveOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') link.leave();
  };
  window.addEventListener('keydown', leaveOnEscape);
  const giveUp = setTimeout(link.leave, ATTACH_WITHIN_MS);
  // The content script posts the session's secret to this window alone; a frame the page made of this
  // page never gets it, and the background hears only the frame that shows it.
  const site = await new Promise<string>((resolve) => {
    const listen = async (event: MessageEvent) => {
      const data = event.data as { type?: unknown; secret?: unknown } | null;
      if (event.source !== window.parent || data?.type !== 'lupa:picker-secret') return;
      if (typeof data.secret !== 'string') return;
      const reply = await services.send({ type: 'picker.attach', secret: data.secret });
      if (!reply.ok) return;
      window.removeEventListener('message', listen);
      resolve(reply.site);
    };
    window.addEventListener('message', listen);
  });
  clearTimeout(giveUp);
  window.removeEventListener('keydown', leaveOnEscape);
  render(<FieldPickerApp services={services} site={site} link={link} />, document.getElementById('app')!);
}

void start();
