import type { Employment } from '@lupa/contract';
import { describe, expect, it } from 'vitest';
import { translator } from '../../utils/locale/i18n.js';
import { type SummaryOptions, summarize as summarizeWith } from '../../utils/report/summary/summarize.js';
import { summaryAsText } from '../../utils/report/summary-text.js';

const months = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => {
    const month = from + index;
    return `${2025 + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}`;
  });

const salaried = (name: string, nit: number, base: number, monthList: string[]): Employment => ({
  id: name,
  employer_data: { name, id_type: 'NIT', id_number: nit },
  salary_and_benefit_details: monthList.map((month) => ({
    month,
    gross_amount: base,
    employment_type: 'SALARIED',
    salary_type: 'FIXED',
  })),
});

/** Read on 27 November 2026: October is due (its deadline was the 25th). */
const summarize = (employments: Employment[], options: Partial<SummaryOptions> = {}) =>
  summarizeWith(employments, { consultedAt: '2026-11-27T15:00:00.000Z', ...options });

const header = {
  name: 'María Fernanda Gómez Restrepo',
  cedulaMasked: '******4050',
  consultedAt: '2026-11-27T15:00:00.000Z',
};

describe('summaryAsText: the summary for the CRM’s notes', () => {
  it('names the person by the masked cédula, the date, employers, income and what to keep in mind', () => {
    const summary = summarize([
      salaried('Comercializadora Andina', 900482317, 4_600_000, months(1, 22)),
      salaried('Instituto La Sabana', 860512904, 1_800_000, months(13, 22)),
    ]);
    const text = summaryAsText(header, summary, translator('es'), 'es');
    expect(text.split('\n')[0]).toBe('María Fernanda Gómez Restrepo · C.C. ******4050');
    expect(text).toContain('Consultado');
    expect(text).toMatch(/^- Comercializadora Andina NIT 900482317 · .*tope de libranza: hasta \$/m);
    expect(text).toMatch(/^- Instituto La Sabana NIT 860512904 · /m);
    expect(text).toMatch(/Ingreso regular \(base verificable\): \$\s6\.400\.000/);
    // The decision before the rest, and the thresholds that decided the alerts.
    expect(text.indexOf('Tope de libranza')).toBeLessThan(text.indexOf('Más indicadores:'));
    expect(text).toContain('Umbrales de alerta aplicados: vinculación reciente, menos de 6 meses;');
    // Two current employers is a fact to keep in mind, not an alert.
    expect(text).toContain('Para tener en cuenta: Más de un empleador actual');
    expect(text).not.toMatch(/Alertas:.*Más de un empleador/);
    expect(text).not.toContain('1020304050');
    expect(text.split('\n').at(-1)).toMatch(/^Fuente: PILA/);
  });

  it('says there is no PILA data rather than zeros', () => {
    const text = summaryAsText(header, summarize([]), translator('es'), 'es');
    expect(text).toContain('PILA no tiene aportes registrados para esta cédula.');
    expect(text).not.toContain('Ingreso regular (base verificable)');
  });

  it('carries the consent reference, the agreement check and the name check', () => {
    const summary = summarize([salaried('Comercializadora Andina', 900482317, 4_600_000, months(1, 22))], {
      agreementNit: '900.482.317-1',
      names: { crm: 'Maria Fernanda Gomez', pila: 'GÓMEZ RESTREPO MARÍA FERNANDA' },
    });
    const text = summaryAsText(
      { ...header, consentReference: 'AUT-2026-0042' },
      summary,
      translator('es'),
      'es',
    );
    expect(text).toContain('Referencia de la autorización del solicitante: AUT-2026-0042');
    expect(text).toContain('Empleador del convenio en PILA: sí (Comercializadora Andina)');
    expect(text).toContain('El nombre del CRM coincide con el de PILA');
    expect(text).toMatch(/Tope de libranza con Comercializadora Andina, empleador del convenio: hasta \$/);
  });
});
