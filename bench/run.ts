import { execFileSync } from 'node:child_process';
import { controlPostgres, probePostgres } from '../relay/tests/test-store.js';
/**
 * `npm run bench`: measured figures against the targets each issue names. Not a test: it prints a
 * table and exits 0; a row that misses its target says so. Load goes only to 127.0.0.1.
 */
import buildExtension from '../tests/e2e/build-extension.js';
import { benchTokenValidation } from './auth-bench.js';
import {
  benchBundleSizes,
  benchCsvExport,
  benchPopupColdOpen,
  benchPopupFirstRender,
  benchSummaries,
  benchWebhookToPopup,
} from './extension-bench.js';
import { benchContentScriptSize, benchOverlayAppearance } from './overlay-bench.js';
import {
  type BenchRow,
  benchBatch,
  benchBatchWaits,
  benchManyLongPolls,
  benchWakeLatency,
  benchWebhookIntake,
} from './relay-bench.js';

function printTable(rows: BenchRow[]) {
  const header = ['measure', 'value', 'target', 'result'];
  const lines = rows.map((row) => [
    row.what,
    row.value,
    row.target,
    row.ok === undefined ? 'info' : row.ok ? 'met' : 'MISSED',
  ]);
  const widths = header.map((_, column) =>
    Math.max(header[column]!.length, ...lines.map((line) => line[column]!.length)),
  );
  const format = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  console.log(format(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const line of lines) console.log(format(line));
}

process.stderr.write('bench: building the relay and the extension…\n');
execFileSync('npm', ['run', '--silent', 'build:relay'], { stdio: 'inherit' });
await buildExtension();
// The PostgreSQL rows use the throwaway server; started here when it is not running, and stopped after.
const postgresWasRunning = (await probePostgres()).ok;
if (!postgresWasRunning) controlPostgres('start');

const rows: BenchRow[] = [];
const allPhases: Array<[string, () => Promise<BenchRow | BenchRow[]>]> = [
  ['webhook intake', benchWebhookIntake],
  ['long-poll wake latency', () => benchWakeLatency({ crossNode: false })],
  ['webhook intake (PostgreSQL)', () => benchWebhookIntake('postgres')],
  ['cross-node wake latency (PostgreSQL)', () => benchWakeLatency({ crossNode: true })],
  ['5,000 open long-polls', () => benchManyLongPolls()],
  ['500-row batch', () => benchBatch()],
  ['50 open batch waits', () => benchBatchWaits()],
  ['token validation (SQLite)', () => benchTokenValidation('sqlite')],
  ['token validation (PostgreSQL)', () => benchTokenValidation('postgres')],
  ['webhook to popup (Chromium)', () => benchWebhookToPopup()],
  ['popup first render (Chromium)', () => benchPopupFirstRender()],
  ['popup first open after a browser start (Chromium)', () => benchPopupColdOpen()],
  ['CSV export', async () => benchCsvExport()],
  ['summaries of 500 lookups', async () => benchSummaries()],
  ['bundle sizes', async () => benchBundleSizes()],
  ['CRM content script size', async () => benchContentScriptSize()],
  ['CRM overlay appearance (Chromium)', () => benchOverlayAppearance(40)],
];
// BENCH_ONLY="batch waits,token": only the phases whose name contains one of these (case-insensitive).
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((part) => part.trim().toLowerCase())
  .filter(Boolean);
const phases = allPhases.filter(
  ([name]) => only.length === 0 || only.some((part) => name.toLowerCase().includes(part)),
);
try {
  for (const [name, phase] of phases) {
    process.stderr.write(`bench: ${name}…\n`);
    const result = await phase();
    rows.push(...(Array.isArray(result) ? result : [result]));
  }
} finally {
  // A phase that throws must not leave the server it started running.
  if (!postgresWasRunning) controlPostgres('stop');
}
console.log(
  `\nLupa bench, ${new Date().toISOString()}, Node ${process.version}, relay on SQLite and on PostgreSQL 15 (throwaway server; emulated Belvo), Chromium ${process.env.LUPA_CHROMIUM ?? '/usr/bin/chromium'}\n`,
);
printTable(rows);
