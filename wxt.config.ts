import { defineConfig } from 'wxt';

// The extension's entrypoints live in entrypoints/; the relay (relay/) is a separate Node program.
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  srcDir: '.',
  // Explicit imports everywhere: a reader can follow every name to its module.
  imports: false,
  manifest: {
    name: 'Lupa',
    description: 'Historia laboral formal (PILA) para analistas de crédito.',
  },
});
