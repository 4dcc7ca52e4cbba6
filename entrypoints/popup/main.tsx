import { render } from 'preact';
import { announcePopupOpen, browserServices } from '../../components/extension-services.js';
import { PopupApp } from '../../components/popup-app.js';
import '../../components/lupa.css';

announcePopupOpen();
const lookupId = new URLSearchParams(location.search).get('lookup') ?? undefined;
render(<PopupApp services={browserServices()} initialLookupId={lookupId} />, document.getElementById('app')!);
