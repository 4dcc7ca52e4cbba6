import { render } from 'preact';
import { browserServices } from '../../components/extension-services.js';
import { OptionsApp } from '../../components/options-app.js';
import '../../components/lupa.css';

render(<OptionsApp services={browserServices()} />, document.getElementById('app')!);
