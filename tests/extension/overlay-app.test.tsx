import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FrameLink, OverlayApp } from '../../components/overlay/overlay-app.js';
import type { ExtensionServices } from '../../components/shared/extension-services.js';
import type { OverlayToContent } from '../../utils/overlay/frame-protocol.js';
import { cedulasFrom } from '../../utils/overlay/frame-protocol.js';
import { DEFAULT_SETTINGS } from '../../utils/storage/settings.js';
import { cachedLookup, relayLookup, relayReport } from './fixtures.js';

afterEach(cleanup);

describe('cedulasFrom: what the page may post to the frame', () => {
  it.each([
    [{ type: 'lupa:cedulas', cedulas: ['1.020.304.050', '52123456'] }, ['1020304050', '52123456']],
    [{ type: 'lupa:cedulas', cedulas: ['0123', 42, '<img src=x>', '1020304050'] }, ['1020304050']],
    [{ type: 'lupa:cedulas', cedulas: 'no' }, undefined],
    [{ type: 'something-else' }, undefined],
    [null, undefined],
  ])('%j → %j', (message, expected) => {
    expect(cedulasFrom(message)).toEqual(expected);
  });
});

function setUp(cached: 'ready' | 'none') {
  let listener: ((cedulas: string[]) => void) | undefined;
  let latest: string[] | undefined;
  const told: OverlayToContent[] = [];
  const link: FrameLink = {
    site: 'https://acme.my.salesforce.com',
    tellContent: (message) => told.push(message),
    onCedulas: (subscriber) => {
      listener = subscriber;
      if (latest) subscriber(latest);
      return () => {};
    },
  };
  const deliver = (cedulas: string[]) => {
    latest = cedulas;
    listener?.(cedulas);
  };
  const report = relayReport(relayLookup());
  const send = vi.fn(async (message: { type: string; cedula?: string }) =>
    message.type === 'cache.latest-of-cedula'
      ? cached === 'ready' && message.cedula === '1020304050'
        ? {
            ok: true,
            lookup: cachedLookup({
              status: 'ready',
              stage: 'done',
              displayName: 'María Fernanda Gómez Restrepo',
            }),
            report: {
              lookupId: 'lookup-1',
              owners: report.owners,
              employments: report.employments,
              savedAt: 0,
            },
          }
        : { ok: true, lookup: null, report: null }
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
  return { deliver, told, send, services };
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
    expect(services.openDetail).toHaveBeenCalledWith('lookup-1');
  });

  it('asks for consent before consulting a cédula with nothing cached', async () => {
    const { deliver, send } = setUp('none');
    deliver(['52123456']);
    expect(await screen.findByText('No hay una consulta guardada para la C.C. ****3456.')).toBeTruthy();
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
    expect(await screen.findByRole('button', { name: 'Abrir el panel de Lupa' })).toBeTruthy();
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
