/**
 * The batch page in Chromium against the relay and the emulator: a CSV as Excel in Spanish writes it,
 * the preview's per-row errors, one consent for the list, progress to the end, both downloads, and the
 * page picking the batch up again when reopened.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../../utils/report/csv-export.js';
import { PERSON_CSV_COLUMNS } from '../../utils/report/person-csv.js';
import { seriousViolations } from './axe.js';
import { type Session, startSession } from './extension-harness.js';

let session: Session;
let dir: string;
beforeAll(async () => {
  session = await startSession({ env: { BATCH_CONCURRENCY: '3' }, emulator: { extractionMs: 800 } });
  await (await session.configure()).close();
  dir = mkdtempSync(join(tmpdir(), 'lupa-batch-'));
});
afterAll(async () => {
  await session?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const READY = ['1020304050', '52123456', '1030405060', '76000001', '76000002'];

async function downloadCsv(page: Page, button: string): Promise<string[][]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const content = readFileSync((await download.path())!, 'utf8');
  expect(content.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<string[]>(content.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
}

describe('the batch page', () => {
  let page: Page;

  it('previews a CSV from Excel with each bad row, and runs the good ones with one consent', async () => {
    const file = join(dir, 'convenio.csv');
    writeFileSync(
      file,
      '\uFEFFCédula;Referencia autorización;NIT empleador\r\n' +
        '1.020.304.050;AUT-001;900.482.317-1\r\n52.123.456;AUT-002;900.482.317-1\r\n1.030.405.060;AUT-003;\r\n' +
        '1.000.000.001;AUT-004;\r\n76.000.001;AUT-005;\r\n76.000.002;AUT-006;\r\n' +
        '12AB;AUT-007;\r\n76.000.003;;\r\n',
    );
    page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/batch.html`);
    await page.getByLabel('Archivo CSV del convenio').setInputFiles(file);
    await page.getByText('6 filas listas para consultar · 2 con errores').waitFor();
    const invalid = page.getByRole('table', { name: 'Filas que no se consultarán' });
    // Each bad row names the value the file holds, and why in the batch's words.
    await invalid.getByRole('row', { name: /^8 12AB No es una cédula/ }).waitFor();
    await invalid
      .getByRole('row', { name: /^9 76\.000\.003 Falta la referencia de la autorización firmada/ })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const start = page.getByRole('button', { name: 'Consultar 6 personas' });
    expect(await start.isDisabled()).toBe(true);
    await page.getByLabel(/^Confirmo que cada solicitante/).check();
    await start.click();
    await page.getByRole('progressbar').waitFor();

    // The service worker stops mid-batch (Chrome stops idle ones): the page's next wait wakes it, and
    // the batch, which runs at the relay, has lost nothing.
    const { statuses, blank } = await session.stopServiceWorker();
    await expect.poll(() => statuses.includes('stopped')).toBe(true);

    await page.getByText('Lote terminado.').waitFor({ timeout: 60_000 });
    // It was the page that woke the worker again, to ask after the batch.
    expect(statuses.lastIndexOf('running')).toBeGreaterThan(statuses.indexOf('stopped'));
    await blank.close();
    await page.getByText('Listos 5 · En curso 0 · Fallidos 1 · Pendientes 0').waitFor();
    // Who failed, and why, in a line per row; any ready row opens its summary here.
    const rows = page.getByRole('table', { name: 'Resultado por persona' });
    await rows.getByRole('row', { name: /^5 C\.C\. \*+0001 Fallida / }).waitFor();
    expect(await rows.getByText('belvo_login_error').count()).toBe(0);
    await rows.getByRole('button', { name: 'Ver resumen de la línea 2' }).click();
    await page
      .getByRole('region', { name: 'Resumen de la línea 2' })
      .getByText('Empleador del convenio en PILA: sí (Comercializadora Andina del Valle S.A.S.)', {
        exact: false,
      })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await session.screenshot(page, 'batch-done');
  });

  it('downloads one row per person with the indicators, and the months of everyone found', async () => {
    const persons = await downloadCsv(page, 'Descargar resumen por persona (CSV)');
    expect(persons[0]).toEqual([...PERSON_CSV_COLUMNS]);
    expect(persons).toHaveLength(1 + 6);
    const column = (name: (typeof PERSON_CSV_COLUMNS)[number]) => PERSON_CSV_COLUMNS.indexOf(name);
    const byCedula = new Map(persons.slice(1).map((row) => [row[column('cedula')], row]));
    expect(byCedula.get('1000000001')?.[column('estado')]).toBe('fallida');
    expect(byCedula.get('1000000001')?.[column('motivo')]).toMatch(/^[A-ZÁÉÍÓÚ][^_]+$/);
    expect(byCedula.get('1000000001')?.[column('referencia_autorizacion')]).toBe('AUT-004');
    const career = byCedula.get('1020304050')!;
    expect(career[column('nombre')]).toBe('María Fernanda Gómez Restrepo');
    expect(career[column('estado')]).toBe('lista');
    // The emulator's long career: two current employers, regular income 6,900,000 (see popup-lookup).
    expect(career[column('ingreso_regular')]).toBe('6900000');
    expect(career[column('alertas')]).toContain('Más de un empleador actual');
    expect(career[column('convenio_empleador_actual')]).toBe('sí');
    expect(Number(career[column('tope_libranza')])).toBeGreaterThan(0);
    // A contractor elsewhere: the agreement's employer is not his, an alert on his line.
    const contractor = byCedula.get('52123456')!;
    expect(contractor[column('convenio_empleador_actual')]).toBe('no');
    expect(contractor[column('alertas')]).toContain('El empleador del convenio (NIT 900482317) no aparece');

    const months = await downloadCsv(page, 'Descargar detalle por empleador y mes (CSV)');
    expect(months[0]).toEqual([...CSV_COLUMNS]);
    expect(new Set(months.slice(1).map((row) => row[0]))).toEqual(new Set(READY));
  });

  it('picks the batch up again when the page is reopened', async () => {
    await page.close();
    page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/batch.html`);
    await page.getByText('Listos 5 · En curso 0 · Fallidos 1 · Pendientes 0').waitFor();
    await page.getByRole('button', { name: 'Nuevo lote' }).click();
    await page.getByLabel('Archivo CSV del convenio').waitFor();
  });
});
