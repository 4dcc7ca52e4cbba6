import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCrm } from '../../demo-crm/crm-server.js';
import { startFixtureServer } from './crm-fixture-server.js';
import { type Session, startLookupInPopup, startSession } from './extension-harness.js';

let session: Session;
let crm: Awaited<ReturnType<typeof startDemoCrm>>;
let fixtures: Awaited<ReturnType<typeof startFixtureServer>>;
/** The same fixtures on `localhost`, an origin the analyst never enabled. */
let foreign: Awaited<ReturnType<typeof startFixtureServer>>;
beforeAll(async () => {
  session = await startSession();
  crm = await startDemoCrm();
  fixtures = await startFixtureServer();
  foreign = await startFixtureServer('localhost');
  await (await session.configure()).close();
  // The analyst already looked this person up from the popup: the overlay shows it from the cache.
  const popup = await session.openPage('popup.html');
  await startLookupInPopup(popup, '1020304050');
  await popup.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 30_000 });
  await popup.close();
});
afterAll(async () => {
  await fixtures?.close();
  await foreign?.close();
  await crm?.close();
  await session?.stop();
});

type ChromeApis = {
  tabs: {
    query(filter: { url: string }): Promise<Array<{ id: number }>>;
    sendMessage(tabId: number, message: unknown, options: { frameId: number }): Promise<unknown>;
  };
  runtime: { sendMessage(message: unknown): Promise<unknown> };
};

const panel = (page: Page) => page.frameLocator('iframe[title="Lupa"]');

/**
 * Ticks the panel's consent box. The panel clears it whenever it is not in full view for a moment (a
 * busy machine can delay the browser's visibility report), so it is ticked until it stays ticked.
 */
async function giveConsentInPanel(frame: FrameLocator) {
  const consent = frame.getByLabel(/^El solicitante autorizó/);
  await expect
    .poll(
      async () => {
        if (!(await consent.isChecked())) await consent.click({ timeout: 2_000 }).catch(() => undefined);
        return consent.isChecked();
      },
      { timeout: 15_000 },
    )
    .toBe(true);
}

describe('the CRM overlay', () => {
  it('appears on a Salesforce-shaped record page with the cached summary', async () => {
    const page = await session.context.newPage();
    await page.goto(`${crm.url}/salesforce.html`);
    const summary = panel(page).getByRole('region', { name: 'Resumen' });
    await summary
      .locator('ul.employers > li', { hasText: 'Comercializadora Andina del Valle S.A.S.' })
      .waitFor({ timeout: 15_000 });
    await summary
      .getByText(/\$\s6\.900\.000/)
      .first()
      .waitFor();
    // The credit figures, labelled and explained, as in the popup.
    const regular = summary.locator('.figure', { hasText: 'Ingreso regular (base verificable)' });
    await regular.getByText(/\$\s6\.900\.000/).waitFor();
    await regular.getByText('¿Cómo se calcula?').click();
    await regular.getByText(/últimos 3 meses típicos/).waitFor();
    // Two salaried employers: the estimate is the base as a minimum, said beside it.
    await regular.getByText('el ingreso es esta base o más (asalariado o pensionado)').waitFor();
    // The chart is drawn once the analyst scrolls down to its place (it is not needed to show the panel).
    const chart = panel(page).getByRole('img', { name: /Ingresos de los últimos 24 meses/ });
    expect(await chart.count()).toBe(0);
    await panel(page).locator('.chart-placeholder').scrollIntoViewIfNeeded();
    await chart.waitFor({ timeout: 5_000 });
    await session.screenshot(page, 'overlay-salesforce-cached');
    await page.close();
  });

  it('keeps the panel’s content out of reach of the page’s own scripts', async () => {
    const page = await session.context.newPage();
    await page.goto(`${crm.url}/salesforce.html`);
    await panel(page).getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 15_000 });
    const seenByPage = await page.evaluate(() => {
      const frame = document.querySelector('iframe[title="Lupa"]') as HTMLIFrameElement | null;
      let frameDocument: string | null = null;
      try {
        frameDocument = frame?.contentDocument?.body?.textContent ?? null;
      } catch {
        frameDocument = null;
      }
      return { frameDocument, pageText: document.body.textContent ?? '' };
    });
    expect(seenByPage.frameDocument).toBeNull();
    expect(seenByPage.pageText).not.toContain('Comercializadora Andina');
    expect(seenByPage.pageText).not.toContain('6.900.000');
    await page.close();
  });

  it('offers "Consultar" with the consent step on a HubSpot-shaped page and updates live when ready', async () => {
    const page = await session.context.newPage();
    await page.goto(`${crm.url}/hubspot.html`);
    const frame = panel(page);
    await frame.getByText('No hay una consulta guardada para la C.C. ****3456.').waitFor({ timeout: 15_000 });
    await session.screenshot(page, 'overlay-hubspot-consult');
    await giveConsentInPanel(frame);
    await frame.getByRole('button', { name: 'Consultar' }).click();
    await frame
      .getByRole('region', { name: 'Resumen' })
      .getByText('Luis Alberto Pérez Quintero')
      .waitFor({ timeout: 30_000 });
    await session.screenshot(page, 'overlay-hubspot-ready');
    await page.close();
  });

  it('appears on an in-house app only once a client-side navigation shows a cédula', async () => {
    const page = await session.context.newPage();
    await page.goto(`${crm.url}/`);
    await page.getByRole('heading', { name: 'Solicitudes pendientes' }).waitFor();
    const wrapper = page.locator('iframe[title="Lupa"]');
    await wrapper.waitFor({ state: 'attached' });
    expect(await wrapper.isVisible()).toBe(false);
    await page.getByRole('link', { name: /2026-0042/ }).click();
    await panel(page)
      .getByRole('region', { name: 'Resumen' })
      .getByText('María Fernanda Gómez Restrepo')
      .waitFor({ timeout: 15_000 });
    expect(page.url()).toBe(`${crm.url}/solicitudes/2026-0042`);
    await session.screenshot(page, 'overlay-in-house');

    // Minimised, it stays minimised on this site.
    await panel(page).getByRole('button', { name: 'Minimizar' }).click();
    await panel(page)
      .getByRole('button', { name: /^Lupa · C\.C\. \*+4050/ })
      .waitFor();
    await page.reload();
    await panel(page)
      .getByRole('button', { name: /^Lupa · C\.C\. \*+4050/ })
      .waitFor({ timeout: 15_000 });
    await panel(page)
      .getByRole('button', { name: /^Lupa · C\.C\. \*+4050/ })
      .click();
    // Expanded again, and saved so before the tab closes: the next test opens the panel expanded.
    await panel(page).getByRole('button', { name: 'Minimizar' }).waitFor();
    await expect
      .poll(() =>
        session.serviceWorker.evaluate(async () => {
          // The worker's `chrome`, typed here only as far as this call needs.
          const { storage } = (
            globalThis as unknown as {
              chrome: { storage: { local: { get(key: string): Promise<Record<string, unknown>> } } };
            }
          ).chrome;
          const stored = (await storage.local.get('settings')).settings as
            | { overlayPlacement?: Record<string, { expanded: boolean }> }
            | undefined;
          return Object.values(stored?.overlayPlacement ?? {}).every((placement) => placement.expanded);
        }),
      )
      .toBe(true);
    await page.close();
  });

  it('checks the CRM record against PILA: the agreement’s employer and the applicant’s name', async () => {
    const page = await session.context.newPage();
    const summary = panel(page).getByRole('region', { name: 'Resumen' });
    const alerts = summary.getByRole('list', { name: 'Alertas' });
    // 2026-0042: María, whose current employer is the agreement's (NIT 900.482.317-1), same name.
    await page.goto(`${crm.url}/solicitudes/2026-0042`);
    const checks = summary.getByRole('list', { name: 'Comprobado con PILA' });
    await checks
      .getByText(
        /^Empleador del convenio en PILA: sí \(Comercializadora Andina del Valle S\.A\.S\.\), último aporte /,
      )
      .waitFor({ timeout: 15_000 });
    await checks.getByText('El nombre del CRM coincide con el de PILA').waitFor();
    await summary
      .getByText(/^Tope de libranza con Comercializadora Andina del Valle S\.A\.S\., empleador del convenio$/)
      .waitFor();
    expect(await panel(page).getByLabel('NIT del empleador del convenio (opcional)').inputValue()).toBe(
      '900.482.317-1',
    );
    expect(await alerts.getByText(/^El nombre en PILA/).count()).toBe(0);
    // The full view reads the same: the record's NIT and name travel with "Ver detalle".
    const [detail] = await Promise.all([
      session.context.waitForEvent('page'),
      panel(page).getByRole('button', { name: 'Ver detalle' }).click(),
    ]);
    const detailChecks = detail
      .getByRole('region', { name: 'Resumen' })
      .getByRole('list', { name: 'Comprobado con PILA' });
    await detailChecks.getByText(/^Empleador del convenio en PILA: sí /).waitFor({ timeout: 15_000 });
    await detailChecks.getByText('El nombre del CRM coincide con el de PILA').waitFor();
    await detail.close();
    // 2026-0045: María's cédula typed on Andrés's application.
    await page.goto(`${crm.url}/solicitudes/2026-0045`);
    await alerts.getByText(/^El nombre en PILA no coincide con el del CRM/).waitFor({ timeout: 15_000 });
    await summary.getByText('María Fernanda Gómez Restrepo').waitFor();
    await session.screenshot(page, 'overlay-name-mismatch');
    // 2026-0046: the same name, surnames first and without accents: it matches, no alert.
    await page.goto(`${crm.url}/solicitudes/2026-0046`);
    await checks.getByText('El nombre del CRM coincide con el de PILA').waitFor({ timeout: 15_000 });
    expect(await alerts.getByText(/^El nombre en PILA/).count()).toBe(0);
    // 2026-0043: Luis (looked up in the HubSpot test) works elsewhere: the agreement's employer is not his.
    await page.goto(`${crm.url}/solicitudes/2026-0043`);
    await alerts
      .getByText('El empleador del convenio (NIT 900482317) no aparece como empleador actual en PILA')
      .waitFor({ timeout: 15_000 });
    expect(await summary.getByText(/^Tope de libranza/).count()).toBe(0);
    // Minimised, the bar still says how many alerts wait inside.
    await panel(page).getByRole('button', { name: 'Minimizar' }).click();
    await panel(page)
      .getByRole('button', { name: /^Lupa · C\.C\. \*+3456 · Historia lista · \d+ alertas?$/ })
      .waitFor();
    await panel(page)
      .getByRole('button', { name: /^Lupa · C\.C\./ })
      .click();
    await panel(page).getByRole('button', { name: 'Minimizar' }).waitFor();
    await page.close();
  });

  it('opens the full view from "Ver detalle"', async () => {
    const page = await session.context.newPage();
    await page.goto(`${crm.url}/salesforce.html`);
    const [detail] = await Promise.all([
      session.context.waitForEvent('page'),
      panel(page).getByRole('button', { name: 'Ver detalle' }).click({ timeout: 15_000 }),
    ]);
    await detail
      .getByRole('region', { name: 'Resumen' })
      .getByText('María Fernanda Gómez Restrepo')
      .waitFor();
    expect(detail.url()).toContain('/popup.html?lookup=');
    await detail.close();
    await page.close();
  });

  it('takes the keyboard to the panel with the extension’s shortcut', async () => {
    const page = await session.context.newPage();
    const url = `${fixtures.url}/crm/salesforce.html`;
    await page.goto(url);
    const frame = panel(page);
    await frame.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 15_000 });
    // What the background does on the "focus-panel" command (headless Chromium cannot press it).
    await session.serviceWorker.evaluate(async (pageUrl) => {
      // The worker's `chrome`, typed here only as far as this call needs.
      const { tabs, runtime } = (globalThis as unknown as { chrome: ChromeApis }).chrome;
      const [tab] = await tabs.query({ url: pageUrl });
      await tabs.sendMessage(tab!.id, { type: 'overlay.focus' }, { frameId: 0 });
      await runtime.sendMessage({ type: 'overlay.focus', tabId: tab!.id });
    }, url);
    await expect
      .poll(() =>
        frame.getByRole('heading', { level: 1, name: 'Lupa' }).evaluate((h) => h === document.activeElement),
      )
      .toBe(true);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('IFRAME');
    await page.close();
  });

  describe('on each CRM’s real markup', () => {
    it.each([
      ['crm/salesforce', 'cached', '4050'],
      ['crm/salesforce-stale', 'cached', '4050'],
      ['e2e/salesforce-shadow', 'cached', '4050'],
      // Looked up by the HubSpot test above: cached now.
      ['crm/hubspot', 'cached', '3456'],
      ['crm/hubspot-profile', 'cached', '4050'],
      ['crm/zoho', 'ask', '1.030.405.060'],
      ['crm/dynamics', 'ask', '71.234.567'],
      ['crm/pipedrive', 'ask', '80.123.456'],
      // Systems without an adapter, read by the generic pass's form groups.
      ['crm/odoo-contact-edit', 'ask', '1.037.612.984'],
      ['crm/odoo-contact-read', 'ask', '1.037.612.984'],
      ['crm/vtiger-detail', 'ask', '43.876.210'],
      ['crm/espocrm-detail', 'ask', '1.128.456.789'],
      ['crm/core-banking', 'ask', '71.654.321'],
    ])('%s: the panel offers the record’s cédula and no other', async (fixture, state, shown) => {
      const page = await session.context.newPage();
      await page.goto(`${fixtures.url}/${fixture}.html`);
      const frame = panel(page);
      if (state === 'cached') {
        await frame.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 15_000 });
        await frame.getByText(new RegExp(`C\\.C\\. \\*+${shown} ·`)).waitFor();
      } else {
        await frame.getByText(`Se consultará la C.C. ${shown}.`).waitFor({ timeout: 15_000 });
      }
      // One person on each page: no chooser, so no earlier (hidden) record is offered.
      expect(await frame.getByRole('group', { name: /varias cédulas/ }).count()).toBe(0);
      await page.close();
    });
  });

  describe('on pages it does not trust', () => {
    it('renders nothing when a page on an origin that is not enabled frames it and posts a cédula', async () => {
      // The strongest attacker: one that learnt the frame's URL (Chrome gives it a per-session id).
      const crmPage = await session.context.newPage();
      await crmPage.goto(`${fixtures.url}/crm/salesforce.html`);
      await panel(crmPage).getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 15_000 });
      const frameUrl = await crmPage.locator('iframe[title="Lupa"]').getAttribute('src');
      await crmPage.close();

      const page = await session.context.newPage();
      await page.goto(`${foreign.url}/e2e/framing-page.html?frame=${encodeURIComponent(frameUrl!)}`);
      const framed = page.frameLocator('#lupa');
      // The panel's page loads (its root exists) and is given a cédula for two seconds…
      await framed.locator('#app').waitFor({ state: 'attached', timeout: 15_000 });
      await page.waitForTimeout(2_000);
      // …and renders nothing at all.
      expect(await framed.locator('#app').innerHTML()).toBe('');
      await page.close();
    });

    it('ignores a page script that posts the frame another cédula on an enabled page', async () => {
      const page = await session.context.newPage();
      await page.goto(`${fixtures.url}/crm/salesforce.html`);
      const frame = panel(page);
      await frame.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 15_000 });
      await page.evaluate(() => {
        const target = (document.querySelector('iframe[title="Lupa"]') as HTMLIFrameElement).contentWindow!;
        for (const cedulas of [['52123456'], ['52123456', '1020304050']])
          target.postMessage({ type: 'lupa:cedulas', cedulas }, '*');
      });
      await page.waitForTimeout(1_000);
      await frame.getByText(/C\.C\. \*+4050 ·/).waitFor();
      expect(await frame.getByText(/3456/).count()).toBe(0);
      expect(await frame.getByRole('group', { name: /varias cédulas/ }).count()).toBe(0);
      await page.close();
    });

    it('will not consult while the page covers or fades the panel', async () => {
      const page = await session.context.newPage();
      await page.goto(`${fixtures.url}/crm/pipedrive.html`);
      const frame = panel(page);
      await frame.getByText('Se consultará la C.C. 80.123.456.').waitFor({ timeout: 15_000 });
      await giveConsentInPanel(frame);
      const consult = frame.getByRole('button', { name: 'Consultar' });
      await expect.poll(() => consult.isEnabled(), { timeout: 5_000 }).toBe(true);
      // A clickjacking page makes the panel nearly transparent to lure a click through it.
      await page.evaluate(() => {
        (document.querySelector('iframe[title="Lupa"]')!.parentElement as HTMLElement).style.opacity = '0.1';
      });
      await expect.poll(() => consult.isEnabled(), { timeout: 5_000 }).toBe(false);
      await frame.getByText(/algo lo cubre/).waitFor();
      await page.evaluate(() => {
        (document.querySelector('iframe[title="Lupa"]')!.parentElement as HTMLElement).style.opacity = '1';
      });
      await expect.poll(() => consult.isEnabled(), { timeout: 5_000 }).toBe(true);
      await page.close();
    });

    it('sends no lookup when a page covers the panel for 300 ms and removes the cover just before a click', async () => {
      const lookupsOf80123456 = () =>
        session.stack.relay.ctx.store.db
          .selectFrom('lookups')
          .select('id')
          .execute()
          .then((rows) => rows.length);
      const before = await lookupsOf80123456();
      const page = await session.context.newPage();
      await page.goto(`${fixtures.url}/crm/pipedrive.html`);
      const frame = panel(page);
      await frame.getByText('Se consultará la C.C. 80.123.456.').waitFor({ timeout: 15_000 });
      await giveConsentInPanel(frame);
      const consult = frame.getByRole('button', { name: 'Consultar' });
      await expect.poll(() => consult.isEnabled(), { timeout: 5_000 }).toBe(true);
      const box = (await consult.boundingBox())!;
      // An opaque lure over the panel for 300 ms; gone 250 ms before the click lands where it was,
      // long after the browser saw the panel uncovered again, short of the half second it must settle.
      await page.evaluate(async () => {
        const frameHost = document.querySelector('iframe[title="Lupa"]')!.parentElement!;
        const rect = frameHost.getBoundingClientRect();
        const lure = document.createElement('div');
        lure.textContent = '¡Reclama tu premio!';
        Object.assign(lure.style, {
          position: 'fixed',
          left: `${rect.left}px`,
          top: `${rect.top}px`,
          width: `${rect.width}px`,
          height: `${rect.height}px`,
          background: '#fff',
          zIndex: '2147483647',
        });
        document.body.append(lure);
        await new Promise((resolve) => setTimeout(resolve, 300));
        lure.remove();
        await new Promise((resolve) => setTimeout(resolve, 250));
      });
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForTimeout(1_000);
      expect(await lookupsOf80123456()).toBe(before);
      // The cover also cleared the consent ticked before it. Ticked again in view, the same click
      // once the panel has been in view for half a second is the analyst's.
      expect(await frame.getByLabel(/^El solicitante autorizó/).isChecked()).toBe(false);
      await giveConsentInPanel(frame);
      await expect.poll(() => consult.isEnabled(), { timeout: 5_000 }).toBe(true);
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect.poll(lookupsOf80123456, { timeout: 10_000 }).toBe(before + 1);
      await page.close();
    });
  });
});
