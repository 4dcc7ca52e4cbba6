import { render } from 'preact';
import { BatchApp } from '../../components/batch/batch-app.js';
import { browserServices } from '../../components/shared/extension-services.js';
import '../../components/shared/lupa.css';

render(<BatchApp services={browserServices()} />, document.getElementById('app')!);
