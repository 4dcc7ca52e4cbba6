import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FrameLink, OverlayApp } from '../../components/overlay/overlay-app.js';
import type { ExtensionServices } from '../../components/shared/extension-services.js';
import type { CacheOfCedula, ShownCedulas } from '../../utils/messaging/protocol.js';
import { frameStateFrom, type OverlayToContent } from '../../utils/overlay/frame-protocol.js';
import type { VisibilityState } from '../../utils/overlay/frame-visibility.js';
import { DEFAULT_SETTINGS } from '../../utils/storage/settings.js';
import { cachedLookup, relayLookup, relayReport } from './fixtures.js';

afterEach(cleanup);

describe('frameStateFrom: the only message the content script takes from the frame', () => {
  it.each([
    [
      { type: 'lupa:frame', visible: true, expanded: false, side: 'left' },
      { visible: true, expanded: false, side: 'left' },
    ],
    [{ type: 'lupa:frame', visible: 'yes', expanded: false, side: 'left' }, undefined],
    [{ type: 'lupa:frame', visible: true, expanded: false, side: 'top' }, undefined],
    [{ type: 'lupa:cedulas', cedulas: ['1020304050'] }, undefined],
    [null, undefined],
  ])('%j → %j', (message, expected) => {
    expect(frameStateFrom(message)).toEqual(expected);
  });
});

function readyEntry(): CacheOfCedula {
  const report = relayReport(relayLookup());
  return {
    lookup: cachedLookup({ status: 'ready', stage: 'done', displayName: 'María Fernanda Gómez Restrepo' }),
    report: { lookupId: 'lookup-1', owners: report.owners, employments: report.employments, savedAt: 0 },
  };
}

function setUp(cached: 'ready' | 'none', options: { tracksOcclusion?: boolean } = {}) {
  let listener: ((shown: ShownCedulas) => void) | undefined;
  let latest: ShownCedulas | undefined;
  let visibility: ((state: VisibilityState) => void) | undefined;
  // What the gate decides at the click, apart from what it last told (a cover removed a moment ago).
  let mayActAtClick = true;
  const told: OverlayToContent[] = [];
  const link: FrameLink = {
    site: 'https://acme.my.salesforce.com',
    tellContent: (message) => told.push(message),
    onCedulas: (subscriber) => {
      listener = subscriber;
      if (latest) subscriber(latest);
      return () => {};
    },
    watchVisibility: () => ({
      tracksOcclusion: options.tracksOcclusion ?? true,
      subscribe(subscriber) {
        visibility = subscriber;
        subscriber({ visible: true, settled: true });
        return () => {
          visibility = undefined;
        };
      },
      mayActNow: () => mayActAtClick,
      stop: () => {},
    }),
  };
  const setVisible = (visible: boolean) => {
    mayActAtClick = visible;
    visibility?.({ visible, settled: visible });
  };
  const coverRemovedJustNow = () => {
    mayActAtClick = false;
  };
  const deliver = (
    cedulas: string[],
    first: ShownCedulas['first'] = null,
    record: ShownCedulas['record'] = null,
  ) => {
    latest = { cedulas, first, record };
    listener?.(latest);
  };
  const send = vi.fn(async (message: { type: string; cedula?: string }) =>
    message.type === 'cache.latest-of-cedula'
      ? cached === 'ready' && message.cedula === '1020304050'
        ? { ok: true, ...readyEntry() }
        : { ok: true, lookup: null, report: null }
      : message.type === 'overlay.confirm-lookup'
        ? { ok: true, requestId: 'solicitud-1' }
        : { ok: true, lookupId: 'lookup-2', status: 'pending' },
  );
  const services = {
    loadSettings: vi.fn(async () => DEFAULT_SETTINGS),
    saveSettings: vi.fn(async (changes: object) => ({ ...DEFAULT_SETTINGS, ...changes })),
    send,
    onLookupChanged: () => () => {},
    openDetail: vi.fn(),
  } as unknown as ExtensionServices;
  render(<OverlayApp services={services} link={link} />);
  return { deliver, told, send, services, setVisible, coverRemovedJustNow };
}

describe('overlay panel', () => {
  it('stays hidden until the page shows a cédula, then shows the cached summary', async () => {
    const { deliver, told, services } = setUp('ready');
    await waitFor(() =>
      expect(told.at(-1)).toEqual({ type: 'lupa:frame', visible: false, expanded: true, side: 'right' }),
    );
    deliver(['1020304050']);
    const summary = await screen.findByRole('region', { name: 'Resumen' });
    expect(within(summary).getByText(/María Fernanda Gómez Restrepo/)).toBeTruthy();
    await waitFor(() => expect(told.at(-1)).toMatchObject({ visible: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Ver detalle' }));
    // With what the analyst added in the panel (nothing here), so the full view reads the same.
    expect(services.openDetail).toHaveBeenCalledWith('lookup-1', {
      declaredIncome: null,
      agreementNit: null,
      crmName: null,
    });
  });

  it('starts pointing at the cédula field for its own page only through the background, and says why not', async () => {
    const { deliver, send } = setUp('none');
    deliver(['52123456']);
    fireEvent.click(await screen.findByRole('button', { name: 'Señalar el campo de la cédula' }));
    // No site in the message: the background opens the picker in the panel's own tab.
    await waitFor(() => expect(send).toHaveBeenCalledWith({ type: 'picker.start' }));
    send.mockImplementationOnce((async () => ({ ok: false, error: { code: 'picker_page_gone' } })) as never);
    fireEvent.click(screen.getByRole('button', { name: 'Señalar el campo de la cédula' }));
    expect(await screen.findByText(/recárgala y vuelve a intentarlo/)).toBeTruthy();
  });

  it('shows what came with the cédulas without asking the background again', async () => {
    const { deliver, told, send } = setUp('none');
    deliver(['1020304050'], { cedula: '1020304050', ...readyEntry() });
    expect(await screen.findByRole('region', { name: 'Resumen' })).toBeTruthy();
    await waitFor(() => expect(told.at(-1)).toMatchObject({ visible: true }));
    expect(send).not.toHaveBeenCalledWith(expect.objectContaining({ type: 'cache.latest-of-cedula' }));
  });

  it('keeps the chosen cédula when the page lists others first, and reads its own cache', async () => {
    const { deliver, send } = setUp('ready');
    deliver(['52123456', '1020304050']);
    const group = await screen.findByRole('group', { name: /varias cédulas/ });
    fireEvent.click(within(group).getByRole('button', { name: 'C.C. ******4050' }));
    await screen.findByRole('region', { name: 'Resumen' });
    // What came along belongs to the first cédula, not to the one the analyst chose.
    deliver(['52123456', '1020304050'], { cedula: '52123456', lookup: null, report: null });
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'C.C. ******4050' }).getAttribute('aria-pressed')).toBe(
        'true',
      ),
    );
    expect(screen.getByRole('region', { name: 'Resumen' })).toBeTruthy();
    expect(send).toHaveBeenCalledWith({ type: 'cache.latest-of-cedula', cedula: '1020304050' });
  });

  it('asks for consent before consulting a cédula with nothing cached', async () => {
    const { deliver, send } = setUp('none');
    deliver(['52123456']);
    expect(await screen.findByText('No hay una consulta guardada para la C.C. ****3456.')).toBeTruthy();
    // The consent step names the whole number: the analyst confirms exactly whom Lupa looks up.
    expect(screen.getByText('Se consultará la C.C. 52.123.456.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Consultar' }));
    expect(await screen.findByText(/Marca la autorización/)).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/^El solicitante autorizó/));
    fireEvent.click(screen.getByRole('button', { name: 'Consultar' }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith(
        expect.objectContaining({ type: 'lookup.start', cedula: '52123456', force: false }),
      ),
    );
  });

  it('refuses to consult while the panel is covered or partly off screen', async () => {
    const { deliver, send, setVisible } = setUp('none');
    deliver(['52123456']);
    await screen.findByText('Se consultará la C.C. 52.123.456.');
    fireEvent.click(screen.getByLabelText(/^El solicitante autorizó/));
    setVisible(false);
    const consult = await screen.findByRole('button', { name: 'Consultar' });
    await waitFor(() => expect((consult as HTMLButtonElement).disabled).toBe(true));
    expect(screen.getByText(/algo lo cubre/)).toBeTruthy();
    fireEvent.submit(consult.closest('form')!);
    expect(send).not.toHaveBeenCalledWith(expect.objectContaining({ type: 'lookup.start' }));
    setVisible(true);
    await waitFor(() => expect((consult as HTMLButtonElement).disabled).toBe(false));
    // A consent ticked before the cover is cleared with it: the analyst ticks it again, in view.
    const consent = screen.getByLabelText(/^El solicitante autorizó/) as HTMLInputElement;
    expect(consent.checked).toBe(false);
    fireEvent.click(consent);
    fireEvent.click(consult);
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith(
        expect.objectContaining({ type: 'lookup.start', cedula: '52123456' }),
      ),
    );
  });

  it('decides at the click: a panel the page uncovered a moment ago does not consult', async () => {
    const { deliver, send, coverRemovedJustNow } = setUp('none');
    deliver(['52123456']);
    await screen.findByText('Se consultará la C.C. 52.123.456.');
    fireEvent.click(screen.getByLabelText(/^El solicitante autorizó/));
    const consult = screen.getByRole('button', { name: 'Consultar' });
    coverRemovedJustNow();
    fireEvent.click(consult);
    expect(await screen.findByText(/algo lo cubre/)).toBeTruthy();
    expect(send).not.toHaveBeenCalledWith(expect.objectContaining({ type: 'lookup.start' }));
  });

  it('where covers cannot be seen, asks for the confirmation window and never starts the lookup itself', async () => {
    const { deliver, send } = setUp('none', { tracksOcclusion: false });
    deliver(['52123456']);
    await screen.findByText('Se consultará la C.C. 52.123.456.');
    fireEvent.click(screen.getByLabelText(/^El solicitante autorizó/));
    fireEvent.click(screen.getByRole('button', { name: 'Consultar' }));
    expect(await screen.findByText('Confirma la consulta en la ventana de Lupa que se abrió.')).toBeTruthy();
    expect(send).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'overlay.confirm-lookup', cedula: '52123456', force: false }),
    );
    expect(send).not.toHaveBeenCalledWith(expect.objectContaining({ type: 'lookup.start' }));
  });

  it('goes back to the result from the consent step of "Consultar de nuevo"', async () => {
    const { deliver, send } = setUp('ready');
    deliver(['1020304050']);
    fireEvent.click(await screen.findByRole('button', { name: 'Consultar de nuevo' }));
    expect(await screen.findByText('Se consultará la C.C. 1.020.304.050.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancelar' }));
    expect(await screen.findByRole('region', { name: 'Resumen' })).toBeTruthy();
    expect(send).not.toHaveBeenCalledWith(expect.objectContaining({ type: 'lookup.start' }));
  });

  it('copies the summary as plain text for the CRM’s notes', async () => {
    const writeText = vi.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const { deliver } = setUp('ready');
    deliver(['1020304050']);
    fireEvent.click(await screen.findByRole('button', { name: 'Copiar resumen' }));
    expect(await screen.findByText('Resumen copiado: pégalo en las notas del CRM.')).toBeTruthy();
    const text = writeText.mock.calls[0]![0];
    expect(text.split('\n')[0]).toBe('María Fernanda Gómez Restrepo · C.C. ******4050');
    expect(text).toContain('Comercializadora Andina del Valle S.A.S.');
  });

  it('has a main landmark and a level-one heading when expanded', async () => {
    const { deliver } = setUp('ready');
    deliver(['1020304050']);
    await screen.findByRole('region', { name: 'Resumen' });
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Lupa' })).toBeTruthy();
  });

  it('lets the analyst choose when the page shows several people', async () => {
    const { deliver, send } = setUp('ready');
    deliver(['52123456', '1020304050']);
    const group = await screen.findByRole('group', { name: /varias cédulas/ });
    fireEvent.click(within(group).getByRole('button', { name: 'C.C. ******4050' }));
    expect(await screen.findByRole('region', { name: 'Resumen' })).toBeTruthy();
    expect(send).toHaveBeenCalledWith({ type: 'cache.latest-of-cedula', cedula: '1020304050' });
  });

  it('minimises and moves, remembering it for the site', async () => {
    const { deliver, told, services } = setUp('ready');
    deliver(['1020304050']);
    fireEvent.click(await screen.findByRole('button', { name: 'Mover a la izquierda' }));
    fireEvent.click(screen.getByRole('button', { name: 'Minimizar' }));
    // Its accessible name is its visible text (axe: label-content-name-mismatch).
    // The bar says how many alerts wait inside.
    const bar = await screen.findByRole('button', {
      name: /^Lupa · C\.C\. \*+4050 · Historia lista · (\d+ alertas?|sin alertas)$/,
    });
    expect(bar.getAttribute('aria-label')).toBeNull();
    expect(screen.getByRole('main')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1, name: 'Lupa' })).toBeTruthy();
    await waitFor(() =>
      expect(told.at(-1)).toEqual({ type: 'lupa:frame', visible: true, expanded: false, side: 'left' }),
    );
    await waitFor(() =>
      expect(services.saveSettings).toHaveBeenLastCalledWith({
        overlayPlacement: { 'https://acme.my.salesforce.com': { side: 'left', expanded: false } },
      }),
    );
  });
});
