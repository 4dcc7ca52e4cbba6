import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PopupApp } from '../../components/popup/popup-app.js';
import type { ExtensionServices } from '../../components/shared/extension-services.js';
import type { BackgroundToPages } from '../../utils/messaging/protocol.js';
import { type LookupCache, openLookupCache } from '../../utils/storage/lookup-cache.js';
import type { RelayPolicies } from '../../utils/storage/relay-policies.js';
import { DEFAULT_SETTINGS, type Settings } from '../../utils/storage/settings.js';
import { cachedLookup, relayLookup, relayReport } from './fixtures.js';

afterEach(cleanup);
let dbCounter = 0;

const CONFIGURED: Partial<Settings> = { relayUrl: 'http://127.0.0.1:8787', analystToken: 'lupa_x' };

/** Opens the popup; `seed` fills the cache first, as earlier sessions would have. */
async function setUp(
  settings: Partial<Settings> = CONFIGURED,
  seed: (cache: LookupCache) => Promise<void> = async () => {},
  /** null: the background has not learned the relay's policies yet. */
  relayPolicies: RelayPolicies | null = { reuseWindowHours: 24 },
) {
  const cache: LookupCache = await openLookupCache(`lupa-popup-${++dbCounter}`);
  await seed(cache);
  const listeners = new Set<(message: BackgroundToPages) => void>();
  const services = {
    loadSettings: vi.fn(async () => ({ ...DEFAULT_SETTINGS, ...settings })),
    loadRelayPolicies: vi.fn(async () => relayPolicies ?? undefined),
    saveSettings: vi.fn(),
    openCache: async () => cache,
    // What the background follows: the seeded lookups still running, oldest first.
    loadFollowedLookupIds: async () =>
      (await cache.listRecent())
        .filter((lookup) => lookup.status === 'pending')
        .map((lookup) => lookup.id)
        .reverse(),
    send: vi.fn(async () => ({ ok: true, lookupId: 'lookup-1', status: 'pending' })),
    onLookupChanged: (listener: (message: BackgroundToPages) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    openOptions: vi.fn(),
    download: vi.fn(),
    requestOrigins: vi.fn(async () => true),
    releaseOrigins: vi.fn(async () => {}),
    openDetail: vi.fn(),
  } as unknown as ExtensionServices & { send: ReturnType<typeof vi.fn>; download: ReturnType<typeof vi.fn> };
  const changed = (status: Extract<BackgroundToPages, { type: 'lookup.changed' }>['status']) => {
    for (const listener of listeners) listener({ type: 'lookup.changed', lookupId: 'lookup-1', status });
  };
  render(<PopupApp services={services} />);
  return { cache, services, changed };
}

async function storeReady(cache: LookupCache, overrides = {}) {
  await cache.putLookup(
    cachedLookup({ status: 'ready', stage: 'done', updatedAt: new Date().toISOString(), ...overrides }),
  );
  const report = relayReport(relayLookup());
  await cache.putReport(
    { lookupId: 'lookup-1', owners: report.owners, employments: report.employments, savedAt: Date.now() },
    'María Fernanda Gómez Restrepo',
  );
}

function fillAndSubmit(cedula: string, consent = true) {
  fireEvent.input(screen.getByLabelText('Cédula'), { target: { value: cedula } });
  if (consent) fireEvent.click(screen.getByLabelText(/^El solicitante autorizó/));
  fireEvent.click(screen.getByRole('button', { name: 'Consultar' }));
}

describe('popup', () => {
  it('shows no real cédula as the example, and tells the page its language', async () => {
    await setUp();
    const cedula = await screen.findByLabelText('Cédula');
    expect(cedula.getAttribute('placeholder')).toBe('Solo números, con o sin puntos');
    await waitFor(() => expect(document.documentElement.lang).toBe('es-CO'));
    cleanup();
    await setUp({ ...CONFIGURED, language: 'en' });
    await waitFor(() => expect(document.documentElement.lang).toBe('en'));
  });

  it('leads to the options when no relay is configured', async () => {
    const { services } = await setUp({});
    fireEvent.click(await screen.findByRole('button', { name: 'Abrir opciones' }));
    expect(services.openOptions).toHaveBeenCalled();
  });

  it.each([
    ['12a4', 'Solo números'],
    ['0123456', 'no empieza por 0'],
    ['10203040501', 'máximo 10 dígitos'],
  ])(
    'says what is wrong with "%s" when the analyst leaves the field, not while typing',
    async (typed, message) => {
      await setUp();
      const field = await screen.findByLabelText('Cédula');
      fireEvent.input(field, { target: { value: typed } });
      expect(screen.queryByText(new RegExp(message))).toBeNull();
      fireEvent.blur(field);
      expect(await screen.findByText(new RegExp(message))).toBeTruthy();
      expect(field.getAttribute('aria-invalid')).toBe('true');
      // Corrected, the problem goes at once.
      fireEvent.input(field, { target: { value: '1020304050' } });
      await waitFor(() => expect(screen.queryByText(new RegExp(message))).toBeNull());
    },
  );

  it('says nothing while a cédula is being typed ("1" is not wrong yet)', async () => {
    await setUp();
    fireEvent.input(await screen.findByLabelText('Cédula'), { target: { value: '1' } });
    expect(document.getElementById('cedula-problem')?.textContent).toBe('');
  });

  it('hands support a diagnostic when the relay cannot be reached, with no cédula in it', async () => {
    const { services } = await setUp();
    services.send.mockResolvedValueOnce({ ok: false, error: { code: 'relay_unreachable' } });
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await screen.findByLabelText('Cédula');
    fillAndSubmit('1.020.304.050');
    expect((await screen.findByRole('alert')).textContent).toMatch(/avisa a soporte técnico/);
    fireEvent.click(screen.getByRole('button', { name: 'Copiar diagnóstico' }));
    await waitFor(() => expect(writeText).toHaveBeenCalled());
    const diagnostic = String((writeText.mock.calls[0] as unknown[])[0]);
    expect(diagnostic).toContain('Código: relay_unreachable');
    expect(diagnostic).toContain('Servidor: http://127.0.0.1:8787');
    expect(diagnostic).not.toContain('1020304050');
    // The options are one click away, for whoever fixes it.
    fireEvent.click(screen.getByRole('button', { name: 'Opciones' }));
    expect(services.openOptions).toHaveBeenCalled();
  });

  it('does not query without the applicant’s consent', async () => {
    const { services } = await setUp();
    await screen.findByLabelText('Cédula');
    fillAndSubmit('1.020.304.050', false);
    expect(await screen.findByText(/Marca la autorización/)).toBeTruthy();
    expect(services.send).not.toHaveBeenCalled();
  });

  it('compares the income the applicant declared with the estimate, and flags it past the policy', async () => {
    const { cache } = await setUp();
    await storeReady(cache);
    await screen.findByLabelText('Cédula');
    fillAndSubmit('1020304050');
    const summary = within(await screen.findByRole('region', { name: 'Resumen' }));
    // Regular income: the median of September's 4,600,000 and October's 5,100,000; salaried, a minimum.
    // Salaried: the estimate is this base as a minimum, said beside it rather than as a second card.
    const regular = within(
      summary.getByText('Ingreso regular (base verificable)').closest('.figure') as HTMLElement,
    );
    expect(regular.getByText(/^\$\s4\.850\.000$/)).toBeTruthy();
    expect(regular.getByText('el ingreso es esta base o más (asalariado o pensionado)')).toBeTruthy();
    expect(summary.queryByText('Salario estimado')).toBeNull();
    expect(summary.queryByText('El ingreso declarado supera el estimado')).toBeNull();
    fireEvent.input(screen.getByLabelText('Ingreso declarado (opcional)'), {
      target: { value: '$ 7.000.000' },
    });
    expect(await summary.findByText('El ingreso declarado supera el estimado')).toBeTruthy();
    expect(summary.getByText('1,44 ×')).toBeTruthy();
  });

  it('follows the relay’s reuse window, and asks the relay when it is not known yet', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const shortWindow = await setUp(CONFIGURED, (cache) => storeReady(cache, { updatedAt: twoHoursAgo }), {
      reuseWindowHours: 1,
    });
    await screen.findByLabelText('Cédula');
    fillAndSubmit('1020304050');
    await waitFor(() => expect(shortWindow.services.send).toHaveBeenCalledTimes(1));
    cleanup();
    const unknown = await setUp(CONFIGURED, storeReady, null);
    await screen.findByLabelText('Cédula');
    fillAndSubmit('1020304050');
    await waitFor(() => expect(unknown.services.send).toHaveBeenCalledTimes(1));
  });

  it('starts a lookup through the background with the normalised cédula and shows its stage', async () => {
    const { services, cache, changed } = await setUp();
    await screen.findByLabelText('Cédula');
    fireEvent.input(screen.getByLabelText(/Referencia/), { target: { value: 'SOL-77' } });
    fillAndSubmit('1.020.304.050');
    await waitFor(() =>
      expect(services.send).toHaveBeenCalledWith({
        type: 'lookup.start',
        cedula: '1020304050',
        consentReference: 'SOL-77',
        force: undefined,
      }),
    );
    await cache.putLookup(
      cachedLookup({ stage: 'waiting_for_belvo', createdAt: new Date(Date.now() - 4_000).toISOString() }),
    );
    changed('pending');
    expect(await screen.findByText('Consultando PILA…', { selector: '.progress span' })).toBeTruthy();
    expect(screen.getByText(/^\d+ s$/)).toBeTruthy();
    // The stage is announced once by the status region, which never holds the ticking seconds.
    expect(screen.getByRole('status').textContent).toBe('Consultando PILA…');

    await storeReady(cache);
    changed('ready');
    const summaryRegion = await screen.findByRole('region', { name: 'Resumen' });
    expect(within(summaryRegion).getAllByText(/María Fernanda Gómez Restrepo/).length).toBeGreaterThan(0);
    expect(screen.getByRole('status').textContent).toBe('Historia lista: María Fernanda Gómez Restrepo');
    const heading = screen.getByRole('heading', { name: 'Historia laboral de la C.C. 1.020.304.050' });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    const summary = within(screen.getByRole('region', { name: 'Resumen' }));
    expect(summary.getByText('Comercializadora Andina del Valle S.A.S.')).toBeTruthy();
    expect(summary.getByText(/\$\s5\.100\.000/)).toBeTruthy();
    expect(screen.getByRole('img', { name: /Ingresos de los últimos 24 meses/ })).toBeTruthy();
  });

  it('says how old a reused recent result is, and still records the new consent with the relay', async () => {
    const { services, cache } = await setUp();
    await storeReady(cache, { updatedAt: new Date(Date.now() - 6 * 60_000).toISOString() });
    services.send.mockResolvedValueOnce({ ok: true, lookupId: 'lookup-1', status: 'ready' });
    await screen.findByLabelText('Cédula');
    fireEvent.input(screen.getByLabelText(/Referencia/), { target: { value: 'SOL-99' } });
    fillAndSubmit('1020304050');
    expect(await screen.findByText(/Resultado de hace 6 min/)).toBeTruthy();
    expect(services.send).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'lookup.start', cedula: '1020304050', consentReference: 'SOL-99' }),
    );
  });

  it('asks for consent again before "Consultar de nuevo", with a way back to the result', async () => {
    const { services, cache } = await setUp();
    await storeReady(cache);
    services.send.mockResolvedValueOnce({ ok: true, lookupId: 'lookup-1', status: 'ready' });
    await screen.findByLabelText('Cédula');
    fillAndSubmit('1020304050');
    fireEvent.click(await screen.findByRole('button', { name: 'Consultar de nuevo' }));
    expect(await screen.findByText('Se consultará la C.C. 1.020.304.050.')).toBeTruthy();
    expect(services.send).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Cancelar' }));
    expect(await screen.findByRole('region', { name: 'Resumen' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Consultar de nuevo' }));
    fireEvent.click(await screen.findByLabelText(/^El solicitante autorizó/));
    fireEvent.click(screen.getByRole('button', { name: 'Consultar' }));
    await waitFor(() =>
      expect(services.send).toHaveBeenLastCalledWith(
        expect.objectContaining({ type: 'lookup.start', cedula: '1020304050', force: true }),
      ),
    );
  });

  it('reopened while a lookup runs, shows that lookup and its elapsed time', async () => {
    await setUp(CONFIGURED, (cache) =>
      cache.putLookup(
        cachedLookup({ stage: 'waiting_for_belvo', createdAt: new Date(Date.now() - 7_000).toISOString() }),
      ),
    );
    expect(await screen.findByText('Consultando PILA…', { selector: '.progress span' })).toBeTruthy();
    expect(screen.getByText(/^\d+ s$/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Consultando la C.C. 1.020.304.050' })).toBeTruthy();
  });

  it('explains a failed lookup in Spanish, with what to do', async () => {
    const { cache, changed } = await setUp();
    await screen.findByLabelText('Cédula');
    fillAndSubmit('1000000001');
    await cache.putLookup(
      cachedLookup({
        cedula: '1000000001',
        status: 'failed',
        stage: 'done',
        error: { code: 'belvo_login_error', message: 'x', retryable: false },
      }),
    );
    changed('failed');
    expect(
      await screen.findByText(/PILA no reconoció la cédula\. Verifica el número/, { selector: 'p.alert' }),
    ).toBeTruthy();
    // The error names the cédula, has the focus, and the status region says it once.
    const heading = screen.getByRole('heading', { name: /La consulta de la C\.C\. 1\.000\.000\.001/ });
    await waitFor(() => expect(document.activeElement).toBe(heading));
    expect(screen.getByRole('status').textContent).toMatch(/no se completó.*PILA no reconoció/);
  });

  it('retries a failed lookup, or goes back to correct the cédula keeping what was typed', async () => {
    const { services, cache, changed } = await setUp();
    await screen.findByLabelText('Cédula');
    fireEvent.input(screen.getByLabelText(/Referencia/), { target: { value: 'SOL-5' } });
    fillAndSubmit('1000000001');
    await cache.putLookup(
      cachedLookup({
        cedula: '1000000001',
        consentReference: 'SOL-5',
        status: 'failed',
        stage: 'done',
        error: { code: 'institution_down', message: 'x', retryable: true },
      }),
    );
    changed('failed');
    fireEvent.click(await screen.findByRole('button', { name: 'Reintentar' }));
    await waitFor(() =>
      expect(services.send).toHaveBeenLastCalledWith({
        type: 'lookup.start',
        cedula: '1000000001',
        consentReference: 'SOL-5',
        force: true,
      }),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Corregir cédula' }));
    expect(((await screen.findByLabelText('Cédula')) as HTMLInputElement).value).toBe('1.000.000.001');
    expect((screen.getByLabelText(/Referencia/) as HTMLInputElement).value).toBe('SOL-5');
  });

  it('shows the relay’s refusal with its fix', async () => {
    const { services } = await setUp();
    services.send.mockResolvedValueOnce({ ok: false, error: { code: 'unauthorized' } });
    await screen.findByLabelText('Cédula');
    fillAndSubmit('1020304050');
    expect(await screen.findByText(/no reconoce tu token de analista\. Revísalo en Opciones/)).toBeTruthy();
  });

  it('exports the open report as CSV with the chosen separator', async () => {
    const { services } = await setUp({ ...CONFIGURED, csvSeparator: ';' }, storeReady);
    fireEvent.click(await screen.findByRole('button', { name: /^Abrir/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'Exportar CSV' }));
    await waitFor(() => expect(services.download).toHaveBeenCalled());
    const [fileName, content, type] = services.download.mock.calls[0]!;
    expect(fileName).toMatch(/^lupa-4050-\d{12}\.csv$/);
    expect(type).toBe('text/csv;charset=utf-8');
    expect(content.startsWith('\uFEFFcedula;nombre;empleador')).toBe(true);
    expect(content.split('\r\n').filter(Boolean)).toHaveLength(3);
  });

  it('shows the 20 most recent lookups first, and the rest on request', async () => {
    await setUp(CONFIGURED, async (cache) => {
      for (let index = 0; index < 120; index++) {
        await cache.putLookup(
          cachedLookup({
            id: `l${index}`,
            displayName: `Persona ${index}`,
            status: 'ready',
            stage: 'done',
            createdAt: new Date(Date.UTC(2026, 9, 1, 0, index)).toISOString(),
          }),
        );
      }
    });
    await screen.findByText('Persona 119');
    expect(screen.getByText('Persona 100')).toBeTruthy();
    expect(screen.queryByText('Persona 99')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Mostrar 100 más' }));
    expect(await screen.findByText('Persona 0')).toBeTruthy();
    fireEvent.input(screen.getByRole('searchbox', { name: 'Buscar por cédula o nombre' }), {
      target: { value: 'Persona 3' },
    });
    await waitFor(() => expect(screen.queryByText('Persona 119')).toBeNull());
  });

  it('searches the history by name without accents, or by part of the cédula', async () => {
    await setUp(CONFIGURED, async (cache) => {
      await cache.putLookup(
        cachedLookup({ id: 'a', cedula: '1020304050', displayName: 'María Gómez', status: 'ready' }),
      );
      await cache.putLookup(
        cachedLookup({
          id: 'b',
          cedula: '52123456',
          cedulaMasked: '****3456',
          displayName: 'Luis Pérez',
          status: 'ready',
        }),
      );
    });
    await screen.findByText('Luis Pérez');
    const search = screen.getByRole('searchbox', { name: 'Buscar por cédula o nombre' });
    fireEvent.input(search, { target: { value: 'maria' } });
    await waitFor(() => expect(screen.queryByText('Luis Pérez')).toBeNull());
    expect(screen.getByText('María Gómez')).toBeTruthy();
    fireEvent.input(search, { target: { value: '52.123' } });
    await waitFor(() => expect(screen.queryByText('María Gómez')).toBeNull());
    expect(screen.getByText('Luis Pérez')).toBeTruthy();
  });
});
