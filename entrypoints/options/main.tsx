import { render } from 'preact';
import { OptionsApp } from '../../components/options/options-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';

render(<OptionsApp services={browserServices()} />, document.getElementById('app')!);
