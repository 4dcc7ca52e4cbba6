/**
 * The line between the packages is drawn by the compiler: each package's own tsconfig must refuse an
 * import that crosses it. Each case compiles one probe file, placed in the package's folder but kept in
 * memory, with that package's real tsconfig, once with the forbidden import and once with an allowed
 * one, so a refusal cannot come from some other error.
 */
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function compileProbe(tsconfigPath: string, probePath: string, source: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${tsconfigPath}`);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (
    (exists) => (file: string) =>
      file === probePath || exists(file)
  )(host.fileExists.bind(host));
  host.readFile = (file) => (file === probePath ? source : readFile(file));
  host.getSourceFile = (file, languageVersion, onError, shouldCreate) =>
    file === probePath
      ? ts.createSourceFile(file, source, languageVersion, true)
      : getSourceFile(file, languageVersion, onError, shouldCreate);
  const program = ts.createProgram({ rootNames: [probePath], options: config.options, host });
  const probe = program.getSourceFile(probePath);
  return [...program.getOptionsDiagnostics(), ...program.getSemanticDiagnostics(probe)]
    .concat(program.getSyntacticDiagnostics(probe))
    .map(
      (diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`,
    );
}

const cases = [
  {
    what: 'the relay importing the extension’s browser API',
    tsconfig: 'relay/tsconfig.json',
    probe: 'relay/src/boundary-probe.ts',
    forbidden: "import { browser } from 'wxt/browser';\nexport const id = browser.runtime.id;\n",
    allowed: "import { Hono } from 'hono';\nexport const app = new Hono();\n",
    refusal: /TS2306: File .*browser-code-is-not-for-the-relay\.d\.ts' is not a module/,
  },
  {
    what: 'the relay reaching into the extension’s folders',
    tsconfig: 'relay/tsconfig.json',
    probe: 'relay/src/boundary-probe.ts',
    forbidden: "import { formatMonth } from '../../utils/locale/format.js';\nexport const f = formatMonth;\n",
    allowed: "import { maskCedula } from '@lupa/contract/cedula';\nexport const f = maskCedula;\n",
    refusal: /TS6059: File .*utils\/locale\/format\.ts' is not under 'rootDir'/,
  },
  {
    what: 'the extension importing a Node module',
    tsconfig: 'tsconfig.json',
    probe: 'utils/boundary-probe.ts',
    forbidden: "import { createHash } from 'node:crypto';\nexport const hash = createHash('sha256');\n",
    allowed: "import { openDB } from 'idb';\nexport const open = openDB;\n",
    refusal: /TS2307: Cannot find module 'node:crypto'/,
  },
  {
    what: 'the contract using the DOM',
    tsconfig: 'contract/tsconfig.json',
    probe: 'contract/src/boundary-probe.ts',
    forbidden: 'export const here = document.title;\n',
    allowed: "import { z } from 'zod';\nexport const here = z.string();\n",
    refusal: /TS2584: Cannot find name 'document'/,
  },
  {
    what: 'the contract using Node',
    tsconfig: 'contract/tsconfig.json',
    probe: 'contract/src/boundary-probe.ts',
    forbidden: 'export const here = process.env.HOME;\n',
    allowed: 'export const here = globalThis.Number.MAX_SAFE_INTEGER;\n',
    refusal: /TS2591: Cannot find name 'process'/,
  },
];

describe('package boundaries, enforced by each package’s tsconfig', () => {
  it.each(cases)('refuses $what', ({ tsconfig, probe, forbidden, allowed, refusal }) => {
    const tsconfigPath = join(ROOT, tsconfig);
    const probePath = join(ROOT, probe);
    expect(dirname(probePath).startsWith(dirname(tsconfigPath))).toBe(true);
    expect(compileProbe(tsconfigPath, probePath, allowed)).toEqual([]);
    const errors = compileProbe(tsconfigPath, probePath, forbidden);
    expect(
      errors.some((error) => refusal.test(error)),
      errors.join('\n'),
    ).toBe(true);
  });
});
