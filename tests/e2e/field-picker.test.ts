/**
 * "Señalar el campo de la cédula" in Chromium: on a core-banking page where Lupa finds no cédula by
 * itself, the analyst points at the field from the options' site list, confirms, reloads, and the
 * panel offers that cédula; forgotten in the options, it is gone. A page's own scripts can neither
 * start the picker nor be heard by a picker frame of their own, nor change what was kept.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PICKER_FRAME_TITLE } from '../../utils/overlay/overlay-controller.js';
import { startFixtureServer } from './crm-fixture-server.js';
import { type Session, startSession } from './extension-harness.js';

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

const panel = (page: Page) => page.frameLocator('iframe[title="Lupa"]');
const pickerSelector = `iframe[title="${PICKER_FRAME_TITLE}"]`;
const panelDisplay = (page: Page) =>
  page.$eval('iframe[title="Lupa"]', (frame) => (frame.parentElement as HTMLElement).style.display);

async function storedLocators() {
  return session.serviceWorker.evaluate(async () => {
    const chrome = (
      globalThis as unknown as {
        chrome: {
          storage: { local: { get(key: string): Promise<Record<string, { fieldLocators?: unknown }>> } };
        };
      }
    ).chrome;
    return (await chrome.storage.local.get('settings')).settings?.fieldLocators ?? [];
  });
}

describe('pointing at the cédula field (Chromium)', () => {
  it('finds nothing on the page, then the field the analyst pointed at, after a reload too, until it is forgotten', async () => {
    const page = await session.context.newPage();
    await page.goto(`${fixtures.url}/crm/mifos-client.html`);
    await page.locator('iframe[title="Lupa"]').waitFor({ state: 'attached', timeout: 15_000 });
    await page.waitForTimeout(1_500);
    // "Id externo" names no cédula: the generic pass offers nothing.
    expect(await panelDisplay(page)).toBe('none');

    const options = await session.openPage('options.html');
    await options.getByLabel('Sistema propio (URL)').fill(fixtures.url);
    await options.getByRole('button', { name: 'Agregar sitio' }).click();
    const site = `http://${new URL(fixtures.url).hostname}`;
    await options.getByRole('button', { name: `Señalar el campo de la cédula: ${site}` }).click();

    // The background brings the CRM tab forward with Lupa's frame over it.
    const picker = page.frameLocator(pickerSelector);
    await picker.getByRole('dialog', { name: 'Señalar el campo de la cédula' }).waitFor({ timeout: 15_000 });
    const value = await page.getByText('1.037.612.984').boundingBox();
    const phone = await page.getByText('3201234567').boundingBox();
    if (!value || !phone) throw new Error('the values are not on screen');
    // Over the phone first: the picker says what it would read, and that it is no cédula.
    await page.mouse.move(phone.x + phone.width / 2, phone.y + phone.height / 2);
    await picker.getByText('«Número móvil»: 3201234567').waitFor();
    await page.mouse.move(value.x + value.width / 2, value.y + value.height / 2);
    await picker.getByText('«Id externo»: 1.037.612.984').waitFor();
    // A click counts once the picker has been in full view for half a second (as the panel's).
    await page.waitForTimeout(600);
    await page.mouse.click(value.x + value.width / 2, value.y + value.height / 2);
    await picker
      .getByText('Lupa leerá la C.C. ******2984 del campo «Id externo» en cada ficha de este sitio.')
      .waitFor();
    await picker.getByRole('button', { name: 'Guardar este campo' }).click();

    await page.locator(pickerSelector).waitFor({ state: 'detached', timeout: 15_000 });
    await panel(page).getByText('Se consultará la C.C. 1.037.612.984.').waitFor({ timeout: 15_000 });
    // Kept as the label and its place, for the site: no id, no class.
    expect(await storedLocators()).toEqual([
      { site: `${site}/*`, label: 'Id externo', position: 0, labelTag: 'b' },
    ]);
    await page.reload();
    await panel(page).getByText('Se consultará la C.C. 1.037.612.984.').waitFor({ timeout: 15_000 });

    // The options list it under the site, and forgetting it takes it off the open page.
    await options.bringToFront();
    await options.reload();
    await options.getByText('Cédula en el campo «Id externo»').waitFor();
    await options.getByRole('button', { name: `Olvidar este campo: Id externo (${site})` }).click();
    await expect.poll(() => panelDisplay(page), { timeout: 15_000 }).toBe('none');
    expect(await storedLocators()).toEqual([]);
    await options.close();
    await page.close();
  });

  it('chooses and saves nothing while the page fades or covers the picker', async () => {
    const page = await session.context.newPage();
    await page.goto(`${fixtures.url}/crm/mifos-client.html`);
    await page.locator('iframe[title="Lupa"]').waitFor({ state: 'attached', timeout: 15_000 });
    const options = await session.openPage('options.html');
    const site = `http://${new URL(fixtures.url).hostname}`;
    await options.getByRole('button', { name: `Señalar el campo de la cédula: ${site}` }).click();
    const picker = page.frameLocator(pickerSelector);
    await picker.getByRole('dialog', { name: 'Señalar el campo de la cédula' }).waitFor({ timeout: 15_000 });
    const value = await page.getByText('1.037.612.984').boundingBox();
    if (!value) throw new Error('the value is not on screen');
    const [x, y] = [value.x + value.width / 2, value.y + value.height / 2];
    // The page fades Lupa's frame to steer a click through it: the click chooses nothing.
    await page.evaluate(
      (selector) => ((document.querySelector(selector) as HTMLElement).parentElement!.style.opacity = '0.05'),
      pickerSelector,
    );
    await page.waitForTimeout(300);
    await page.mouse.move(x, y);
    await page.mouse.click(x, y);
    await picker.getByText(/algo lo cubre/).waitFor();
    expect(await picker.getByRole('button', { name: 'Guardar este campo' }).count()).toBe(0);
    // In full view again for half a second, the same click chooses; a cover over the card then
    // keeps "Guardar este campo" from answering.
    await page.evaluate(
      (selector) => ((document.querySelector(selector) as HTMLElement).parentElement!.style.opacity = '1'),
      pickerSelector,
    );
    await page.waitForTimeout(800);
    await page.mouse.click(x, y);
    const save = picker.getByRole('button', { name: 'Guardar este campo' });
    await expect.poll(() => save.isEnabled(), { timeout: 5_000 }).toBe(true);
    await page.evaluate(() => {
      const cover = document.createElement('div');
      cover.style.cssText = 'position:fixed;inset:0;z-index:2147483647;background:rgba(255,255,255,0.01)';
      document.body.append(cover);
    });
    await expect.poll(() => save.isEnabled(), { timeout: 5_000 }).toBe(false);
    expect(await storedLocators()).toEqual([]);
    await options.close();
    await page.close();
  });

  it('is started by no page script, heard from no frame the page makes, and keeps what the analyst kept', async () => {
    const kept = [{ site: `http://${new URL(fixtures.url).hostname}/*`, label: 'Id externo', position: 0 }];
    await session.serviceWorker.evaluate(async (locators) => {
      const chrome = (
        globalThis as unknown as {
          chrome: {
            storage: {
              local: { get(key: string): Promise<Record<string, object>>; set(items: object): Promise<void> };
            };
          };
        }
      ).chrome;
      const { settings } = await chrome.storage.local.get('settings');
      await chrome.storage.local.set({ settings: { ...settings, fieldLocators: locators } });
    }, kept);
    const page = await session.context.newPage();
    await page.goto(`${fixtures.url}/crm/mifos-client.html`);
    await panel(page).getByText('Se consultará la C.C. 1.037.612.984.').waitFor({ timeout: 15_000 });
    const overlayUrl = await page.locator('iframe[title="Lupa"]').getAttribute('src');
    const pickerUrl = overlayUrl!.replace('/overlay.html', '/field-picker.html');

    await page.evaluate(async (url) => {
      // Everything a page can do: post what looks like Lupa's messages to itself and to the panel,
      // click every element, and frame the picker's own page with a made-up secret.
      const messages = [
        { type: 'picker.start', sites: [`${location.origin}/*`] },
        { type: 'picker.open', secret: 'made-up' },
        { type: 'lupa:picker-secret', secret: 'made-up' },
        { type: 'picker.finish', save: true },
        { type: 'crm.locators-changed' },
      ];
      const panelWindow = (document.querySelector('iframe[title="Lupa"]') as HTMLIFrameElement)
        .contentWindow!;
      for (const message of messages) {
        window.postMessage(message, '*');
        panelWindow.postMessage(message, '*');
      }
      for (const element of document.querySelectorAll('body *'))
        element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      const own = document.createElement('iframe');
      own.id = 'own-picker';
      own.src = url;
      document.body.append(own);
      await new Promise((loaded) => own.addEventListener('load', loaded, { once: true }));
      for (const secret of ['made-up', '', null])
        own.contentWindow!.postMessage({ type: 'lupa:picker-secret', secret }, '*');
    }, pickerUrl);
    await page.waitForTimeout(2_000);

    expect(await page.locator(pickerSelector).count()).toBe(0);
    // The page's own picker frame loads and, heard by nobody, draws nothing.
    expect(await page.frameLocator('#own-picker').locator('#app').innerHTML()).toBe('');
    expect(await storedLocators()).toEqual(kept);
    await panel(page).getByText('Se consultará la C.C. 1.037.612.984.').waitFor();
    await page.close();
  });
});
