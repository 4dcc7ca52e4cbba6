import { render } from 'preact';
import { CreditFileApp } from '../../components/credit-file/credit-file-app.js';
import { browserServices, creditFileParams } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';

const { lookupId, inputs } = creditFileParams(location.search);
render(
  <CreditFileApp
    services={browserServices()}
    lookupId={lookupId}
    inputs={inputs}
    print={() => window.print()}
  />,
  document.getElementById('app')!,
);
