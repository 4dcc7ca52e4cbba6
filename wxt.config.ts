import { defineConfig } from 'wxt';
import { DEV_EXTENSION_KEY } from './dev-extension-identity';

/** Where the demo and test relay listens; its origin is granted at build time so no prompt is needed. */
const devRelayOrigins = (process.env.LUPA_DEV_RELAY_ORIGINS ?? 'http://127.0.0.1:8787')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);

/** Match patterns where the CRM overlay runs without a prompt: the demo CRM page by default. */
const devOrigins = (process.env.LUPA_DEV_ORIGINS ?? 'http://127.0.0.1:8789/*')
  .split(',')
  .map((pattern) => pattern.trim())
  .filter(Boolean);

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  srcDir: '.',
  // End-to-end tests build elsewhere, so they never overwrite the developer's build.
  outDir: process.env.LUPA_OUT_DIR ?? '.output',
  // Explicit imports everywhere: a reader can follow every name to its module.
  imports: false,
  vite: () => ({ define: { __LUPA_DEV_ORIGINS__: JSON.stringify(devOrigins) } }),
  manifest: {
    name: 'Lupa',
    description: 'Historia laboral formal (PILA) para analistas de crédito.',
    key: DEV_EXTENSION_KEY,
    permissions: ['storage', 'alarms', 'notifications', 'scripting'],
    host_permissions: [...devRelayOrigins.map((origin) => `${origin}/*`), ...devOrigins],
    // The relay's own origin is asked for when the analyst saves its URL in the options.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: 'Lupa' },
    // The overlay frame is framed by CRM pages; it shows nothing without the content script's cédulas.
    web_accessible_resources: [{ resources: ['overlay.html'], matches: ['https://*/*', 'http://*/*'] }],
    icons: { 16: '/icon/16.png', 32: '/icon/32.png', 48: '/icon/48.png', 128: '/icon/128.png' },
  },
});
