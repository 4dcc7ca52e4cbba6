import { spawnSync } from 'node:child_process';
import { PROJECT_ROOT } from './relay-harness.js';

/** Runs `npm run relay -- <args>` the way an operator would (without npm's banner). */
export function runCli(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'relay/src/cli.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
