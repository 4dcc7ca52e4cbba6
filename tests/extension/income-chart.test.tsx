import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { IncomeChart } from '../../components/report/income-chart.js';
import { I18nProvider } from '../../components/shared/i18n-context.js';

afterEach(cleanup);

const months = Array.from({ length: 24 }, (_, index) => ({
  month: `${2024 + Math.floor((index + 10) / 12)}-${String(((index + 10) % 12) + 1).padStart(2, '0')}`,
  income: index === 5 || index === 7 ? 0 : 1_000_000 + index * 10_000,
  contributed: index !== 5 && index !== 7,
  // A month with lines but no amount reads "sin base reportada", never $ 0.
  withoutBase: index === 7,
  // A sick leave in month 10: its dip is explained, not a fall.
  atypical: index === 10 ? [{ kind: 'status' as const, status: 'ON_LEAVE' as const }] : [],
  // The last month's planillas are not due yet.
  notDue: index === 23,
}));

describe('IncomeChart', () => {
  it('gives every value as text when asked, a month without contribution said so', async () => {
    render(
      <I18nProvider language="es">
        <IncomeChart months={months} />
      </I18nProvider>,
    );
    expect(screen.queryByRole('table')).toBeNull();
    const details = screen.getByText('Ver los valores').closest('details')!;
    details.open = true;
    fireEvent(details, new Event('toggle'));
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(1 + 24);
    expect(rows[6]?.textContent).toContain('Sin aporte');
    expect(rows[8]?.textContent).toContain('Sin base reportada');
    expect(rows[24]?.textContent).toMatch(/\$\s1\.230\.000/);
    // Unusual months are labelled, with why.
    expect(rows[11]?.textContent).toContain('mes atípico: incapacidad o licencia');
    expect(rows[24]?.textContent).toContain('planilla aún sin vencer: puede llegar');
  });

  it('draws an atypical month light, says why in its bar, and explains the light bars', () => {
    const { container } = render(
      <I18nProvider language="es">
        <IncomeChart months={months} />
      </I18nProvider>,
    );
    const bars = [...container.querySelectorAll('svg rect')];
    expect(bars[10]?.getAttribute('fill')).not.toBe(bars[9]?.getAttribute('fill'));
    expect(bars[10]?.querySelector('title')?.textContent).toContain('(mes atípico: incapacidad o licencia)');
    expect(screen.getByText(/Barras claras: meses atípicos/)).toBeTruthy();
  });

  it('anchors the last month’s label at the end, so it is not cut off', () => {
    const { container } = render(
      <I18nProvider language="es">
        <IncomeChart months={months} />
      </I18nProvider>,
    );
    const labels = [...container.querySelectorAll('svg text')].slice(1);
    expect(labels.at(-1)?.getAttribute('text-anchor')).toBe('end');
    expect(labels.at(-1)?.getAttribute('x')).toBe('340');
    // The label before it is at least six months away, so the two never overlap.
    const slot = 340 / 24;
    expect(340 - Number(labels.at(-2)?.getAttribute('x'))).toBeGreaterThanOrEqual(6 * slot);
  });
});
