import { render } from 'preact';
import { announcePopupOpen, browserServices } from '../../components/extension-services.js';
import { PopupApp } from '../../components/popup-app.js';
import '../../components/lupa.css';

announcePopupOpen();
render(<PopupApp services={browserServices()} />, document.getElementById('app')!);
