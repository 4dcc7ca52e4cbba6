import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoCrm } from '../../demo-crm/crm-server.js';
import { type Session, startLookupInPopup, startSession } from './extension-harness.js';

let session: Session;
let crm: Awaited<ReturnType<typeof startDemoCrm>>;
beforeAll(async () => {
  session = await startSession();
  crm = await startDemoCrm();
  await (await session.configure()).close();
  // The analyst already looked this person up from the popup: the overlay shows it from the cache.
  const popup = await session.openPage('popup.html');
  await startLookupInPopup(popup, '1020304050');
  await popup.getByRole('region', { name: 'Resumen' }).waitFor({ timeout: 30_000 });
  await popup.close();
});
afterAll(async () => {
  await crm?.close();
  await session?.stop();
});

const panel = (page: Page) => page.frameLocator('iframe[title="Lupa"]');

describe('the CRM overlay', () => {
  it('appears on a Salesforce-shaped record page with the cached summary', async () => {
    const page = await session.context.newPage();
    await page.goto(`${crm.url}/salesforce.html`);
    const summary = panel(page).getByRole('region', { name: 'Resumen' });
    await summary.getByText('Comercializadora Andina del Valle S.A.S.').waitFor({ timeout: 15_000 });
    await summary
      .getByText(/\$\s6\.900\.000/)
      .first()
      .waitFor();
    // The credit figures, labelled and explained, as in the popup.
    const regular = summary.locator('.figure', { hasText: 'Ingreso regular (base reportada)' });
    await regular.getByText(/\$\s6\.900\.000/).waitFor();
    await regular.getByText('¿Cómo se calcula?').click();
    await regular.getByText(/últimos 3 meses típicos/).waitFor();
    await summary.getByText('Ingreso estimado', { exact: true }).waitFor();
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
    await frame.getByLabel(/^El solicitante autorizó/).check();
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
    await panel(page).getByRole('button', { name: 'Abrir el panel de Lupa' }).waitFor();
    await page.reload();
    await panel(page).getByRole('button', { name: 'Abrir el panel de Lupa' }).waitFor({ timeout: 15_000 });
    await panel(page).getByRole('button', { name: 'Abrir el panel de Lupa' }).click();
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
});
