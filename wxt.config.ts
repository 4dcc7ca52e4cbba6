import { defineConfig } from 'wxt';
import { DEV_EXTENSION_KEY } from './dev-extension-identity';

/** Where the demo and test relay listens; its origin is granted at build time so no prompt is needed. */
const devRelayOrigins = (process.env.LUPA_DEV_RELAY_ORIGINS ?? 'http://127.0.0.1:8787')
  .split(',')
  .map((origin) => origin.trim())
  .filter(Boolean);

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  srcDir: '.',
  // End-to-end tests build elsewhere, so they never overwrite the developer's build.
  outDir: process.env.LUPA_OUT_DIR ?? '.output',
  // Explicit imports everywhere: a reader can follow every name to its module.
  imports: false,
  manifest: {
    name: 'Lupa',
    description: 'Historia laboral formal (PILA) para analistas de crédito.',
    key: DEV_EXTENSION_KEY,
    permissions: ['storage', 'alarms', 'notifications'],
    host_permissions: devRelayOrigins.map((origin) => `${origin}/*`),
    // The relay's own origin is asked for when the analyst saves its URL in the options.
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: 'Lupa' },
    icons: { 16: '/icon/16.png', 32: '/icon/32.png', 48: '/icon/48.png', 128: '/icon/128.png' },
  },
});
