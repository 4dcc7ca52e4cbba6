import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CreditFileApp } from '../../components/credit-file/credit-file-app.js';
import type { ExtensionServices } from '../../components/shared/extension-services.js';
import { formatDateTime } from '../../utils/locale/format.js';
import type { CachedLookup, CachedReport } from '../../utils/storage/lookup-cache.js';
import { DEFAULT_SETTINGS } from '../../utils/storage/settings.js';
import { cachedLookup, relayLookup, relayReport } from './fixtures.js';

afterEach(cleanup);

const READY = cachedLookup({
  id: 'lookup-1',
  status: 'ready',
  stage: 'done',
  displayName: 'María Fernanda Gómez Restrepo',
  consentReference: 'SOL-2026-0042',
  updatedAt: '2026-11-27T15:00:00.000Z',
});

function setUp({
  lookup = READY,
  relay = { ok: true, name: 'Ana Analista', used: 3, limit: 200, lender: 'Financiera Andina S.A.' },
}: {
  /** null: not in this browser's cache. */
  lookup?: CachedLookup | null;
  relay?: object;
} = {}) {
  const report = relayReport(relayLookup());
  const cached: CachedReport = {
    lookupId: 'lookup-1',
    owners: report.owners,
    employments: report.employments,
    savedAt: 0,
  };
  const send = vi.fn(async () => relay);
  const services = {
    loadSettings: vi.fn(async () => DEFAULT_SETTINGS),
    // What the popup handed over with "Imprimir / Guardar PDF".
    loadCaseInputs: vi.fn(async () => ({ declaredIncome: 7_000_000, agreementNit: null, crmName: null })),
    openCache: vi.fn(async () => ({
      getLookup: async (id: string) => (lookup && id === lookup.id ? lookup : undefined),
      getReport: async (id: string) => (id === 'lookup-1' ? cached : undefined),
    })),
    send,
  } as unknown as ExtensionServices;
  const print = vi.fn();
  render(
    <CreditFileApp
      services={services}
      lookupId="lookup-1"
      print={print}
      now={() => new Date('2026-11-30T20:00:00.000Z')}
    />,
  );
  return { print, send };
}

describe('credit-file report', () => {
  it('names lender, analyst, applicant, time and authorisation, explains every figure, then prints once', async () => {
    const { print, send } = setUp();
    await waitFor(() => expect(print).toHaveBeenCalledTimes(1));
    expect(send).toHaveBeenCalledWith({ type: 'relay.test' });
    const text = document.body.textContent ?? '';
    expect(text).toContain('Financiera Andina S.A.');
    expect(text).toContain('Ana Analista');
    // The lender's credit file carries the full cédula; the saved file's name does not.
    expect(text).toContain('María Fernanda Gómez Restrepo · C.C. 1.020.304.050');
    // What the analyst typed beside the summary that opened it reaches paper: the declared income.
    expect(text).toContain('Declarado frente al estimado');
    expect(text).toContain('SOL-2026-0042');
    // Bogotá's time: 15:00 UTC is 10:00 in the morning.
    expect(text).toContain(formatDateTime('2026-11-27T15:00:00.000Z', 'es'));
    expect(formatDateTime('2026-11-27T15:00:00.000Z', 'es')).toMatch(/10:00/);
    expect(text).toContain('Fuente: PILA vía Belvo. Consulta del');
    // On paper every explanation is printed, none hidden behind "¿Cómo se calcula?".
    expect(document.querySelectorAll('.how-text').length).toBeGreaterThan(5);
    expect(screen.queryByText('¿Cómo se calcula?')).toBeNull();
    // Every employer's months are open.
    const employers = document.querySelectorAll('details:not(.chart-values)');
    expect(employers.length).toBe(1);
    for (const details of employers) expect((details as HTMLDetailsElement).open).toBe(true);
    expect(document.title).toBe('Lupa · María Fernanda Gómez Restrepo · C.C. ******4050 · 2026-11-27');
  });

  it('still prints when the relay does not answer, saying what is missing', async () => {
    const { print } = setUp({ relay: { ok: false, error: { code: 'relay_unreachable' } } });
    await waitFor(() => expect(print).toHaveBeenCalledTimes(1));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Sin la entidad ni el analista/);
    expect(screen.getAllByText('No disponible')).toHaveLength(2);
  });

  it('says so, and prints nothing, when the lookup is no longer in this browser', async () => {
    const { print } = setUp({ lookup: null });
    expect((await screen.findByRole('alert')).textContent).toMatch(/ya no está guardada en este navegador/);
    expect(print).not.toHaveBeenCalled();
  });

  it('prints on the paper the analyst chooses (a named page in the stylesheet)', async () => {
    const { print } = setUp();
    await waitFor(() => expect(print).toHaveBeenCalled());
    const report = document.querySelector('main.credit-file')!;
    expect(report.classList.contains('paper-letter')).toBe(true);
    fireEvent.change(screen.getByLabelText('Tamaño del papel'), { target: { value: 'a4' } });
    await waitFor(() => expect(report.classList.contains('paper-a4')).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Imprimir / Guardar PDF' }));
    expect(print).toHaveBeenCalledTimes(2);
  });

  it('records no authorisation it was not given', async () => {
    const { print } = setUp({ lookup: { ...READY, consentReference: null } });
    await waitFor(() => expect(print).toHaveBeenCalled());
    expect(document.body.textContent).toContain('No se registró una referencia');
  });
});
