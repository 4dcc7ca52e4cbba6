/**
 * Extension figures for issue 3, measured in Debian's Chromium with the built extension (the same
 * build and harness as the end-to-end tests) and, for pure code, in Node.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { FIRST_PAGE } from '../components/popup/history-list.js';
import { POPUP_MARKS } from '../components/popup/popup-app.js';
import { WEBHOOK_AUTHORIZATION } from '../relay/tests/relay-harness.js';
import { E2E_EXTENSION_DIR } from '../tests/e2e/build-extension.js';
import { launchWithExtension, startLookupInPopup, startSession } from '../tests/e2e/extension-harness.js';
import { type ExportableReport, toCsv } from '../utils/report/csv-export.js';
import { summarize } from '../utils/report/summary/summarize.js';
import { percentile } from './http-load.js';
import type { BenchRow } from './relay-bench.js';

/** From the webhook that makes a lookup ready to the popup showing its summary. */
export async function benchWebhookToPopup(samples = 15): Promise<BenchRow> {
  const session = await startSession({ emulator: { extractionMs: 60_000 } });
  try {
    session.stack.emulator.webhooks.drop = true;
    await (await session.configure()).close();
    const popup = await session.openPage('popup.html');
    const latencies: number[] = [];
    for (let index = 0; index < samples; index++) {
      await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
      await startLookupInPopup(popup, String(40_000_000 + index));
      await popup.getByRole('status').waitFor();
      const link = await waitForLink(session, index + 1);
      await hook(session, 'EMPLOYMENTS', link, { total_employments: 0 });
      await popup.getByRole('status').filter({ hasText: 'Descargando la historia laboral…' }).waitFor();
      const sent = performance.now();
      await hook(session, 'OWNERS', link, { total_owners: 0 });
      await popup.getByRole('region', { name: 'Resumen' }).waitFor();
      latencies.push(performance.now() - sent);
    }
    const p95 = percentile(latencies, 95);
    return {
      what: `deciding webhook → popup shows ready, p95 (p50 ${percentile(latencies, 50).toFixed(0)} ms, n=${latencies.length})`,
      value: `${p95.toFixed(0)} ms`,
      target: '< 500 ms',
      ok: p95 < 500,
    };
  } finally {
    await session.stop();
  }
}

async function waitForLink(
  session: Awaited<ReturnType<typeof startSession>>,
  count: number,
): Promise<string> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const links = [...session.stack.emulator.links.values()];
    if (links.length >= count) return links[count - 1]!.id;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the relay never registered the link');
}

async function hook(
  session: Awaited<ReturnType<typeof startSession>>,
  type: string,
  link: string,
  data: Record<string, number>,
) {
  const response = await session.stack.webhook(
    {
      webhook_id: randomBytes(16).toString('hex'),
      webhook_type: type,
      webhook_code: 'historical_update',
      process_type: 'historical_update',
      link_id: link,
      data,
    },
    WEBHOOK_AUTHORIZATION,
  );
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
}

/** Seeds `count` ready lookups straight into the extension's IndexedDB, from one of its pages. */
async function seedLookups(page: Page, count: number) {
  await page.evaluate(async (count) => {
    const db = await new Promise<IDBDatabase>((resolvePromise, reject) => {
      const request = indexedDB.open('lupa');
      request.onsuccess = () => resolvePromise(request.result);
      request.onerror = () => reject(request.error);
    });
    const transaction = db.transaction('lookups', 'readwrite');
    for (let index = 0; index < count; index++) {
      const day = String(1 + (index % 28)).padStart(2, '0');
      transaction.objectStore('lookups').put({
        id: `seed-${index}`,
        cedula: String(10_000_000 + index),
        cedulaMasked: `****${String(index).padStart(4, '0')}`,
        displayName: `Persona de prueba ${index}`,
        status: 'ready',
        stage: 'done',
        version: 7,
        createdAt: `2026-10-${day}T12:${String(index % 60).padStart(2, '0')}:00.000Z`,
        updatedAt: `2026-10-${day}T12:00:00.000Z`,
        reused: false,
        error: null,
        connectionProblem: null,
        consentReference: null,
        savedAt: Date.now(),
      });
    }
    await new Promise((resolvePromise) => {
      transaction.oncomplete = resolvePromise;
    });
    db.close();
  }, count);
}

/**
 * From when the popup's scripts start (domInteractive) to its own User Timing marks: the form ready
 * for input, and the history's first page in (POPUP_MARKS). The page's clock, no round trip.
 */
async function popupOpening(popup: Page) {
  const marks = await popup.waitForFunction((names) => {
    // No inner functions: the bundler's name helpers do not exist in the page.
    const form = performance.getEntriesByName(names.form, 'mark')[0]?.startTime;
    const history = performance.getEntriesByName(names.history, 'mark')[0]?.startTime;
    return form !== undefined && history !== undefined && document.querySelectorAll('.history li').length > 0
      ? {
          start: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming)
            .domInteractive,
          form,
          history,
        }
      : undefined;
  }, POPUP_MARKS);
  const timing = (await marks.jsonValue())!;
  return {
    form: timing.form - timing.start,
    list: timing.history - timing.start,
    fromNavigation: timing.form,
  };
}

/** Issue 25: the popup's form answers within 100 ms (p95) with 500 lookups cached; the list follows. */
export async function benchPopupFirstRender(cached = 500, samples = 20): Promise<BenchRow[]> {
  const session = await startSession();
  try {
    await (await session.configure()).close();
    const popup = await session.openPage('popup.html');
    await popup.getByRole('searchbox').waitFor();
    await seedLookups(popup, cached);
    const openings: Array<Awaited<ReturnType<typeof popupOpening>>> = [];
    for (let sample = 0; sample < samples; sample++) {
      await popup.reload();
      openings.push(await popupOpening(popup));
    }
    const form = openings.map((opening) => opening.form);
    const list = openings.map((opening) => opening.list);
    return [
      {
        what: `popup form interactive with ${cached} cached lookups, script start → Cédula field enabled, p95 (p50 ${percentile(form, 50).toFixed(0)} ms; from navigation p50 ${percentile(
          openings.map((opening) => opening.fromNavigation),
          50,
        ).toFixed(0)} ms; n=${samples})`,
        value: `${percentile(form, 95).toFixed(0)} ms`,
        target: '< 100 ms',
        ok: percentile(form, 95) < 100,
      },
      {
        what: `popup history's first ${FIRST_PAGE} of ${cached} shown after the form, script start → list, p95 (n=${samples})`,
        value: `${percentile(list, 95).toFixed(0)} ms`,
        target: 'after the form',
        ok: undefined,
      },
    ];
  } finally {
    await session.stop();
  }
}

/**
 * The first popup opened after the browser starts, with 500 lookups cached: the profile is kept, the
 * browser closed and started again (the extension's worker and storage start cold).
 */
export async function benchPopupColdOpen(cached = 500, samples = 3): Promise<BenchRow> {
  const session = await startSession();
  const profile = mkdtempSync(join(tmpdir(), 'lupa-cold-'));
  try {
    await (await session.configure()).close();
    const popup = await session.openPage('popup.html');
    await popup.getByRole('searchbox').waitFor();
    await seedLookups(popup, cached);
    await popup.close();
    // The configured profile, copied while the browser is closed, then opened cold each time.
    await session.context.close();
    cpSync(session.profile, profile, { recursive: true });
    const form: number[] = [];
    const fromNavigation: number[] = [];
    for (let sample = 0; sample < samples; sample++) {
      const browser = await launchWithExtension({ profile });
      try {
        const cold = await browser.context.newPage();
        await cold.goto(`chrome-extension://${new URL(browser.serviceWorker.url()).host}/popup.html`);
        const opening = await popupOpening(cold);
        form.push(opening.form);
        fromNavigation.push(opening.fromNavigation);
      } finally {
        await browser.context.close();
      }
    }
    return {
      what: `popup's first open after a browser start, ${cached} cached lookups: navigation → Cédula field enabled, worst of ${samples} (script start → field: ${Math.max(...form).toFixed(0)} ms)`,
      value: `${Math.max(...fromNavigation).toFixed(0)} ms`,
      // Issue 25 saw it blank for seconds (storage.managed answers after ~2.8 s on a cold start).
      target: '< 1 s',
      ok: Math.max(...fromNavigation) < 1_000,
    };
  } finally {
    rmSync(profile, { recursive: true, force: true });
    await session.stop().catch(() => undefined);
  }
}

/** Exporting the whole history: 500 lookups, two employers each, 24 months. */
/** 500 cached lookups as the bench's CSV and summary rows read them: 2 employers × 24 months each. */
function benchReports(lookups: number): ExportableReport[] {
  const months = Array.from(
    { length: 24 },
    (_, index) =>
      `${2024 + Math.floor((index + 10) / 12)}-${String(((index + 10) % 12) + 1).padStart(2, '0')}`,
  );
  return Array.from({ length: lookups }, (_, index) => ({
    cedula: String(10_000_000 + index),
    consultedAt: '2026-11-27T15:00:00.000Z',
    owners: [{ id: `o${index}`, display_name: `Persona ${index}` }],
    employments: [0, 1].map((employer) => ({
      id: `e${index}-${employer}`,
      employer_data: {
        name: employer ? '=Empresa "Dos"; S.A.S.' : 'Empresa Uno S.A.S.',
        id_type: 'NIT',
        id_number: 900_000_000 + employer,
        tenure: 30,
      },
      salary_and_benefit_details: months.map((month) => ({
        month,
        gross_amount: 3_500_000,
        net_amount: 3_220_000,
        employment_type: 'SALARIED',
        salary_type: 'FIXED',
        salary_comprehensive: false,
        pension_fund_name: 'Protección',
        healthcare_provider_name: 'EPS Sura',
        status_changes: [],
      })),
    })),
  }));
}

export function benchCsvExport(lookups = 500): BenchRow {
  const reports = benchReports(lookups);
  toCsv(reports.slice(0, 10), ';');
  const timings = Array.from({ length: 5 }, () => {
    const started = performance.now();
    toCsv(reports, ';');
    return performance.now() - started;
  });
  const median = percentile(timings, 50);
  return {
    what: `CSV export of ${lookups} lookups × 2 employers × 24 months (${lookups * 48} rows, median of 5, Node)`,
    value: `${median.toFixed(0)} ms`,
    target: '< 300 ms',
    ok: median < 300,
  };
}

/** An entry's JavaScript with every chunk it imports, gzipped one file at a time as a server would. */
function gzippedEntry(htmlOrScript: string): number {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*["']([^"']+\.js)["']/g)) {
      const target = match[1]!.startsWith('/')
        ? join(E2E_EXTENSION_DIR, match[1]!)
        : resolve(dirname(file), match[1]!);
      visit(target);
    }
  };
  if (htmlOrScript.endsWith('.html')) {
    const html = readFileSync(join(E2E_EXTENSION_DIR, htmlOrScript), 'utf8');
    for (const match of html.matchAll(/src="([^"]+\.js)"/g)) visit(join(E2E_EXTENSION_DIR, match[1]!));
    for (const match of html.matchAll(/href="([^"]+\.css)"/g)) seen.add(join(E2E_EXTENSION_DIR, match[1]!));
  } else {
    visit(join(E2E_EXTENSION_DIR, htmlOrScript));
  }
  return [...seen].reduce((total, file) => total + gzipSync(readFileSync(file)).length, 0);
}

export function benchBundleSizes(): BenchRow[] {
  return [
    {
      what: 'popup bundle, gzip (its JS, shared chunks and CSS)',
      value: `${(gzippedEntry('popup.html') / 1024).toFixed(1)} KB`,
      target: 'reported',
      ok: undefined,
    },
    {
      what: 'background bundle, gzip (its JS and shared chunks)',
      value: `${(gzippedEntry('background.js') / 1024).toFixed(1)} KB`,
      target: 'reported',
      ok: undefined,
    },
  ];
}

/** Issue 13: the summary, credit indicators included, of every cached lookup within the popup's 100 ms. */
export function benchSummaries(lookups = 500): BenchRow {
  const reports = benchReports(lookups);
  for (const report of reports.slice(0, 10))
    summarize(report.employments, { consultedAt: report.consultedAt });
  const timings = Array.from({ length: 5 }, () => {
    const started = performance.now();
    for (const report of reports) summarize(report.employments, { consultedAt: report.consultedAt });
    return performance.now() - started;
  });
  const median = percentile(timings, 50);
  return {
    what: `summaries of ${lookups} cached lookups × 2 employers × 24 months, credit indicators included (median of 5, Node)`,
    value: `${median.toFixed(0)} ms`,
    target: '< 100 ms',
    ok: median < 100,
  };
}
