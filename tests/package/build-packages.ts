/** Builds the store packages once for the package tests, exactly as `npm run zip` does. */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const STORE_DIR = resolve(PROJECT_ROOT, '.output/store');

export default function buildPackages() {
  execFileSync('npm', ['run', '--silent', 'zip'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
}
