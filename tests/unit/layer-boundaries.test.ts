/**
 * The layers inside each package (docs/architecture.md §2 and §3), read from the imports themselves
 * with TypeScript's own parser: in the relay, no domain folder imports `http/` (only `http/` knows HTTP,
 * and maps refusals to statuses), `store/` imports no domain folder, and `jobs/`, `belvo/` and
 * `observability/` import no service; in the extension, the pure
 * report modules never import the browser. The rules are tested on planted imports first, so the check
 * of the real tree cannot pass by reading nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const RELAY_SRC = join(ROOT, 'relay/src');

/** The folders of relay/src that hold domain logic (services, jobs, handlers). */
const RELAY_DOMAIN = [
  'analysts',
  'batches',
  'belvo',
  'extractions',
  'jobs',
  'lookups',
  'observability',
  'privacy',
  'sign-in',
  'webhooks',
];
/** Infrastructure the domain folders use, which must not use them back. */
const RELAY_INFRASTRUCTURE = ['jobs', 'belvo', 'observability'];
const RELAY_SERVICES = RELAY_DOMAIN.filter((folder) => !RELAY_INFRASTRUCTURE.includes(folder));
/** Packages and modules only a browser context may use. */
const BROWSER_MODULES = /^(wxt|#imports|webextension-polyfill|@wxt-dev\/|idb$|preact|ky$)/;

type SourceFile = { path: string; text: string };

function importsOf(file: SourceFile): string[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    }
    if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The folder of relay/src an import lands in ('' for a file at its root), or null outside relay/src. */
function relayFolderOf(fromPath: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const target = relative(RELAY_SRC, resolve(dirname(fromPath), specifier));
  if (target.startsWith('..')) return null;
  return target.includes(sep) ? target.split(sep)[0]! : '';
}

function layerViolations(files: SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const where = relative(ROOT, file.path);
    for (const specifier of importsOf(file)) {
      if (file.path.startsWith(RELAY_SRC + sep)) {
        const inRelay = relative(RELAY_SRC, file.path);
        const from = inRelay.includes(sep) ? inRelay.split(sep)[0]! : '';
        const to = relayFolderOf(file.path, specifier);
        if (RELAY_DOMAIN.includes(from) && to === 'http')
          violations.push(`${where} imports http/ (${specifier})`);
        if (from === 'store' && to !== null && to !== 'store')
          violations.push(`${where}: store/ imports ${to || 'the relay root'} (${specifier})`);
        if (RELAY_INFRASTRUCTURE.includes(from) && to !== null && RELAY_SERVICES.includes(to))
          violations.push(`${where}: ${from}/ imports ${to}/ (${specifier})`);
      }
      if (where.startsWith(`utils${sep}report${sep}`) && BROWSER_MODULES.test(specifier)) {
        violations.push(`${where}: a pure report module imports the browser (${specifier})`);
      }
    }
    if (where.startsWith(`utils${sep}report${sep}`) && /\b(browser|chrome)\.\w/.test(file.text)) {
      violations.push(`${where}: a pure report module uses the browser's API`);
    }
  }
  return violations;
}

function sourcesUnder(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

describe('layers', () => {
  it.each([
    [
      'a service importing http/',
      'relay/src/batches/batch-service.ts',
      "import { ApiError } from '../http/api-error.js';",
      1,
    ],
    [
      'a query module importing a service',
      'relay/src/store/queries/lookups-queries.ts',
      "import { x } from '../../lookups/lookup-service.js';",
      1,
    ],
    [
      'a query module importing the relay context',
      'relay/src/store/open-store.ts',
      "import type { RelayContext } from '../relay-context.js';",
      1,
    ],
    [
      'a report module importing the browser',
      'utils/report/summary-text.ts',
      "import { browser } from 'wxt/browser';",
      1,
    ],
    [
      'a report module calling the browser',
      'utils/report/csv-export.ts',
      'await browser.storage.local.get();',
      1,
    ],
    [
      'a route importing a service (allowed)',
      'relay/src/http/lookups-routes.ts',
      "import { x } from '../lookups/lookup-service.js';",
      0,
    ],
    [
      'a service importing the store (allowed)',
      'relay/src/lookups/lookup-service.ts',
      "import { x } from '../store/queries/lookups-queries.js';",
      0,
    ],
    [
      'a service importing the contract (allowed)',
      'relay/src/batches/batch-service.ts',
      "import { x } from '@lupa/contract';",
      0,
    ],
    [
      'a report module importing the contract (allowed)',
      'utils/report/summary-text.ts',
      "import { x } from '@lupa/contract';",
      0,
    ],
  ])('finds %s', (_what, path, text, count) => {
    expect(layerViolations([{ path: join(ROOT, path), text }])).toHaveLength(count);
  });

  it('holds in the relay and the extension’s report modules today', () => {
    const files = [...sourcesUnder(RELAY_SRC), ...sourcesUnder(join(ROOT, 'utils/report'))];
    expect(files.length).toBeGreaterThan(80);
    expect(layerViolations(files)).toEqual([]);
  });
});
