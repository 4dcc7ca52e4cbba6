import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../utils/report/csv-export.js';
import { seriousViolations } from './axe.js';
import { type Session, startLookupInPopup, startSession } from './extension-harness.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

let session: Session;
beforeAll(async () => {
  session = await startSession();
});
afterAll(() => session?.stop());

describe('the extension in Chromium against the relay and the emulator', () => {
  it('loads with the pinned development id', () => {
    expect(session.extensionId).toBe(session.expectedExtensionId);
  });

  it('leads a first-time analyst to the options, where settings are saved and the connection tested', async () => {
    const popup = await session.openPage('popup.html');
    await popup.getByText('Configura Lupa').waitFor();
    await session.screenshot(popup, 'popup-first-run');
    const [optionsFromPopup] = await Promise.all([
      session.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Abrir opciones' }).click(),
    ]);
    await optionsFromPopup.getByLabel('URL del servidor de tu entidad').waitFor();
    expect(optionsFromPopup.url()).toBe(`chrome-extension://${session.extensionId}/options.html`);

    // The privacy policy ships inside the package and opens from the options.
    const [privacy] = await Promise.all([
      session.context.waitForEvent('page'),
      optionsFromPopup.getByRole('link', { name: 'Política de privacidad' }).click(),
    ]);
    await privacy.getByRole('heading', { name: 'Lupa privacy policy' }).waitFor();
    expect(await privacy.getByRole('heading', { level: 1 }).allTextContents()).toEqual([
      'Política de privacidad de Lupa',
      'Lupa privacy policy',
    ]);
    await session.screenshot(privacy, 'privacy-policy');
    await Promise.all([popup.close(), optionsFromPopup.close(), privacy.close()]);

    const options = await session.configure();
    await options.getByRole('button', { name: 'Probar conexión' }).click();
    await options.getByText(/Conectado como Ana Analista: \d+ de 200 consultas hoy\./).waitFor();
    await session.screenshot(options, 'options-connected');
    await options.close();
  });

  it('runs a lookup from the popup to ready and shows the emulator’s figures', async () => {
    const popup = await session.openPage('popup.html');
    await session.screenshot(popup, 'popup-form');
    await startLookupInPopup(popup, '1.020.304.050', 'SOL-2026-0042');
    await popup.getByRole('status').waitFor();
    await session.screenshot(popup, 'popup-waiting');

    const summary = popup.getByRole('region', { name: 'Resumen' });
    await summary.getByText('María Fernanda Gómez Restrepo').waitFor({ timeout: 30_000 });
    await session.screenshot(popup, 'popup-ready');
    // The long career: A pays 5,100,000 and B 1,800,000 in the latest month; C ended in month 5.
    await summary
      .getByText(/\$\s6\.900\.000/)
      .first()
      .waitFor();
    // Regular income: A's typical months L−2 … L (4,600,000, 5,100,000, 5,100,000) have the median
    // 5,100,000, plus B's 1,800,000. Salaried, so the estimate is a lower bound.
    const regular = summary.locator('.figure', { hasText: 'Ingreso regular (base verificable)' });
    await regular.getByText(/\$\s6\.900\.000/).waitFor();
    // The emulator reads PILA as of TEST_PILA_AS_OF (October 2026 is the latest month): 2026 has its SMMLV.
    // Salaried, so the estimate is the base as a minimum: said beside it, not as a second card.
    await regular.getByText('el ingreso es esta base o más (asalariado o pensionado)').waitFor();
    expect(await summary.getByText('Ingreso estimado', { exact: true }).count()).toBe(0);
    // The twelve months up to September 2026, the latest due month on 20 November: A at 4,600,000 for
    // eleven and 5,100,000 for one, B at 1,800,000 for the last seven; 68,300,000 / 12. Every one of
    // them had contributions, so the average of those months is the same figure.
    // Everything but the decision is under "Más indicadores", folded.
    await summary.getByText('Más indicadores').click();
    const calendar = summary.locator('.figure', { hasText: 'Promedio 12 meses calendario' });
    await calendar
      .locator('dd')
      .first()
      .getByText(/\$\s5\.691\.667/)
      .waitFor();
    await calendar.getByText(/12 de 12 meses con aportes/).waitFor();
    // Every figure says how it is computed.
    await regular.getByText('¿Cómo se calcula?').click();
    await regular.getByText(/la mediana de la base de sus últimos 3 meses típicos/).waitFor();
    const employers = summary.locator('ul.employers > li');
    await employers.filter({ hasText: 'Comercializadora Andina del Valle S.A.S.' }).waitFor();
    await employers.filter({ hasText: 'Instituto Tecnológico de la Sabana' }).waitFor();
    expect(await summary.getByText('Servicios Logísticos del Caribe S.A.S.').count()).toBe(0);
    await summary.getByText('Más de un empleador actual').waitFor();
    await popup.getByRole('img', { name: /Ingresos de los últimos 24 meses/ }).waitFor();
    await popup.close();
  });

  it('leaves no report in the browser’s HTTP disk cache', () => {
    // The report is kept on purpose in the extension's IndexedDB (with its retention and "Borrar
    // todo"); the HTTP cache has neither, so nothing of the relay's answers may land there.
    const cacheDir = join(session.profile, 'Default', 'Cache');
    expect(existsSync(cacheDir)).toBe(true);
    const holding = filesUnder(cacheDir).filter((file) =>
      readFileSync(file).includes('Comercializadora Andina del Valle'),
    );
    expect(holding).toEqual([]);
  });

  it('downloads the CSV with a BOM, the header, one row per employer and month, and formulas neutralised', async () => {
    const popup = await session.openPage('popup.html');
    await startLookupInPopup(popup, '1000000005');
    await popup
      .getByRole('region', { name: 'Resumen' })
      .getByText('Santiago Londoño Mejía')
      .waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([
      popup.waitForEvent('download'),
      popup.getByRole('button', { name: 'Exportar CSV' }).click(),
    ]);
    const content = readFileSync((await download.path())!, 'utf8');
    expect(content.startsWith('\uFEFF')).toBe(true);
    const rows = Papa.parse<string[]>(content.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(1 + 14);
    expect(new Set(rows.slice(1).map((row) => row[0]))).toEqual(new Set(['1000000005']));
    expect(rows[1]?.[2]).toBe(`'=HYPERLINK("http://example.com","Constructora")`);
    expect(rows[1]?.[4]).toBe('901455121');
    // The estimate beside the reported base: salaried, so the base is a minimum.
    const estimated = CSV_COLUMNS.indexOf('ingreso_estimado');
    expect(rows[1]?.slice(estimated, estimated + 3)).toEqual(['3250000', 'mínimo', 'la base es un mínimo']);
    await popup.close();
  });

  it('explains a Belvo login error in Spanish', async () => {
    const popup = await session.openPage('popup.html');
    await startLookupInPopup(popup, '1000000001');
    await popup.locator('.alert', { hasText: /PILA no reconoció la cédula/ }).waitFor({ timeout: 30_000 });
    await popup
      .getByRole('heading', { name: 'La consulta de la C.C. 1.000.000.001 no se completó.' })
      .waitFor();
    // The cédula is what failed: correcting it leads, retrying the same number comes second.
    const actions = popup.locator('.row', { has: popup.getByRole('button', { name: 'Reintentar' }) });
    expect(await actions.getByRole('button').allTextContents()).toEqual(['Corregir cédula', 'Reintentar']);
    expect(await popup.getByRole('button', { name: 'Corregir cédula' }).getAttribute('class')).toBe(
      'primary',
    );
    expect(await seriousViolations(popup)).toEqual([]);
    await session.screenshot(popup, 'popup-failed');
    await popup.close();
  });

  it('reuses a recent result with the relay, which records the new consent, and says how old it is', async () => {
    // The relay answers a reuse with 200 (a new lookup: 202): it saw this consent and reused the result.
    const reuses = () =>
      session.stack.logLines.filter(
        (line) =>
          line.includes('"method":"POST"') &&
          line.includes('"route":"/v1/lookups"') &&
          line.includes('"status":200'),
      ).length;
    const reusesBefore = reuses();
    const popup = await session.openPage('popup.html');
    await startLookupInPopup(popup, '1020304050', 'SOL-2026-0099');
    await popup.getByRole('region', { name: 'Resumen' }).getByText('María Fernanda Gómez Restrepo').waitFor();
    await popup.getByText(/^Resultado de hace \d+ min, sin nuevo cobro/).waitFor();
    expect(reuses()).toBe(reusesBefore + 1);
    await popup.close();
  });

  it('says clearly when the relay is down', async () => {
    await session.stack.relay.stop();
    const popup = await session.openPage('popup.html');
    await startLookupInPopup(popup, '52123456');
    await popup
      .getByText(
        'No se pudo conectar con el servidor de Lupa de tu entidad. Revisa tu conexión a internet; si está bien, avisa a soporte técnico y comparte el diagnóstico.',
      )
      .waitFor({ timeout: 30_000 });
    // Support's diagnostic, one click away; the way to the options is in the popup's header.
    await popup.getByRole('button', { name: 'Copiar diagnóstico' }).waitFor();
    await popup.getByRole('button', { name: 'Opciones' }).waitFor();
    expect(await seriousViolations(popup)).toEqual([]);
    await session.screenshot(popup, 'popup-relay-down');
    await popup.close();
  });
});
