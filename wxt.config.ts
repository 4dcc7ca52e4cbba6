import { defineConfig } from 'wxt';
import { DEV_EXTENSION_KEY } from './dev-extension-identity';
import { extensionCsp, FIREFOX_ADDON_ID, storeHostPatterns } from './extension-policy';
import { privacyPageFiles } from './privacy-page';
import { withoutPort } from './utils/overlay/match-patterns';

/**
 * Two kinds of build. Store packages (`npm run zip`, LUPA_TARGET=store) hold only what every
 * installation needs: no pinned key, no development origins, every host asked for at run time.
 * Demo, development and test builds (the default) also pin the id and grant the demo or test relay and
 * CRM origins at build time, so they run without a permission prompt.
 */
const storeBuild = process.env.LUPA_TARGET === 'store';

const listOf = (raw: string) =>
  raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

/** Where the demo and test relay listens. */
const devRelayOrigins = storeBuild
  ? []
  : listOf(process.env.LUPA_DEV_RELAY_ORIGINS ?? 'http://127.0.0.1:8787');

/**
 * Match patterns where the CRM overlay runs without a prompt: the demo CRM page's host by default. A
 * port is dropped: Firefox never matches a pattern that names one (utils/overlay/match-patterns.ts).
 */
const devOrigins = storeBuild
  ? []
  : [...new Set(listOf(process.env.LUPA_DEV_ORIGINS ?? 'http://127.0.0.1/*').map(withoutPort))];

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  srcDir: '.',
  // End-to-end tests and store packages build elsewhere, so they never overwrite the developer's build.
  outDir: process.env.LUPA_OUT_DIR ?? (storeBuild ? '.output/store' : '.output'),
  // Explicit imports everywhere: a reader can follow every name to its module.
  imports: false,
  vite: () => ({ define: { __LUPA_DEV_ORIGINS__: JSON.stringify(devOrigins) } }),
  hooks: {
    'build:publicAssets': (_wxt, files) => {
      files.push(...privacyPageFiles());
    },
  },
  zip: {
    // The sources archive Firefox Add-ons reviewers rebuild from: no local data, builds or secrets.
    excludeSources: ['data/**', 'test-artifacts/**', '.output/**', '.ci/**', '**/*.env'],
  },
  manifest: ({ browser, command }) => ({
    name: 'Lupa',
    description: 'Historia laboral formal (PILA) para analistas de crédito.',
    ...(storeBuild || browser === 'firefox' ? {} : { key: DEV_EXTENSION_KEY }),
    permissions: ['storage', 'alarms', 'notifications', 'scripting', 'identity'],
    host_permissions: [...devRelayOrigins.map((origin) => `${origin}/*`), ...devOrigins],
    // The relay's origin is asked for when the analyst saves its URL, a CRM's when it is enabled.
    optional_host_permissions: storeHostPatterns,
    action: { default_title: 'Lupa' },
    // From the keyboard to the panel, which is otherwise last in the CRM page's Tab order.
    commands: {
      'focus-panel': {
        suggested_key: { default: 'Alt+Shift+L' },
        description: 'Ir al panel de Lupa en la página del CRM',
      },
    },
    // WXT's development server needs its own CSP; every built extension gets the strict one.
    ...(command === 'serve'
      ? {}
      : { content_security_policy: { extension_pages: extensionCsp(devRelayOrigins) } }),
    // Only the overlay's and the field picker's frames are reachable from web pages, and only from
    // https pages (CRMs) or the development origins; each renders nothing unless the background
    // vouches for it (an enabled CRM page; a picking session the analyst started). Chrome serves them
    // from a per-session id, so pages cannot probe for Lupa.
    web_accessible_resources: [
      {
        resources: ['overlay.html', 'field-picker.html'],
        matches: [...storeHostPatterns, ...devOrigins],
        ...(browser === 'firefox' ? {} : { use_dynamic_url: true }),
      },
    ],
    icons: { 16: '/icon/16.png', 32: '/icon/32.png', 48: '/icon/48.png', 128: '/icon/128.png' },
    // What IT may set by policy (storage.managed). Chrome and Edge read policies only for keys this
    // schema declares; Firefox takes them from policies.json ("3rdparty") without one.
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed-schema.json' } }),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: FIREFOX_ADDON_ID,
              // The first release that reads data_collection_permissions; older ones refuse the key.
              strict_min_version: '140.0',
              // What leaves the browser, to the lender's own relay only: the cédula the analyst types
              // or picks on a CRM page, and the analyst's relay token. See PRIVACY.md.
              data_collection_permissions: {
                required: ['personallyIdentifyingInfo', 'authenticationInfo', 'websiteContent'],
              },
            },
            // Firefox for Android reads data_collection_permissions from 142 on.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
