/**
 * The extension in real Firefox: options, a lookup from the popup page, and the CRM overlay on a
 * fixture page. The tests in this file build on each other (configured once, the lookup then cached).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PICKER_FRAME_TITLE } from '../../utils/overlay/overlay-controller.js';
import { startFixtureServer } from './crm-fixture-server.js';
import {
  EXTENSION_ORIGIN,
  type FirefoxSession,
  overlayFrame,
  readExtensionPageUntil,
  startFirefoxSession,
  waitInFrame,
} from './firefox-harness.js';

let session: FirefoxSession;
beforeAll(async () => {
  session = await startFirefoxSession();
});
afterAll(async () => {
  await session?.stop();
});

async function fill(page: Page, selector: string, value: string) {
  await page.$eval(selector, (element) => {
    (element as HTMLInputElement).value = '';
  });
  await page.type(selector, value);
}

describe('Lupa in Firefox', () => {
  it('saves the relay in the options and checks the connection', async () => {
    const options = await session.openExtensionPage('options.html', '#relay-url');
    await fill(options, '#relay-url', session.stack.relay.url);
    await fill(options, '#analyst-token', session.stack.analyst.token);
    await options.click('::-p-aria(Guardar)');
    await options.waitForSelector('::-p-text(Guardado.)', { timeout: 15_000 });
    await options.click('::-p-aria(Probar conexión)');
    await options.waitForSelector('::-p-text(Ana Analista)', { timeout: 15_000 });
    await options.close();
  });

  it('looks up a cédula from the popup page and shows the summary', async () => {
    const popup = await session.openExtensionPage('popup.html', '#cedula');
    await popup.type('#cedula', '1.020.304.050');
    await popup.click('label.check input[type="checkbox"]');
    await popup.click('::-p-aria(Consultar)');
    await popup.waitForSelector('::-p-aria([name="Resumen"][role="region"])', { timeout: 30_000 });
    await popup.waitForSelector('::-p-text(María Fernanda Gómez Restrepo)');
    await popup.close();
  });

  it('shows the cached summary in the overlay on a Salesforce record page', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${session.crm.url}/crm/salesforce.html`);
    const frame = await overlayFrame(page);
    await frame.waitForSelector('::-p-aria([name="Resumen"][role="region"])', { timeout: 15_000 });
    await frame.waitForSelector('::-p-text(Comercializadora Andina del Valle S.A.S.)');
    const shown = await page.$eval('iframe[title="Lupa"]', (element) => element.parentElement!.style.display);
    expect(shown).toBe('block');
    await page.close();
  });

  it.each([
    ['crm/salesforce-stale', '::-p-text(C.C. ******4050 ·)'],
    ['e2e/salesforce-shadow', '::-p-text(C.C. ******4050 ·)'],
    ['crm/hubspot', '::-p-text(Se consultará la C.C. 52.123.456.)'],
    ['crm/zoho', '::-p-text(Se consultará la C.C. 1.030.405.060.)'],
    ['crm/dynamics', '::-p-text(Se consultará la C.C. 71.234.567.)'],
    ['crm/pipedrive', '::-p-text(Se consultará la C.C. 80.123.456.)'],
    ['crm/odoo-contact-edit', '::-p-text(Se consultará la C.C. 1.037.612.984.)'],
    ['crm/core-banking', '::-p-text(Se consultará la C.C. 71.654.321.)'],
  ])('offers the right cédula, and only it, on %s', async (fixture, shown) => {
    const page = await session.browser.newPage();
    await page.goto(`${session.crm.url}/${fixture}.html`);
    const frame = await overlayFrame(page);
    await frame.waitForSelector(shown, { timeout: 15_000 });
    expect(await frame.$('fieldset.chooser')).toBeNull();
    await page.close();
  });

  it('ignores a page script that posts the frame another cédula', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${session.crm.url}/crm/salesforce.html`);
    const frame = await overlayFrame(page);
    await frame.waitForSelector('::-p-text(C.C. ******4050 ·)', { timeout: 15_000 });
    await page.evaluate(() => {
      const target = (document.querySelector('iframe[title="Lupa"]') as HTMLIFrameElement).contentWindow!;
      target.postMessage({ type: 'lupa:cedulas', cedulas: ['52123456', '1020304050'] }, '*');
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await frame.$('fieldset.chooser')).toBeNull();
    expect(await frame.$eval('main', (main) => main.textContent)).not.toContain('3456');
    await page.close();
  });

  it('keeps the cédula field the analyst points at, read after a reload, and hears no page script', async () => {
    const page = await session.browser.newPage();
    await page.goto(`${session.crm.url}/crm/mifos-client.html`);
    await overlayFrame(page);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const display = () =>
      page.$eval('iframe[title="Lupa"]', (frame) => (frame.parentElement as HTMLElement).style.display);
    // "Id externo" names no cédula: nothing is offered.
    expect(await display()).toBe('none');

    // A page script tries everything it can before the analyst does anything: no picker opens.
    await page.evaluate(() => {
      for (const message of [
        { type: 'picker.start', sites: [`${location.origin}/*`] },
        { type: 'picker.open', secret: 'made-up' },
        { type: 'lupa:picker-secret', secret: 'made-up' },
      ])
        window.postMessage(message, '*');
      for (const element of document.querySelectorAll('body *'))
        element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const picker = `iframe[title="${PICKER_FRAME_TITLE}"]`;
    expect(await page.$(picker)).toBeNull();

    const options = await session.openExtensionPage('options.html', '#relay-url');
    await fill(options, 'input[aria-label="Sistema propio (URL)"]', session.crm.url);
    await options.click('::-p-aria(Agregar sitio)');
    const site = `http://${new URL(session.crm.url).hostname}`;
    const pick = await options.waitForSelector(
      `::-p-aria([name="Señalar el campo de la cédula: ${site}"][role="button"])`,
      { timeout: 15_000 },
    );
    await pick!.click();

    const frame = await waitInFrame(page, picker, '::-p-text(Haz clic en el dato que muestra la cédula)');
    const box = await page.$$eval('span.m-l-5', (spans) => {
      const rect = spans.find((span) => span.textContent === '1.037.612.984')!.getBoundingClientRect();
      return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
    });
    await page.mouse.move(box.x, box.y);
    await frame.waitForSelector('::-p-text(«Id externo»: 1.037.612.984)', { timeout: 15_000 });
    await page.mouse.click(box.x, box.y);
    await frame.waitForSelector('::-p-text(Lupa leerá la C.C. ******2984 del campo «Id externo»)', {
      timeout: 15_000,
    });
    const pagesBefore = new Set(await session.browser.pages());
    await frame.$eval('button.primary', (button) => (button as HTMLButtonElement).click());
    await expect.poll(() => page.$(picker), { timeout: 15_000 }).toBeNull();
    // Firefox cannot tell whether the page covered the picker: the field is kept once the analyst
    // confirms it in Lupa's own window, and not before.
    let confirmation: Page | undefined;
    for (const deadline = Date.now() + 15_000; !confirmation && Date.now() < deadline; ) {
      confirmation = (await session.browser.pages()).find((opened) => !pagesBefore.has(opened));
      if (!confirmation) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!confirmation) throw new Error('no confirmation window opened');
    await confirmation.waitForSelector('::-p-text(Lupa leerá la C.C. ******2984 del campo «Id externo»)', {
      timeout: 15_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await display()).toBe('none');
    await readExtensionPageUntil(
      confirmation,
      () => (document.querySelector('button.primary') as HTMLButtonElement | null)?.disabled === false,
      (enabled) => enabled,
    );
    await confirmation.click('::-p-aria(Guardar este campo)');
    // At once on the open page (the panel hears the background through its tab), and after a reload.
    const offered = '::-p-text(Se consultará la C.C. 1.037.612.984.)';
    await waitInFrame(page, 'iframe[title="Lupa"]', offered);
    await page.reload();
    await waitInFrame(page, 'iframe[title="Lupa"]', offered);

    // A page script posting what looks like Lupa's messages, and framing the picker's page with a
    // made-up secret, changes nothing of what was kept.
    await page.evaluate(async (pickerUrl) => {
      window.postMessage({ type: 'picker.finish', save: true }, '*');
      window.postMessage({ type: 'crm.locators-changed' }, '*');
      const own = document.createElement('iframe');
      own.id = 'own-picker';
      own.src = pickerUrl;
      document.body.append(own);
      await new Promise((loaded) => own.addEventListener('load', loaded, { once: true }));
      own.contentWindow!.postMessage({ type: 'lupa:picker-secret', secret: 'made-up' }, '*');
    }, `${EXTENSION_ORIGIN}/field-picker.html`);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const ownPicker = page.frames().find((candidate) => candidate.url().endsWith('/field-picker.html'));
    if (ownPicker) expect(await ownPicker.$eval('#app', (app) => app.innerHTML)).toBe('');
    await page.reload();
    await waitInFrame(page, 'iframe[title="Lupa"]', offered);
    await options.close();
    await page.close();
  });

  it('renders nothing in a frame that a site which is not enabled opens and posts a cédula', async () => {
    const foreign = await startFixtureServer('localhost');
    try {
      const page = await session.browser.newPage();
      const overlayUrl = `${EXTENSION_ORIGIN}/overlay.html`;
      await page.goto(`${foreign.url}/e2e/framing-page.html?frame=${encodeURIComponent(overlayUrl)}`);
      // Two seconds of the page posting it a cédula.
      await page.waitForSelector('iframe#lupa');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const framed = page.frames().find((frame) => frame.url() === overlayUrl);
      if (framed) {
        // Loaded: its root is there and empty.
        expect(await framed.$eval('#app', (app) => app.innerHTML)).toBe('');
      } else {
        // Firefox did not load the extension page into this origin's frame at all.
        expect(page.frames().map((frame) => frame.url())).toContain('about:blank');
      }
      await page.close();
    } finally {
      await foreign.close();
    }
  });
  it('has the panel’s lookup confirmed in a Lupa window, and sends nothing before that', async () => {
    const lookups = () =>
      session.stack.relay.ctx.store.db
        .selectFrom('lookups')
        .select('id')
        .execute()
        .then((rows) => rows.length);
    const before = await lookups();
    const page = await session.browser.newPage();
    await page.goto(`${session.crm.url}/crm/pipedrive.html`);
    const frame = await overlayFrame(page);
    await frame.waitForSelector('::-p-text(Se consultará la C.C. 80.123.456.)', { timeout: 15_000 });
    // Through the frame's own script: Firefox ESR 140's BiDi cannot locate nodes inside a frame for a
    // click ("locator.type ... context"), and what is tested here is what happens after the click.
    // The consent box, like the button, answers once the panel has been in view for half a second.
    await expect
      .poll(() => frame.$eval('label.check input', (box) => (box as HTMLInputElement).disabled), {
        timeout: 15_000,
      })
      .toBe(false);
    await frame.$eval('label.check input[type="checkbox"]', (box) => (box as HTMLInputElement).click());
    // Enabled once the panel has been fully in view for half a second.
    await expect
      .poll(() => frame.$eval('button[type="submit"]', (button) => (button as HTMLButtonElement).disabled), {
        timeout: 15_000,
      })
      .toBe(false);
    const pagesBefore = new Set(await session.browser.pages());
    await frame.$eval('button[type="submit"]', (button) => (button as HTMLButtonElement).click());
    await frame.waitForSelector('::-p-text(Confirma la consulta en la ventana de Lupa)', { timeout: 15_000 });
    // The window the background opened (Firefox's BiDi reports an extension page's URL as about:blank).
    let confirmation: Page | undefined;
    for (const deadline = Date.now() + 15_000; !confirmation && Date.now() < deadline; ) {
      confirmation = (await session.browser.pages()).find((opened) => !pagesBefore.has(opened));
      if (!confirmation) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    if (!confirmation) throw new Error('no confirmation window opened');
    // The window names the cédula and the CRM site; the panel's click alone sent nothing.
    await confirmation.waitForSelector('::-p-text(Se consultará la C.C. 80.123.456.)', { timeout: 15_000 });
    await confirmation.waitForSelector(`::-p-text(${new URL(session.crm.url).host})`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await lookups()).toBe(before);
    // "Confirmar" answers a second after the window opened, not to a click aimed at the page.
    await readExtensionPageUntil(
      confirmation,
      () => (document.querySelector('button.primary') as HTMLButtonElement | null)?.disabled === false,
      (enabled) => enabled,
    );
    await confirmation.click('::-p-aria(Confirmar consulta)');
    await expect.poll(lookups, { timeout: 15_000 }).toBe(before + 1);
    // The panel follows the lookup to its summary without a reload.
    await waitInFrame(page, 'iframe[title="Lupa"]', '::-p-aria([name="Resumen"][role="region"])', 30_000);
    await page.close();
  });
});
