/**
 * The analyst's day by keyboard and screen reader, in Chromium: axe-core over every screen and
 * overlay state (no violation of impact serious or critical), and a keyboard-only journey with the
 * focus and the live region checked at each step. The tests in this file build on each other.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { startFixtureServer } from './crm-fixture-server.js';
import { type Session, startLookupInPopup, startSession } from './extension-harness.js';

let session: Session;
let fixtures: Awaited<ReturnType<typeof startFixtureServer>>;
beforeAll(async () => {
  session = await startSession();
  fixtures = await startFixtureServer();
  await (await session.configure()).close();
});
afterAll(async () => {
  await fixtures?.close();
  await session?.stop();
});

/** A running lookup opens the popup on its own screen: go to the form from wherever it opened. */
async function backToTheForm(popup: Page) {
  const fresh = popup.getByRole('button', { name: 'Nueva consulta' });
  await popup.locator('#cedula').or(fresh).first().waitFor();
  if (await fresh.isVisible()) await fresh.click();
}

const focusedText = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    return `${element?.tagName}:${element?.getAttribute('aria-label') ?? element?.textContent?.trim() ?? ''}`;
  });

describe('keyboard only', () => {
  it('looks a person up, hears the result, exports, opens history, deletes and starts again', async () => {
    const popup = await session.openPage('popup.html');
    // The Cédula field has the focus on opening.
    await expect.poll(() => popup.evaluate(() => document.activeElement?.id)).toBe('cedula');
    await popup.keyboard.type('1.020.304.050');
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('checkbox');
    await popup.keyboard.press('Space');
    await popup.keyboard.press('Tab');
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('consent-reference');
    await popup.keyboard.type('SOL-2026-0100');
    await popup.keyboard.press('Enter');

    // The result's heading takes the focus and the live region says it once.
    const heading = popup.getByRole('heading', { name: 'Historia laboral de la C.C. 1.020.304.050' });
    await heading.waitFor({ timeout: 30_000 });
    await expect.poll(() => heading.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await popup.getByRole('status').textContent()).toBe(
      'Historia lista: María Fernanda Gómez Restrepo',
    );

    // The first Tab stop after the heading is the export.
    await popup.keyboard.press('Tab');
    expect(await focusedText(popup)).toBe('BUTTON:Exportar CSV');
    const [download] = await Promise.all([popup.waitForEvent('download'), popup.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/^lupa-4050-\d{12}\.csv$/);

    // "Nueva consulta", then the history, by keyboard.
    await popup.getByRole('button', { name: 'Nueva consulta' }).focus();
    await popup.keyboard.press('Enter');
    await expect.poll(() => popup.evaluate(() => document.activeElement?.id)).toBe('cedula');
    const open = popup.getByRole('button', { name: /^Abrir/ }).first();
    await open.focus();
    await popup.keyboard.press('Enter');
    await expect
      .poll(() => heading.evaluate((element) => element === document.activeElement), { timeout: 10_000 })
      .toBe(true);
    await popup.getByRole('button', { name: 'Nueva consulta' }).focus();
    await popup.keyboard.press('Enter');
    popup.once('dialog', (dialog) => void dialog.accept());
    const remove = popup.getByRole('button', { name: /^Eliminar/ }).first();
    const before = await popup.getByRole('button', { name: /^Eliminar/ }).count();
    await remove.focus();
    await popup.keyboard.press('Enter');
    // Deleting goes through the background to the relay and back: seconds on a loaded machine.
    await expect
      .poll(() => popup.getByRole('button', { name: /^Eliminar/ }).count(), { timeout: 10_000 })
      .toBe(before - 1);
    await expect
      .poll(() => popup.evaluate(() => document.activeElement?.id), { timeout: 10_000 })
      .toBe('cedula');
    await popup.close();
  });
});

describe('axe-core finds nothing serious', () => {
  it.each([
    ['empty', async () => undefined],
    [
      'invalid',
      async (popup: Page) => {
        await popup.getByLabel('Cédula', { exact: true }).fill('12a4');
        await popup.getByLabel('Cédula', { exact: true }).blur();
        await popup.getByText(/Solo números/).waitFor();
      },
    ],
    [
      'pending',
      async (popup: Page) => {
        await startLookupInPopup(popup, '1000000003');
        await popup.getByRole('heading', { name: /^Consultando la C\.C\./ }).waitFor({ timeout: 15_000 });
      },
    ],
    [
      'login error',
      async (popup: Page) => {
        await startLookupInPopup(popup, '1000000001');
        await popup.getByRole('button', { name: 'Reintentar' }).waitFor({ timeout: 30_000 });
      },
    ],
    [
      'PILA down',
      async (popup: Page) => {
        await startLookupInPopup(popup, '1000000002');
        await popup.getByRole('button', { name: 'Reintentar' }).waitFor({ timeout: 30_000 });
      },
    ],
    [
      'no records',
      async (popup: Page) => {
        await startLookupInPopup(popup, '1030405060');
        await popup
          .getByText('PILA no tiene aportes registrados para esta cédula.')
          .waitFor({ timeout: 30_000 });
      },
    ],
    [
      'ready',
      async (popup: Page) => {
        await startLookupInPopup(popup, '1000000005');
        await popup.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 30_000 });
      },
    ],
  ])('in the popup: %s', async (_state, reach) => {
    const popup = await session.openPage('popup.html');
    await backToTheForm(popup);
    await reach(popup);
    expect(await seriousViolations(popup)).toEqual([]);
    await popup.close();
  });

  // The confirmation window (Firefox's panel lookups) for a request that expired: it still says why.
  it.each([['options.html'], ['privacy.html'], ['confirm-lookup.html?request=vencida']])(
    'on %s',
    async (path) => {
      const page = await session.context.newPage();
      await page.goto(`chrome-extension://${session.extensionId}/${path}`);
      await page.locator('h1').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    },
  );

  it('in every state of the overlay', async () => {
    // The keyboard journey deleted this person's lookup: look them up again, so the panel has it.
    const popup = await session.openPage('popup.html');
    await backToTheForm(popup);
    await startLookupInPopup(popup, '1020304050');
    await popup.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 30_000 });
    await popup.close();
    const page = await session.context.newPage();
    const overlayFrame = () => page.frames().find((frame) => frame.url().endsWith('/overlay.html'))!;
    const panel = page.frameLocator('iframe[title="Lupa"]');
    // Cached: the summary.
    await page.goto(`${fixtures.url}/crm/salesforce.html`);
    await panel.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 15_000 });
    expect(await seriousViolations(overlayFrame())).toEqual([]);
    // Minimised.
    await panel.getByRole('button', { name: 'Minimizar' }).click();
    await panel.getByRole('button', { name: /^Lupa · C\.C\./ }).waitFor();
    expect(await seriousViolations(overlayFrame())).toEqual([]);
    await panel.getByRole('button', { name: /^Lupa · C\.C\./ }).click();
    // Nothing cached: the consent step.
    await page.goto(`${fixtures.url}/crm/pipedrive.html`);
    await panel.getByText('Se consultará la C.C. 80.123.456.').waitFor({ timeout: 15_000 });
    expect(await seriousViolations(overlayFrame())).toEqual([]);
    // Running.
    await panel.getByLabel(/^El solicitante autorizó/).check();
    await panel.getByRole('button', { name: 'Consultar' }).click();
    await panel.getByText('Consulta en curso').first().waitFor({ timeout: 15_000 });
    expect(await seriousViolations(overlayFrame())).toEqual([]);
    // Two people on one page: the chooser.
    await page.goto(`${fixtures.url}/crm/generic-several.html`);
    await panel.getByRole('group', { name: /varias cédulas/ }).waitFor({ timeout: 15_000 });
    expect(await seriousViolations(overlayFrame())).toEqual([]);
    // "Ver detalle": the lookup's full view in a tab.
    await page.goto(`${fixtures.url}/crm/salesforce.html`);
    const [detail] = await Promise.all([
      session.context.waitForEvent('page'),
      panel.getByRole('button', { name: 'Ver detalle' }).click({ timeout: 15_000 }),
    ]);
    await detail.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 15_000 });
    expect(await seriousViolations(detail)).toEqual([]);
    await detail.close();
    await page.close();
  });
});

describe('layout where the analyst works', () => {
  it('keeps "Exportar CSV" within the popup’s first 600 px and the detail inside its width', async () => {
    const popup = await session.context.newPage();
    // Chrome's popup: 400 px wide at most, 600 px tall at most.
    await popup.setViewportSize({ width: 400, height: 600 });
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await backToTheForm(popup);
    await startLookupInPopup(popup, '1000000005');
    const exportButton = popup.getByRole('button', { name: 'Exportar CSV' });
    await exportButton.waitFor({ timeout: 30_000 });
    const box = (await exportButton.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(600);
    // Every employer's months open: still no sideways scroll of the page, nor of any table in it.
    for (const summary of await popup.locator('details > summary').all()) await summary.click();
    expect(await popup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    const sideways = await popup.evaluate(
      () =>
        [...document.querySelectorAll('.table-scroll')].filter(
          (region) => region.scrollWidth > region.clientWidth + 1,
        ).length,
    );
    expect(sideways).toBe(0);
    // "Novedades" stays in view: each month is stacked, its label beside its value.
    const novelties = popup.locator('.detail-table td[data-label="Novedades"]');
    expect(await novelties.count()).toBeGreaterThan(0);
    expect(await novelties.first().evaluate((cell) => getComputedStyle(cell).display)).not.toBe('table-cell');
    expect(await seriousViolations(popup)).toEqual([]);
    await popup.close();
  });

  it('holds the history at 200 % zoom (the popup is then 200 px wide): names whole, "Eliminar" in view', async () => {
    const popup = await session.context.newPage();
    await popup.setViewportSize({ width: 200, height: 300 });
    await popup.goto(`chrome-extension://${session.extensionId}/popup.html`);
    await backToTheForm(popup);
    const remove = popup.getByRole('button', { name: /^Eliminar / }).first();
    await remove.waitFor();
    const box = (await remove.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(200);
    // The button shows its whole word, and no name breaks a word per line.
    expect(await remove.evaluate((button) => button.scrollWidth <= button.clientWidth + 1)).toBe(true);
    const whoWidth = await popup
      .locator('.history .who')
      .first()
      .evaluate((who) => who.getBoundingClientRect().width);
    expect(whoWidth).toBeGreaterThan(150);
    expect(await popup.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(200);
    await popup.close();
  });

  it('takes at most 40 % of a CRM page at 200 % zoom (a 640 px wide viewport)', async () => {
    const page = await session.context.newPage();
    await page.setViewportSize({ width: 640, height: 400 });
    await page.goto(`${fixtures.url}/crm/salesforce.html`);
    const panel = page.frameLocator('iframe[title="Lupa"]');
    await panel.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 15_000 });
    const width = await page.evaluate(
      () =>
        (document.querySelector('iframe[title="Lupa"]') as HTMLIFrameElement).getBoundingClientRect().width,
    );
    expect(width).toBeLessThanOrEqual(260);
    await page.close();
  });
});
