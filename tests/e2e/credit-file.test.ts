/**
 * The credit-file report in Chromium: opened from a ready lookup, printed to PDF with the page's own
 * PDF export (what "Guardar como PDF" in the print dialog produces), and read back with Poppler's
 * pdftotext and pdfinfo.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './axe.js';
import { type Session, startLookupInPopup, startSession } from './extension-harness.js';

let session: Session;
let pdfDir: string;
beforeAll(async () => {
  session = await startSession();
  // Headless Chromium has no print dialog to close: window.print() leaves the page "being printed"
  // for good. The page's call is recorded instead, and the PDF made with the page's own export.
  await session.context.addInitScript(() => {
    const counted = window as unknown as { printRequests: number };
    counted.printRequests = 0;
    window.print = () => {
      counted.printRequests++;
    };
  });
  await (await session.configure()).close();
  pdfDir = mkdtempSync(join(tmpdir(), 'lupa-credit-file-'));
});
afterAll(async () => {
  await session?.stop();
  rmSync(pdfDir, { recursive: true, force: true });
});

/** Prints the page as Chromium's "Save as PDF" does (its CSS page size), returns text and page size. */
async function printToPdf(page: Page, name: string): Promise<{ text: string; layout: string; info: string }> {
  const path = join(pdfDir, `${name}.pdf`);
  await page.pdf({ path, preferCSSPageSize: true, printBackground: true });
  return {
    text: execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' }),
    layout: execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }),
    info: execFileSync('pdfinfo', [path], { encoding: 'utf8' }),
  };
}

describe('credit-file report', () => {
  let report: Page;

  it('opens from a ready lookup in its own tab', async () => {
    const popup = await session.openPage('popup.html');
    await startLookupInPopup(popup, '1.020.304.050', 'SOL-2026-0042');
    await popup
      .getByRole('region', { name: 'Resumen' })
      .getByText('María Fernanda Gómez Restrepo')
      .waitFor({ timeout: 30_000 });
    // What the analyst typed beside the summary goes to paper with it.
    await popup.getByLabel('Ingreso declarado (opcional)').fill('7.000.000');
    await popup.getByLabel('NIT del empleador del convenio (opcional)').fill('900.482.317-1');
    [report] = await Promise.all([
      session.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Imprimir / Guardar PDF' }).click(),
    ]);
    await report.getByRole('heading', { name: /reporte para el expediente de crédito/ }).waitFor();
    // The relay's answer about lender and analyst is in before the print dialog opens.
    await report.getByText('Financiera Andina de Prueba S.A.').waitFor();
    // The print dialog was asked for once, when lender and analyst were known.
    await report.waitForFunction(() => (window as unknown as { printRequests: number }).printRequests === 1);
    await session.screenshot(report, 'credit-file');
    expect(await seriousViolations(report)).toEqual([]);
    await popup.close();
  });

  it('prints on Letter the lender, analyst, applicant, authorisation, the decision, every indicator explained and the source', async () => {
    const { text, info } = await printToPdf(report, 'letter');
    expect(info).toMatch(/Page size:\s+612 x 792 pts \(letter\)/);
    const pages = Number(info.match(/Pages:\s+(\d+)/)?.[1]);
    const flat = text.replace(/\s+/g, ' ');
    for (const expected of [
      'Financiera Andina de Prueba S.A.',
      'Ana Analista',
      // The lender's own credit file: the full cédula, as bureau reports print it.
      'María Fernanda Gómez Restrepo · C.C. 1.020.304.050',
      'SOL-2026-0042',
      `Página 1 de ${pages}`,
      `Página ${pages} de ${pages}`,
      // The decision first: the agreement's employer checked and its own libranza bound.
      'Empleador del convenio en PILA: sí (Comercializadora Andina del Valle S.A.S.)',
      'Tope de libranza con Comercializadora Andina del Valle S.A.S., empleador del convenio',
      'Declarado frente al estimado',
      'Umbrales de alerta aplicados: vinculación reciente, menos de 6 meses;',
      'Ingreso regular (base verificable)',
      'la mediana de la base de sus últimos 3 meses típicos',
      'Promedio 12 meses calendario',
      'Comercializadora Andina del Valle S.A.S.',
      'Detalle por empleador y mes',
      'Fuente: PILA vía Belvo. Consulta del',
    ])
      expect(flat).toContain(expected);
    // Every page names the applicant and the lookup.
    const running =
      flat.split('María Fernanda Gómez Restrepo · C.C. 1.020.304.050 · Consulta n.º').length - 1;
    expect(running).toBeGreaterThanOrEqual(pages);
    // The screen's controls stay off paper, and the source line ends once.
    for (const absent of [
      'Tamaño del papel',
      'Imprimir / Guardar PDF',
      '¿Cómo se calcula?',
      'a. m..',
      'p. m..',
    ])
      expect(flat).not.toContain(absent);
  });

  it('never cuts a table row across pages', async () => {
    const { layout, info } = await printToPdf(report, 'rows');
    const pages = Number(info.match(/Pages:\s+(\d+)/)?.[1]);
    expect(pages).toBeGreaterThan(1);
    // Each month row prints whole on one line: its month, then its amounts.
    const rows = await report.locator('.credit-file tbody tr').count();
    const printedRows = layout.split('\n').filter((line) => /^\s*[a-z]{3,4} de \d{4}\s+\$/.test(line)).length;
    expect(printedRows).toBe(rows);
  });

  // The paper is a named page in the extension's stylesheet: an inline <style> would be refused by the
  // extension's CSP, and Chromium would print on its default paper, which is Letter.
  it('prints on A4 when the analyst chooses it', async () => {
    await report.getByLabel('Tamaño del papel').selectOption('a4');
    const { info, text } = await printToPdf(report, 'a4');
    expect(info).toMatch(/Page size:\s+594\.96 x 841\.92 pts \(A4\)/);
    const pages = Number(info.match(/Pages:\s+(\d+)/)?.[1]);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`Página 1 de ${pages}`);
    expect(flat).toContain('María Fernanda Gómez Restrepo · C.C. 1.020.304.050');
    expect(flat).toContain('Umbrales de alerta aplicados');
  });
});
