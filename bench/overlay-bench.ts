/**
 * CRM overlay figures (issues 4 and 11), in Debian's Chromium with the e2e build: the content script's
 * size, the time from a cédula appearing in a page of 5,000 elements to the panel showing its cached
 * data (measured inside the page; the cédula travels content script → background → frame), the same
 * with 200 open shadow roots on the page, and the longest main-thread task Lupa's content script ran
 * meanwhile.
 *
 * The page is a HubSpot record whose property list holds 560 properties, as HubSpot draws them (nine
 * elements each), and the cédula arrives as one more property: the adapter reads every one of them.
 * The time includes the page's own rendering of the change, which runs on the same thread as the
 * content script; an earlier version of this page was one 850-row table, whose relayout alone took
 * 25–55 ms per inserted row (Long Animation Frames) and so measured the table rather than Lupa.
 *
 * Lupa's own tasks are read from a Chrome trace (devtools.timeline FunctionCall events of the
 * content script's file) recorded in a pass of its own, since tracing slows what it records: Long Animation Frames does not attribute scripts of an extension's isolated
 * world, and a page-wide long-task count would charge Lupa for the page's layout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { startDemoCrm } from '../demo-crm/crm-server.js';
import { E2E_EXTENSION_DIR } from '../tests/e2e/build-extension.js';
import { startLookupInPopup, startSession } from '../tests/e2e/extension-harness.js';
import { percentile } from './http-load.js';
import type { BenchRow } from './relay-bench.js';

export function benchContentScriptSize(): BenchRow {
  const gzipped = gzipSync(readFileSync(join(E2E_EXTENSION_DIR, 'content-scripts/crm.js'))).length / 1024;
  return {
    what: 'CRM content script, gzip',
    value: `${gzipped.toFixed(1)} KB`,
    target: '< 15 KB',
    ok: gzipped < 15,
  };
}

export async function benchOverlayAppearance(samples = 10): Promise<BenchRow[]> {
  const session = await startSession();
  const crm = await startDemoCrm();
  try {
    await (await session.configure()).close();
    const popup = await session.openPage('popup.html');
    await startLookupInPopup(popup, '1020304050');
    await popup.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 30_000 });
    await popup.close();

    const page = await session.context.newPage();
    await page.goto(`${crm.url}/hubspot.html`);
    // 560 properties without a cédula (nine elements each), the overlay frame mounted and hidden.
    await page.evaluate(() => {
      const list = document.querySelector('ul[data-selenium-test="profile-properties-list"]')!;
      list.replaceChildren();
      for (let index = 0; index < 560; index++) {
        const property = document.createElement('span');
        property.dataset.testId = `campo_${index}`;
        property.innerHTML = `<div data-deferred-property-input-root="true"><label><span><span><span>Campo ${index}</span></span></span></label><div data-test-id="hover-content-wrapper"><span data-selenium-test="property-input-campo_${index}"><span>${3_000_000_000 + index}</span></span></div></div>`;
        list.append(property);
      }
      // The page's own longest frame, for context: it shares the thread with the content script.
      const state = window as unknown as { longestFrame: number; measuring: boolean };
      state.longestFrame = 0;
      state.measuring = false;
      new PerformanceObserver((entries) => {
        if (!state.measuring) return;
        for (const entry of entries.getEntries())
          state.longestFrame = Math.max(state.longestFrame, entry.duration);
      }).observe({ type: 'long-animation-frame' });
    });
    await page.waitForFunction(
      () => document.querySelectorAll('*').length >= 5_000 && document.querySelector('iframe[title="Lupa"]'),
    );
    await page.waitForTimeout(500);
    const plain = await sampleAppearance(page, samples);
    // Traced apart from the timed samples, which tracing would slow down: the shadow roots' arrival
    // and their first scan, then appearances on that heavier page.
    const trace = await traceContentScript(page);
    // 200 components with open shadow roots (native shadow DOM), each with a label and a value.
    await page.evaluate(() => {
      const holder = document.createElement('div');
      holder.id = 'shadow-holder';
      for (let index = 0; index < 200; index++) {
        const host = document.createElement('x-field');
        host.attachShadow({
          mode: 'open',
        }).innerHTML = `<span>Campo ${index}</span><span>${4_000_000_000 + index}</span>`;
        holder.append(host);
      }
      document.body.append(holder);
    });
    await page.waitForTimeout(500);
    await sampleAppearance(page, 10);
    const longestOfLupa = await trace.longestCall();
    const shadowed = await sampleAppearance(page, samples);
    const longestFrame = await page.evaluate(
      () => (window as unknown as { longestFrame: number }).longestFrame,
    );
    // The site's stored locators ("Señalar el campo de la cédula", or IT's policy), read before the
    // adapters: three, as a lender with a co-signer field and an in-house label might keep. The row
    // then inserted is labelled "Id externo", which only the locator reads: the panel showing at all
    // proves the locators were the ones that found it.
    const site = `http://${new URL(crm.url).hostname}/*`;
    await session.serviceWorker.evaluate(
      async (locators) => {
        const chrome = (
          globalThis as unknown as {
            chrome: {
              storage: {
                local: {
                  get(key: string): Promise<Record<string, object>>;
                  set(items: object): Promise<void>;
                };
              };
            };
          }
        ).chrome;
        const { settings } = await chrome.storage.local.get('settings');
        await chrome.storage.local.set({ settings: { ...settings, fieldLocators: locators } });
      },
      [
        { site, label: 'Id externo', position: 0 },
        { site, label: 'Id del codeudor', position: 0, labelTag: 'b' },
        { site, label: 'Documento del titular', position: 1 },
      ],
    );
    await page.waitForTimeout(500);
    await sampleAppearance(page, 5, 'Id externo');
    const shadowedLocated = await sampleAppearance(page, samples, 'Id externo');
    await page.evaluate(() => document.getElementById('shadow-holder')!.remove());
    await page.waitForTimeout(500);
    await sampleAppearance(page, 5, 'Id externo');
    const plainLocated = await sampleAppearance(page, samples, 'Id externo');
    const row = (what: string, timings: number[]): BenchRow => {
      const p95 = percentile(timings, 95);
      return {
        what: `${what} (median ${percentile(timings, 50).toFixed(0)} ms, n=${samples})`,
        value: `p95 ${p95.toFixed(0)} ms`,
        target: 'p95 < 50 ms',
        ok: p95 < 50,
      };
    };
    return [
      row('cédula appears in a 5,000-element page → panel shown with cached data', plain),
      row('the same with 200 open shadow roots on the page', shadowed),
      row(
        'cédula appears in the 5,000-element page, found by one of the site’s three stored locators',
        plainLocated,
      ),
      row('the same with 200 open shadow roots on the page', shadowedLocated),
      {
        what: "longest main-thread task run by Lupa's content script meanwhile",
        value: `${longestOfLupa.toFixed(1)} ms`,
        target: '< 50 ms',
        ok: longestOfLupa < 50,
      },
      {
        what: "the page's own longest frame meanwhile (its style and layout of each change, for context)",
        value: longestFrame === 0 ? 'none over 50 ms' : `${longestFrame.toFixed(0)} ms`,
        target: '-',
        ok: undefined,
      },
    ];
  } finally {
    await crm.close();
    await session.stop();
  }
}

/**
 * Inserts a cédula row and times until the frame is shown, `samples` times. `label`: the row's label
 * ("Id externo" names no cédula: only a stored locator finds it).
 */
async function sampleAppearance(
  page: Page,
  samples: number,
  label = 'Número de documento',
): Promise<number[]> {
  await page.evaluate(() => {
    (window as unknown as { measuring: boolean }).measuring = true;
  });
  const timings: number[] = [];
  for (let sample = 0; sample < samples; sample++) {
    const elapsed = await page.evaluate(async (label) => {
      const wrapper = (document.querySelector('iframe[title="Lupa"]') as HTMLIFrameElement).parentElement!;
      const shown = new Promise<void>((resolve, reject) => {
        const observer = new MutationObserver(() => {
          if (wrapper.style.display === 'block') {
            observer.disconnect();
            resolve();
          }
        });
        observer.observe(wrapper, { attributes: true, attributeFilter: ['style'] });
        // A panel that never shows is a failure to report, not a bench that waits forever.
        setTimeout(() => {
          observer.disconnect();
          reject(new Error(`the panel did not show within 10 s (display: ${wrapper.style.display})`));
        }, 10_000);
      });
      const started = performance.now();
      const property = document.createElement('span');
      property.id = 'cedula-property';
      property.dataset.testId = 'numero_de_documento';
      property.innerHTML = `<div data-deferred-property-input-root="true"><label><span><span><span>${label}</span></span></span></label><div data-test-id="hover-content-wrapper"><span data-selenium-test="property-input-numero_de_documento"><span>1.020.304.050</span></span></div></div>`;
      document.querySelector('ul[data-selenium-test="profile-properties-list"]')!.prepend(property);
      await shown;
      return performance.now() - started;
    }, label);
    timings.push(elapsed);
    await page.evaluate(() => document.getElementById('cedula-property')!.remove());
    await page.waitForFunction(
      () =>
        (document.querySelector('iframe[title="Lupa"]') as HTMLIFrameElement).parentElement!.style.display ===
        'none',
    );
    await page.waitForTimeout(200);
  }
  await page.evaluate(() => {
    (window as unknown as { measuring: boolean }).measuring = false;
  });
  return timings;
}

/**
 * Records a Chrome trace of the page while sampling and returns the longest call into the content
 * script's file (its mutation observer, message and timer callbacks, with what they forced the
 * browser to do).
 */
async function traceContentScript(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const calls: Array<{ name: string; dur?: number; args?: { data?: { url?: string } } }> = [];
  cdp.on('Tracing.dataCollected', ({ value }) => calls.push(...(value as unknown as typeof calls)));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline'] },
    transferMode: 'ReportEvents',
  });
  return {
    async longestCall(): Promise<number> {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach();
      const ours = calls.filter(
        (event) =>
          event.name === 'FunctionCall' && event.args?.data?.url?.endsWith('/content-scripts/crm.js'),
      );
      // No call at all would mean the trace missed the content script, not that it cost nothing.
      if (ours.length === 0) throw new Error('the trace holds no call into the content script');
      return Math.max(...ours.map((event) => (event.dur ?? 0) / 1000));
    },
  };
}
