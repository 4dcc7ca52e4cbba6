/**
 * After `npm ci`: generate WXT's types (.wxt/), which the extension's type check and tests use. A
 * relay-only deploy (`npm ci --omit=dev --workspace relay`) has no WXT and needs none of it, so there
 * this says so and stops, instead of failing the server's install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// WXT's package exports do not expose its CLI, so look for the file where npm installs it.
const wxtCli = fileURLToPath(new URL('../node_modules/wxt/bin/wxt.mjs', import.meta.url));
if (!existsSync(wxtCli)) {
  console.log('lupa: WXT is not installed (a relay-only install): no extension types to generate.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [wxtCli, 'prepare'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
