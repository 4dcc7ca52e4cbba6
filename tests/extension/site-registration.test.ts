import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { patternOfOrigin } from '../../utils/overlay/match-patterns.js';
import {
  CRM_SCRIPT_ID,
  contentScriptMatches,
  originMatches,
  syncCrmContentScript,
} from '../../utils/overlay/site-registration.js';

type Script = { id: string; matches: string[] };
let registered: Script[];
let granted: Set<string>;

beforeEach(() => {
  registered = [];
  granted = new Set();
  // WXT's fake browser has no scripting API and no permission model: these stand in for Chrome's.
  Object.assign(fakeBrowser, {
    scripting: {
      getRegisteredContentScripts: async ({ ids }: { ids: string[] }) =>
        registered.filter((script) => ids.includes(script.id)),
      registerContentScripts: async (scripts: Script[]) => void registered.push(...scripts),
      updateContentScripts: async (scripts: Script[]) => {
        registered = registered.map((script) => scripts.find((update) => update.id === script.id) ?? script);
      },
      unregisterContentScripts: async ({ ids }: { ids: string[] }) => {
        registered = registered.filter((script) => !ids.includes(script.id));
      },
    },
  });
  vi.spyOn(fakeBrowser.permissions, 'contains').mockImplementation(async ({ origins }) =>
    (origins ?? []).every((origin) => granted.has(origin)),
  );
});

describe('syncCrmContentScript', () => {
  it('registers nothing when no site is enabled (and the build grants none)', async () => {
    expect(await syncCrmContentScript([])).toEqual([]);
    expect(registered).toEqual([]);
  });

  it('registers only the enabled sites whose access was granted, then follows changes', async () => {
    granted.add('https://*.my.salesforce.com/*');
    expect(
      await syncCrmContentScript(['https://*.my.salesforce.com/*', 'https://prestamos.banco.com.co/*']),
    ).toEqual(['https://*.my.salesforce.com/*']);
    expect(registered).toMatchObject([
      { id: CRM_SCRIPT_ID, matches: ['https://*.my.salesforce.com/*'], js: ['content-scripts/crm.js'] },
    ]);

    granted.add('https://prestamos.banco.com.co/*');
    await syncCrmContentScript(['https://*.my.salesforce.com/*', 'https://prestamos.banco.com.co/*']);
    expect(registered).toHaveLength(1);
    expect(registered[0]?.matches).toEqual([
      'https://*.my.salesforce.com/*',
      'https://prestamos.banco.com.co/*',
    ]);

    await syncCrmContentScript([]);
    expect(registered).toEqual([]);
  });
});

describe('patternOfOrigin', () => {
  it.each([
    ['https://prestamos.banco.com.co', 'https://prestamos.banco.com.co/*'],
    ['https://prestamos.banco.com.co/solicitudes/42?x=1', 'https://prestamos.banco.com.co/*'],
    ['http://10.0.0.5:8080', 'http://10.0.0.5/*'],
    ['ftp://files.example', undefined],
    ['prestamos', undefined],
    // A wildcard would grant every site (or every subdomain): one host only.
    ['https://*', undefined],
    ['https://*/*', undefined],
    ['https://*.banco.com.co', undefined],
  ])('%s → %s', (input, pattern) => {
    expect(patternOfOrigin(input)).toBe(pattern);
  });
});

describe('match patterns with ports', () => {
  it('registers a site granted with its port under the port-less pattern Firefox injects', async () => {
    granted.add('http://localhost:8789/*');
    expect(await syncCrmContentScript(['http://localhost:8789/*'])).toEqual(['http://localhost:8789/*']);
    expect(registered[0]?.matches).toEqual(['http://localhost/*']);
  });

  it.each([
    [['http://127.0.0.1:8789/*'], ['http://127.0.0.1/*']],
    [['https://*.my.salesforce.com/*'], ['https://*.my.salesforce.com/*']],
    [['http://127.0.0.1:1/*', 'http://127.0.0.1:2/*'], ['http://127.0.0.1/*']],
  ])('contentScriptMatches(%j) → %j', (patterns, expected) => {
    expect(contentScriptMatches(patterns)).toEqual(expected);
  });

  it.each([
    ['https://acme.my.salesforce.com/lightning/r/1', 'https://*.my.salesforce.com/*', true],
    ['https://my.salesforce.com/', 'https://*.my.salesforce.com/*', true],
    ['https://evil-my.salesforce.com.attacker.co/', 'https://*.my.salesforce.com/*', false],
    ['http://acme.my.salesforce.com/', 'https://*.my.salesforce.com/*', false],
    ['http://127.0.0.1:8789/x', 'http://127.0.0.1:8789/*', true],
    ['http://127.0.0.1:8790/x', 'http://127.0.0.1:8789/*', false],
    ['http://127.0.0.1:8790/x', 'http://127.0.0.1/*', true],
    ['https://prestamos.banco.com.co/a', 'https://prestamos.banco.com.co/*', true],
    ['https://banco.com.co/a', 'https://prestamos.banco.com.co/*', false],
    ['not a url', 'https://*/*', false],
  ])('originMatches(%s, %s) is %s', (url, pattern, expected) => {
    expect(originMatches(url, pattern)).toBe(expected);
  });
});
