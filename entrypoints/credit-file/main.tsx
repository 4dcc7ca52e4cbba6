import { render } from 'preact';
import { CreditFileApp } from '../../components/credit-file/credit-file-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';

const lookupId = new URLSearchParams(location.search).get('lookup') ?? '';
render(
  <CreditFileApp services={browserServices()} lookupId={lookupId} print={() => window.print()} />,
  document.getElementById('app')!,
);
