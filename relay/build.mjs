/**
 * Bundles the relay for deployment: relay/dist/cli.mjs and relay/dist/emulator.mjs. The contract
 * package is compiled in (it ships as TypeScript source); every npm dependency stays external, so the
 * server installs exactly relay/package.json's dependencies and builds better-sqlite3 as usual.
 */
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@lupa/'));

await build({
  absWorkingDir: import.meta.dirname,
  entryPoints: { cli: 'src/cli.ts', emulator: 'src/emulator/main.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: [...external, ...external.map((name) => `${name}/*`)],
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
