import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { extensionCsp, FIREFOX_ADDON_ID, storeHostPatterns } from '../../extension-policy.js';
import { PROJECT_ROOT, STORE_DIR } from './build-packages.js';

type Manifest = {
  manifest_version: number;
  key?: string;
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  content_scripts?: unknown[];
  content_security_policy?: { extension_pages?: string };
  web_accessible_resources?: Array<{ resources: string[]; matches: string[]; use_dynamic_url?: boolean }>;
  browser_specific_settings?: {
    gecko?: { id?: string; data_collection_permissions?: { required?: string[]; optional?: string[] } };
  };
};

const zipNamed = (suffix: string) => {
  const name = readdirSync(STORE_DIR).find((file) => file.endsWith(suffix));
  if (!name) throw new Error(`no *${suffix} in ${STORE_DIR}`);
  return join(STORE_DIR, name);
};

async function manifestIn(zipSuffix: string): Promise<Manifest> {
  const zip = await JSZip.loadAsync(readFileSync(zipNamed(zipSuffix)));
  return JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
}

/** Browser APIs that need a manifest permission, by the permission's name. */
const GATED_APIS = [
  'alarms',
  'bookmarks',
  'contextMenus',
  'cookies',
  'debugger',
  'declarativeNetRequest',
  'downloads',
  'history',
  'identity',
  'idle',
  'management',
  'notifications',
  'offscreen',
  'scripting',
  'sidePanel',
  'storage',
  'tabGroups',
  'topSites',
  'webNavigation',
  'webRequest',
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(ts|tsx)$/.test(file))
    .map((file) => join(PROJECT_ROOT, dir, file));
}

/** The gated APIs the extension's code calls (`browser.<api>`). */
function gatedApisUsed(): string[] {
  const code = ['entrypoints', 'utils', 'components']
    .flatMap(sourceFiles)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  return GATED_APIS.filter((api) => new RegExp(`\\bbrowser\\.${api}\\b`).test(code)).sort();
}

const BROAD = /^(<all_urls>|\*:\/\/\*\/\*|https?:\/\/\*\/\*)$/;

describe.each([
  ['Chrome', '-chrome.zip'],
  ['Firefox', '-firefox.zip'],
])('the %s store package', (_browser, zipSuffix) => {
  it('asks for no host at install: no <all_urls>, nothing broad, and no content script declared', async () => {
    const manifest = await manifestIn(zipSuffix);
    expect(manifest.host_permissions ?? []).toEqual([]);
    expect(manifest.content_scripts ?? []).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('<all_urls>');
    for (const permission of manifest.permissions ?? []) expect(permission).not.toMatch(BROAD);
  });

  it('asks for CRM and relay hosts only as optional host permissions: https, or the analyst’s own machine', async () => {
    const manifest = await manifestIn(zipSuffix);
    expect(manifest.optional_host_permissions).toEqual(storeHostPatterns);
    expect(manifest.optional_host_permissions).not.toContain('http://*/*');
    expect(manifest.optional_permissions ?? []).toEqual([]);
  });

  it('declares exactly the permissions the code uses', async () => {
    const manifest = await manifestIn(zipSuffix);
    expect([...(manifest.permissions ?? [])].sort()).toEqual(gatedApisUsed());
  });

  it('has a strict CSP for extension pages', async () => {
    const csp = (await manifestIn(zipSuffix)).content_security_policy?.extension_pages ?? '';
    expect(csp).toBe(extensionCsp([]));
    const directives = new Map(
      csp.split(';').map((directive) => {
        const [name, ...values] = directive.trim().split(/\s+/);
        return [name!, values];
      }),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(csp).not.toMatch(/unsafe-(eval|inline)|wasm-unsafe-eval|\bhttp:(?!\/\/(127\.0\.0\.1|localhost))/);
  });

  it('lets web pages reach only the overlay frame', async () => {
    const manifest = await manifestIn(zipSuffix);
    // Chrome serves it from a per-session id, so pages cannot probe for Lupa; Firefox's id is already
    // random per installation.
    const dynamic = zipSuffix === '-chrome.zip' ? { use_dynamic_url: true } : {};
    expect(manifest.web_accessible_resources).toEqual([
      { resources: ['overlay.html', 'field-picker.html'], matches: storeHostPatterns, ...dynamic },
    ]);
  });

  it('pins no development key (the store assigns the id)', async () => {
    expect((await manifestIn(zipSuffix)).key).toBeUndefined();
  });
});

describe('the Firefox package', () => {
  it('declares its add-on id and the data it transmits', async () => {
    const gecko = (await manifestIn('-firefox.zip')).browser_specific_settings?.gecko;
    expect(gecko?.id).toBe(FIREFOX_ADDON_ID);
    expect(gecko?.data_collection_permissions?.required).toEqual([
      'personallyIdentifyingInfo',
      'authenticationInfo',
      'websiteContent',
    ]);
  });

  it('passes web-ext lint with no errors', () => {
    const zip = zipNamed('-firefox.zip');
    const output = execFileSync(
      process.execPath,
      [
        join(PROJECT_ROOT, 'node_modules/web-ext/bin/web-ext.js'),
        'lint',
        '--source-dir',
        join(dirname(zip), 'firefox-mv3'),
        '--output',
        'json',
        '--no-input',
        '--no-config-discovery',
      ],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    );
    const report = JSON.parse(output) as {
      summary: { errors: number; warnings: number };
      errors: Array<{ code: string; message: string }>;
      warnings: Array<{ code: string; file: string }>;
    };
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    // Two known warnings, both library code the CSP already holds: Preact's dangerouslySetInnerHTML
    // support (Lupa never uses it) and zod's probe for whether `Function` may run (it may not).
    expect(
      report.warnings
        .map((warning) => `${warning.code} ${warning.file.replace(/-[\w-]+\.js$/, '.js')}`)
        .sort(),
    ).toEqual(['DANGEROUS_EVAL background.js', 'UNSAFE_VAR_ASSIGNMENT chunks/lupa.js']);
  });

  it('ships a sources archive reviewers can build from, without local data or secrets', async () => {
    const sources = await JSZip.loadAsync(readFileSync(zipNamed('-sources.zip')));
    const names = Object.keys(sources.files);
    for (const needed of [
      'package.json',
      'package-lock.json',
      'wxt.config.ts',
      'entrypoints/background.ts',
      'README.md',
    ])
      expect(names).toContain(needed);
    expect(
      names.filter(
        (name) => /^(data|\.output|test-artifacts|node_modules)\//.test(name) || name.endsWith('.env'),
      ),
    ).toEqual([]);
  });
});
