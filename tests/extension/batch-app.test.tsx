import type { Batch } from '@lupa/contract';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchApp, minutesLeft } from '../../components/batch/batch-app.js';
import type { ActiveBatch, ExtensionServices } from '../../components/shared/extension-services.js';
import { DEFAULT_SETTINGS } from '../../utils/storage/settings.js';

afterEach(cleanup);

function batchOf(counts: Partial<Batch['counts']>, status: Batch['status'] = 'running'): Batch {
  const full = { pending: 0, running: 0, ready: 0, failed: 0, refused: 0, cancelled: 0, ...counts };
  return {
    id: 'batch-1',
    status,
    total: Object.values(full).reduce((sum, count) => sum + count, 0),
    counts: full,
    rows: [],
    createdAt: '2026-11-30T15:00:00.000Z',
    version: Object.values(full).join('.'),
  };
}

function setUp(send: (message: { type: string }) => Promise<unknown>, active?: ActiveBatch) {
  const saved: Array<ActiveBatch | undefined> = [];
  const services = {
    loadSettings: vi.fn(async () => DEFAULT_SETTINGS),
    send: vi.fn(send),
    loadActiveBatch: vi.fn(async () => active),
    saveActiveBatch: vi.fn(async (batch: ActiveBatch | undefined) => void saved.push(batch)),
    download: vi.fn(),
  } as unknown as ExtensionServices;
  render(<BatchApp services={services} />);
  return { services, saved };
}

describe('batch page', () => {
  it('lists each bad row, and runs only the good ones once the list’s consent is confirmed', async () => {
    const { services, saved } = setUp(async (message) =>
      message.type === 'batch.create'
        ? { ok: true, ...batchOf({ pending: 2 }), invalid: [] }
        : new Promise(() => {}),
    );
    const file = new File(
      [
        'cedula;referencia;nit_empleador\n1.020.304.050;AUT-1;900.482.317-1\n0123;AUT-2;\n52123456;AUT-3;\n52.123.456;AUT-4;\n7.777.777;;\n',
      ],
      'lote.csv',
    );
    fireEvent.change(await screen.findByLabelText('Archivo CSV del convenio'), { target: { files: [file] } });
    expect(await screen.findByText('2 filas listas para consultar · 3 con errores')).toBeTruthy();
    // Each bad row with the value as the file wrote it and the reason in the batch's words.
    expect(screen.getByRole('row', { name: /^3 0123 No es una cédula/ })).toBeTruthy();
    expect(
      screen.getByRole('row', { name: /^5 52\.123\.456 La misma cédula está en una línea anterior/ }),
    ).toBeTruthy();
    expect(
      screen.getByRole('row', { name: /^6 7\.777\.777 Falta la referencia de la autorización firmada/ }),
    ).toBeTruthy();
    const start = screen.getByRole('button', { name: 'Consultar 2 personas' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.click(screen.getByLabelText(/^Confirmo que cada solicitante/));
    fireEvent.click(start);
    await waitFor(() =>
      expect(services.send).toHaveBeenCalledWith({
        type: 'batch.create',
        rows: [
          { line: 2, cedula: '1020304050', consentReference: 'AUT-1' },
          { line: 4, cedula: '52123456', consentReference: 'AUT-3' },
        ],
      }),
    );
    // What the relay does not keep stays with the page: the references and the agreement's NIT.
    await waitFor(() =>
      expect(saved).toEqual([
        {
          id: 'batch-1',
          lines: expect.objectContaining({
            2: { consentReference: 'AUT-1', employerNit: '900.482.317-1' },
            4: { consentReference: 'AUT-3', employerNit: '' },
          }),
        },
      ]),
    );
    expect(await screen.findByText('Listos 0 · En curso 0 · Fallidos 0 · Pendientes 2')).toBeTruthy();
  });

  it('tells a header it does not know from a bad cédula, naming it', async () => {
    setUp(async () => ({ ok: true }));
    const file = new File(['id;ref\n1020304050;AUT-1\n'], 'lote.csv');
    fireEvent.change(await screen.findByLabelText('Archivo CSV del convenio'), { target: { files: [file] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/La primera línea dice: id · ref\./);
  });

  it('shows each row’s outcome, in Spanish, and opens a person’s summary', async () => {
    const done = {
      ...batchOf({ ready: 1, failed: 1 }, 'done'),
      rows: [
        {
          line: 2,
          cedulaMasked: '******4050',
          status: 'ready',
          lookupId: 'l-1',
          reused: false,
          errorCode: null,
        },
        {
          line: 3,
          cedulaMasked: '******0001',
          status: 'failed',
          lookupId: 'l-2',
          reused: false,
          errorCode: 'belvo_login_error',
        },
      ],
    } as Batch;
    const { services } = setUp(
      async (message) =>
        message.type === 'batch.results'
          ? {
              ok: true,
              cedulas: {},
              reports: {
                'l-1': {
                  owners: [{ id: 'o', display_name: 'María Fernanda Gómez Restrepo' }],
                  employments: [],
                  consultedAt: '2026-11-20T15:00:00.000Z',
                },
              },
            }
          : { ok: true, ...done },
      { id: 'batch-1', lines: { 2: { consentReference: 'AUT-1', employerNit: '' } } },
    );
    expect(await screen.findByRole('row', { name: /^2 C\.C\. \*+4050 Lista/ })).toBeTruthy();
    expect(screen.getByRole('row', { name: /^3 C\.C\. \*+0001 Fallida .*/ }).textContent).not.toContain(
      'belvo_login_error',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Ver resumen de la línea 2' }));
    const person = await screen.findByRole('region', { name: 'Resumen de la línea 2' });
    expect(person.textContent).toContain('María Fernanda Gómez Restrepo');
    expect(services.send).toHaveBeenCalledWith({
      type: 'batch.results',
      batchId: 'batch-1',
      lookupIds: ['l-1'],
    });
  });

  it('says what is wrong with a file it cannot read, and starts nothing', async () => {
    const { services } = setUp(async () => ({ ok: true }));
    const file = new File(['nombre;referencia\nLuis;AUT-1\n'], 'lote.csv');
    fireEvent.change(await screen.findByLabelText('Archivo CSV del convenio'), { target: { files: [file] } });
    expect((await screen.findByRole('alert')).textContent).toMatch(/ninguna columna de cédula/);
    expect(services.send).not.toHaveBeenCalled();
  });

  it('picks up the batch it followed, and keeps following through a lost connection', async () => {
    let waits = 0;
    setUp(
      async (message) => {
        const { sinceVersion } = message as { sinceVersion?: string };
        if (sinceVersion === undefined) return { ok: true, ...batchOf({ running: 1, pending: 1 }) };
        waits++;
        // The worker stopping or the relay restarting: the wait fails once, then the batch has moved on.
        if (waits === 1) throw new Error('Could not establish connection. Receiving end does not exist.');
        return { ok: true, ...batchOf({ ready: 2 }, 'done') };
      },
      { id: 'batch-1', lines: {} },
    );
    expect(await screen.findByText('Listos 0 · En curso 1 · Fallidos 0 · Pendientes 1')).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toMatch(/Reintentando; no se pierde nada/);
    expect(await screen.findByText('Lote terminado.', {}, { timeout: 4_000 })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it.each([
    [batchOf({ pending: 10 }), 60_000, undefined],
    [batchOf({ ready: 2, pending: 8 }), 60_000, 4],
    [batchOf({ ready: 9, running: 1 }), 9_000, 1],
    [batchOf({ ready: 10 }, 'done'), 60_000, undefined],
  ])('time left of %j after %i ms: %s min', (batch, elapsed, minutes) => {
    expect(minutesLeft(batch, elapsed)).toBe(minutes);
  });
});
