import { render } from 'preact';
import { FieldPickerApp } from '../../components/field-picker/field-picker-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';

async function start() {
  // Only as a direct child of the CRM page's top document, like the panel.
  if (window.parent === window || window.parent !== window.top) return;
  document.documentElement.classList.add('picker-page');
  const services = browserServices();
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
  render(<FieldPickerApp services={services} site={site} />, document.getElementById('app')!);
}

void start();
