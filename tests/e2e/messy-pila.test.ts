/**
 * The emulator's real-data people (docs/credit-reading.md), looked up from the popup in Chromium as an
 * analyst would, reading what the summary says. The emulator reads PILA as of 20 November 2026
 * (TEST_PILA_AS_OF): C is November 2026, the latest due month September 2026.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type Session, startLookupInPopup, startSession } from './extension-harness.js';

let session: Session;
beforeAll(async () => {
  session = await startSession();
  await (await session.configure()).close();
});
afterAll(() => session?.stop());

async function lookUp(cedula: string, name: string): Promise<{ popup: Page; summary: Locator }> {
  const popup = await session.openPage('popup.html');
  await startLookupInPopup(popup, cedula);
  const summary = popup.getByRole('region', { name: 'Resumen' });
  await summary.getByText(name).waitFor({ timeout: 30_000 });
  return { popup, summary };
}

describe('messy PILA, read from the popup', () => {
  it('stale data: no current employer, said as an alert with since when', async () => {
    const { popup, summary } = await lookUp('1000000013', 'Hernán Darío Quintero Salazar');
    await summary
      .getByRole('list', { name: 'Alertas' })
      // Chromium's ICU writes the month "abr de 2026"; Node's, "abr 2026".
      .getByText(/^Sin empleador actual: sin aportes desde abr (de )?2026 \(5 meses vencidos sin aportes\)$/)
      .waitFor();
    const regular = summary.locator('.figure', { hasText: 'Ingreso regular (base verificable)' });
    await regular.getByText('Sin empleador actual').waitFor();
    await summary.getByText(/Cifras medidas hasta .*2026, el último mes vencido el 20\/11\/2026/).waitFor();
    if ((await summary.getByText(/^Tope de libranza/).count()) !== 0) {
      throw new Error('a libranza bound is shown for a person with no current employer');
    }
    await session.screenshot(popup, 'popup-stale-data');
    await popup.close();
  });

  it('a line dated after the consultation, a month "13" and an unreadable record: counted, not used', async () => {
    const { popup, summary } = await lookUp('1000000014', 'Luz Adriana Betancur Ospina');
    await summary
      .getByText(
        'Datos de PILA no usados: 1 registro ilegible, no usado; 1 línea con mes ilegible (no usada); 1 línea con mes posterior a la consulta (no usada)',
      )
      .waitFor();
    await summary
      .locator('.figure', { hasText: 'Ingreso regular (base verificable)' })
      .getByText(/\$\s3\.000\.000/)
      .waitFor();
    await popup.close();
  });

  it('a correction planilla: the detail says which line counts', async () => {
    const { popup } = await lookUp('1000000015', 'Camilo Andrés Rendón Patiño');
    const detail = popup.locator('section', {
      has: popup.getByRole('heading', { name: 'Detalle por empleador y mes' }),
    });
    await detail.locator('details > summary').first().click();
    await detail.getByText('mes atípico: posible corrección (2 líneas): se usa la más alta').waitFor();
    await popup.close();
  });

  it('months without a base: left out of the 12-month average, and said', async () => {
    const { popup, summary } = await lookUp('1000000016', 'Paola Andrea Giraldo Castaño');
    await summary.getByText('Más indicadores').click();
    const average = summary.locator('.figure', { hasText: 'Promedio 12 meses calendario' });
    await average
      .locator('dd')
      .first()
      .getByText(/\$\s3\.000\.000/)
      .waitFor();
    await average.getByText(/2 meses sin base reportada, fuera del promedio/).waitFor();
    await popup.close();
  });

  it('two unnamed employers: told apart, never merged', async () => {
    const { popup, summary } = await lookUp('1000000017', 'Jhon Fredy Muñoz Cárdenas');
    const employers = summary.locator('ul.employers > li');
    await employers.filter({ hasText: 'Empleador sin identificar 1' }).waitFor();
    await employers.filter({ hasText: 'Empleador sin identificar 2' }).waitFor();
    await summary
      .locator('.figure', { hasText: 'Ingreso regular (base verificable)' })
      .getByText(/\$\s3\.500\.000/)
      .waitFor();
    await popup.close();
  });

  it('a contractor at the minimum base: "up to" 2,5 SMMLV, and a declared $ 6.000.000 is flagged', async () => {
    const { popup, summary } = await lookUp('1000000018', 'Yuliana Marcela Torres Agudelo');
    await summary
      .locator('.figure', { hasText: 'Valor estimado del contrato (bruto)' })
      .getByText(/^hasta \$\s4\.377\.263$/)
      .waitFor();
    await popup.getByLabel('Ingreso declarado (opcional)').fill('6.000.000');
    await summary
      .getByRole('list', { name: 'Alertas' })
      .getByText('El ingreso declarado supera el estimado')
      .waitFor();
    await popup.close();
  });
});
