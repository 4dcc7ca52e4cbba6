import { render } from 'preact';
import { ConfirmFieldApp } from '../../components/confirm-field/confirm-field-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';

render(
  <ConfirmFieldApp services={browserServices()} close={() => window.close()} />,
  document.getElementById('app')!,
);
