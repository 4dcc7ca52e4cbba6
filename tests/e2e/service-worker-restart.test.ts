import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Session, startLookupInPopup, startSession } from './extension-harness.js';

let session: Session;
beforeAll(async () => {
  // Belvo takes 8 s, long enough to stop the worker while the lookup is pending.
  session = await startSession({ emulator: { extractionMs: 8_000 } });
  await (await session.configure()).close();
});
afterAll(() => session?.stop());

describe('a service worker stopped mid-lookup', () => {
  it('is brought back by chrome.alarms and completes the lookup', async () => {
    const popup = await session.openPage('popup.html');
    await startLookupInPopup(popup, '52123456');
    await popup.getByRole('status').waitFor();

    const { statuses, blank } = await session.stopServiceWorker();
    await expect.poll(() => statuses.at(-1)).toBe('stopped');
    for (const page of session.context.pages()) if (page !== blank) await page.close();
    const logLinesAtStop = session.stack.logLines.length;

    // Nothing is open that could start it: only the keep-awake alarm (every 30 s) can, within 45 s
    // (the hourly cache-expiry alarm first fires a minute after install, outside this window).
    await expect.poll(() => statuses.at(-1), { timeout: 45_000, interval: 500 }).toBe('running');
    // The restarted worker carries on following the lookup and fetches the report once it is ready.
    await expect
      .poll(
        () =>
          session.stack.logLines
            .slice(logLinesAtStop)
            .some(
              (line) => line.includes('"route":"/v1/lookups/:id/report"') && line.includes('"status":200'),
            ),
        {
          timeout: 45_000,
          interval: 500,
        },
      )
      .toBe(true);

    const reopened = await session.openPage('popup.html');
    await reopened.getByRole('button', { name: /^Abrir \*{4}3456/ }).click();
    await reopened
      .getByRole('region', { name: 'Resumen' })
      .getByText('Luis Alberto Pérez Quintero')
      .waitFor();
    await session.screenshot(reopened, 'popup-ready-after-worker-restart');
  });
});
