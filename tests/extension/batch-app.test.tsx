import type { Batch } from '@lupa/contract';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchApp, minutesLeft } from '../../components/batch/batch-app.js';
import type { ExtensionServices } from '../../components/shared/extension-services.js';
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

function setUp(send: (message: { type: string }) => Promise<unknown>, active?: string) {
  const saved: Array<string | undefined> = [];
  const services = {
    loadSettings: vi.fn(async () => DEFAULT_SETTINGS),
    send: vi.fn(send),
    loadActiveBatch: vi.fn(async () => active),
    saveActiveBatch: vi.fn(async (id: string | undefined) => void saved.push(id)),
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
      ['cedula;referencia\n1.020.304.050;AUT-1\n0123;AUT-2\n52123456;AUT-3\n52.123.456;AUT-4\n'],
      'lote.csv',
    );
    fireEvent.change(await screen.findByLabelText('Archivo CSV del convenio'), { target: { files: [file] } });
    expect(await screen.findByText('2 filas listas para consultar · 2 con errores')).toBeTruthy();
    expect(screen.getByRole('row', { name: /^3 La cédula no es válida/ })).toBeTruthy();
    expect(screen.getByRole('row', { name: /^5 Esta cédula ya está en otra fila/ })).toBeTruthy();
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
    await waitFor(() => expect(saved).toEqual(['batch-1']));
    expect(await screen.findByText('Listos 0 · En curso 0 · Fallidos 0 · Pendientes 2')).toBeTruthy();
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
    setUp(async (message) => {
      const { sinceVersion } = message as { sinceVersion?: string };
      if (sinceVersion === undefined) return { ok: true, ...batchOf({ running: 1, pending: 1 }) };
      waits++;
      // The worker stopping or the relay restarting: the wait fails once, then the batch has moved on.
      if (waits === 1) throw new Error('Could not establish connection. Receiving end does not exist.');
      return { ok: true, ...batchOf({ ready: 2 }, 'done') };
    }, 'batch-1');
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
