import { render } from 'preact';
import { PopupApp } from '../../components/popup/popup-app.js';
import { announcePopupOpen, browserServices } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';

announcePopupOpen();
const lookupId = new URLSearchParams(location.search).get('lookup') ?? undefined;
render(<PopupApp services={browserServices()} initialLookupId={lookupId} />, document.getElementById('app')!);
