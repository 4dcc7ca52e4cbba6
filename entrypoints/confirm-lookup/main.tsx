import { render } from 'preact';
import { ConfirmLookupApp } from '../../components/confirm-lookup/confirm-lookup-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';

const requestId = new URLSearchParams(location.search).get('request') ?? '';
render(
  <ConfirmLookupApp services={browserServices()} requestId={requestId} close={() => window.close()} />,
  document.getElementById('app')!,
);
