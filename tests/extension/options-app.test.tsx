import type { Role, Usage } from '@lupa/contract';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { OptionsApp } from '../../components/options/options-app.js';
import type { ExtensionServices } from '../../components/shared/extension-services.js';
import { DEFAULT_SETTINGS, type Settings } from '../../utils/storage/settings.js';

const USAGE: Usage = {
  from: '2026-11-01',
  to: '2026-11-30',
  rows: [
    {
      day: '2026-11-03',
      analystId: 'a1',
      analystName: 'Ana Ríos',
      lookups: 5,
      reuses: 2,
      linksRegistered: 3,
      failures: 1,
    },
    {
      day: '2026-11-03',
      analystId: 'a2',
      analystName: '=Beto',
      lookups: 2,
      reuses: 0,
      linksRegistered: 2,
      failures: 0,
    },
  ],
};

afterEach(cleanup);

function setUp(initial: Partial<Settings> = {}, granted = true, roles: Role[] = ['analyst']) {
  let stored: Settings = { ...DEFAULT_SETTINGS, ...initial };
  const services = {
    loadSettings: vi.fn(async () => stored),
    saveSettings: vi.fn(async (changes: Partial<Settings>) => {
      stored = { ...stored, ...changes };
      return stored;
    }),
    send: vi.fn(async (message: { type: string }) =>
      message.type === 'usage.get'
        ? { ok: true, ...USAGE }
        : message.type === 'session.sign-out'
          ? { ok: true }
          : { ok: true, name: 'Ana Analista', used: 3, limit: 200, lender: null, roles },
    ),
    download: vi.fn(),
    requestOrigins: vi.fn(async () => granted),
    releaseOrigins: vi.fn(async () => {}),
  } as unknown as ExtensionServices & Record<string, ReturnType<typeof vi.fn>>;
  render(<OptionsApp services={services} />);
  return { services, stored: () => stored };
}

async function fillRelay(url: string, token = 'lupa_token') {
  fireEvent.input(await screen.findByLabelText('URL del servidor de tu entidad'), { target: { value: url } });
  fireEvent.input(screen.getByLabelText('Token de analista'), { target: { value: token } });
  fireEvent.click(screen.getByRole('button', { name: 'Guardar' }));
}

describe('options', () => {
  it('saves the organisation’s flag thresholds with the rest of the form', async () => {
    const { stored } = setUp();
    fireEvent.input(await screen.findByLabelText('Caída del ingreso regular: más de (%)'), {
      target: { value: '15' },
    });
    await fillRelay('https://relay.banco.com.co');
    expect(await screen.findByText('Guardado.')).toBeTruthy();
    expect(stored().indicatorPolicy).toEqual({
      recentHireMonths: 6,
      intermittentBelowMonths: 10,
      incomeDropPercent: 15,
      declaredRatioAbove: 1.25,
    });
  });

  it('"Borrar todo" asks first, then has the background forget everything, pending lookups included', async () => {
    const { services } = setUp({ relayUrl: 'http://127.0.0.1:8787', analystToken: 'lupa_x' });
    const confirm = vi.fn().mockReturnValueOnce(false).mockReturnValueOnce(true);
    vi.stubGlobal('confirm', confirm);
    onTestFinished(() => void vi.unstubAllGlobals());
    fireEvent.click(await screen.findByRole('button', { name: 'Borrar todo' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringMatching(/^¿Borrar todas las consultas guardadas/));
    expect(services.send).not.toHaveBeenCalledWith({ type: 'history.clear' });
    fireEvent.click(screen.getByRole('button', { name: 'Borrar todo' }));
    expect(await screen.findByText('Se borraron las consultas guardadas en este navegador.')).toBeTruthy();
    expect(services.send).toHaveBeenCalledWith({ type: 'history.clear' });
  });

  it('saves the relay after asking for access to its origin, and only the form’s fields', async () => {
    const { services, stored } = setUp({ crmSites: ['https://*.my.salesforce.com/*'] });
    await fillRelay('https://relay.banco.com.co/lupa/', '  lupa_abc  ');
    expect(await screen.findByText('Guardado.')).toBeTruthy();
    expect(services.requestOrigins).toHaveBeenCalledWith(['https://relay.banco.com.co/*']);
    expect(stored()).toMatchObject({
      relayUrl: 'https://relay.banco.com.co/lupa',
      analystToken: 'lupa_abc',
      crmSites: ['https://*.my.salesforce.com/*'],
    });
  });

  it.each([
    ['plain http to another machine', 'http://relay.banco.com.co'],
    ['another scheme', 'ftp://relay.banco.com.co'],
  ])('refuses %s before asking for any permission', async (_case, url) => {
    const { services } = setUp();
    await fillRelay(url);
    expect(await screen.findByText(/Escribe una URL https completa/)).toBeTruthy();
    expect(services.requestOrigins).not.toHaveBeenCalled();
    expect(services.saveSettings).not.toHaveBeenCalled();
  });

  it.each([
    ['https', 'https://relay.banco.com.co', 'https://relay.banco.com.co/*'],
    ['http on 127.0.0.1', 'http://127.0.0.1:8787', 'http://127.0.0.1:8787/*'],
    ['http on localhost', 'http://localhost:8787/', 'http://localhost:8787/*'],
  ])('accepts a relay over %s', async (_case, url, pattern) => {
    const { services } = setUp();
    await fillRelay(url);
    expect(await screen.findByText('Guardado.')).toBeTruthy();
    expect(services.requestOrigins).toHaveBeenCalledWith([pattern]);
  });

  it('writes thresholds with a decimal comma, and saves them', async () => {
    const { services } = setUp();
    const ratio = await screen.findByLabelText('Declarado frente al estimado: más de (veces)');
    expect((ratio as HTMLInputElement).value).toBe('1,25');
    fireEvent.input(ratio, { target: { value: '1,5' } });
    fireEvent.input(screen.getByLabelText('Caída del ingreso regular: más de (%)'), {
      target: { value: '200' },
    });
    expect(screen.getByText('Escribe un número entre 1 y 90.')).toBeTruthy();
    await fillRelay('https://lupa.banco.com.co');
    fireEvent.click(screen.getByRole('button', { name: 'Guardar' }));
    await waitFor(() =>
      expect(services.saveSettings).toHaveBeenCalledWith(
        expect.objectContaining({
          indicatorPolicy: expect.objectContaining({ declaredRatioAbove: 1.5, incomeDropPercent: 20 }),
        }),
      ),
    );
  });

  it('shows the organisation’s thresholds read-only', async () => {
    setUp({ managed: ['indicatorPolicy'] });
    const ratio = await screen.findByLabelText('Declarado frente al estimado: más de (veces)');
    expect((ratio.closest('fieldset') as HTMLFieldSetElement).disabled).toBe(true);
    expect(screen.getAllByText('Definido por tu entidad.').length).toBeGreaterThan(0);
  });

  it('links to the privacy policy', async () => {
    setUp();
    const link = await screen.findByRole('link', { name: 'Política de privacidad' });
    expect(link.getAttribute('href')).toBe('/privacy.html');
  });

  it('explains a refused permission and saves nothing', async () => {
    const { services } = setUp({}, false);
    await fillRelay('https://relay.banco.com.co');
    expect(
      await screen.findByText(/Sin permiso para conectarse a https:\/\/relay\.banco\.com\.co/),
    ).toBeTruthy();
    expect(services.saveSettings).not.toHaveBeenCalled();
  });

  it('tests the connection and shows who the analyst is and today’s usage', async () => {
    setUp({ relayUrl: 'http://127.0.0.1:8787', analystToken: 'x' });
    fireEvent.click(await screen.findByRole('button', { name: 'Probar conexión' }));
    expect(await screen.findByText('Conectado como Ana Analista: 3 de 200 consultas hoy.')).toBeTruthy();
  });

  it('tests what is typed, before it is saved', async () => {
    const { services } = setUp({ relayUrl: 'http://127.0.0.1:8787', analystToken: 'old' });
    fireEvent.input(await screen.findByLabelText('URL del servidor de tu entidad'), {
      target: { value: 'https://relay.banco.com.co/' },
    });
    fireEvent.input(screen.getByLabelText('Token de analista'), { target: { value: '  lupa_new  ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Probar conexión' }));
    expect(await screen.findByText(/Conectado como Ana Analista/)).toBeTruthy();
    expect(services.send).toHaveBeenCalledWith({
      type: 'relay.test',
      relayUrl: 'https://relay.banco.com.co',
      analystToken: 'lupa_new',
    });
    expect(services.saveSettings).not.toHaveBeenCalled();
    fireEvent.input(screen.getByLabelText('URL del servidor de tu entidad'), {
      target: { value: 'ftp://relay' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Probar conexión' }));
    expect(await screen.findByText(/Escribe una URL https completa/)).toBeTruthy();
    const tests = vi.mocked(services.send).mock.calls.filter(([message]) => 'relayUrl' in message);
    expect(tests).toHaveLength(1);
  });

  it('enables a CRM by asking for its hosts, and disables it by giving them back', async () => {
    const { services, stored } = setUp();
    const salesforce = await screen.findByLabelText('Salesforce Lightning');
    fireEvent.click(salesforce);
    await waitFor(() =>
      expect(stored().crmSites).toEqual(['https://*.lightning.force.com/*', 'https://*.my.salesforce.com/*']),
    );
    expect(services.requestOrigins).toHaveBeenCalledWith([
      'https://*.lightning.force.com/*',
      'https://*.my.salesforce.com/*',
    ]);
    fireEvent.click(screen.getByLabelText('Salesforce Lightning'));
    await waitFor(() => expect(stored().crmSites).toEqual([]));
    expect(services.releaseOrigins).toHaveBeenCalledWith([
      'https://*.lightning.force.com/*',
      'https://*.my.salesforce.com/*',
    ]);
  });

  it('adds an in-house system by its origin', async () => {
    const { stored } = setUp();
    fireEvent.input(await screen.findByLabelText('Sistema propio (URL)'), {
      target: { value: 'https://prestamos.banco.com.co/solicitudes' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Agregar sitio' }));
    await waitFor(() => expect(stored().crmSites).toEqual(['https://prestamos.banco.com.co/*']));
    expect(await screen.findByText('https://prestamos.banco.com.co')).toBeTruthy();
  });

  it('lists where the cédula is on a site, the organisation’s read-only, forgets one and starts pointing at another', async () => {
    const site = 'https://core.banco.com.co/*';
    const { services, stored } = setUp({
      crmSites: [site],
      fieldLocators: [{ site, label: 'Id externo', position: 0, labelTag: 'b' }],
      crmFieldLocators: [{ site, label: 'Nro. doc. cliente', position: 1 }],
      managed: ['crmFieldLocators'],
    });
    await screen.findByText('Cédula en el campo «Id externo»');
    const shipped = screen.getByText('Cédula en el campo «Nro. doc. cliente»').closest('li')!;
    expect(within(shipped).getByText('Definido por tu entidad')).toBeTruthy();
    expect(within(shipped).queryByRole('button')).toBeNull();

    fireEvent.click(
      screen.getByRole('button', { name: 'Señalar el campo de la cédula: https://core.banco.com.co' }),
    );
    await waitFor(() => expect(services.send).toHaveBeenCalledWith({ type: 'picker.start', sites: [site] }));

    fireEvent.click(
      screen.getByRole('button', { name: 'Olvidar este campo: Id externo (https://core.banco.com.co)' }),
    );
    await waitFor(() => expect(stored().fieldLocators).toEqual([]));
    await waitFor(() => expect(screen.queryByText('Cédula en el campo «Id externo»')).toBeNull());
    // What the organisation shipped is not the analyst's to forget.
    expect(stored().crmFieldLocators).toHaveLength(1);
  });

  it('says why pointing at a field cannot start', async () => {
    const site = 'https://core.banco.com.co/*';
    const { services } = setUp({ crmSites: [site] });
    (services.send as unknown as ReturnType<typeof vi.fn>).mockImplementation(async () => ({
      ok: false,
      error: { code: 'picker_no_tab' },
    }));
    fireEvent.click(
      await screen.findByRole('button', { name: 'Señalar el campo de la cédula: https://core.banco.com.co' }),
    );
    expect(
      await screen.findByText('Abre una ficha de ese sitio en una pestaña y vuelve a intentarlo.'),
    ).toBeTruthy();
  });

  it.each([
    [['analyst'], false],
    [['supervisor'], true],
    [['admin'], true],
    [['dpo'], false],
  ] as const)('shows "Uso del equipo" to %j: %s', async (roles, shown) => {
    const { services } = setUp({ relayUrl: 'http://127.0.0.1:8787', analystToken: 'x' }, true, [...roles]);
    await waitFor(() => expect(services.send).toHaveBeenCalledWith({ type: 'relay.test' }));
    await screen.findByRole('button', { name: 'Guardar' });
    if (shown) expect(await screen.findByRole('heading', { name: 'Uso del equipo' })).toBeTruthy();
    else {
      // Let the relay's answer render before asserting what it did not bring.
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(screen.queryByRole('heading', { name: 'Uso del equipo' })).toBeNull();
    }
  });

  it('asks the relay for the team’s usage in the period, totals it, and downloads it as CSV', async () => {
    const { services } = setUp(
      { relayUrl: 'http://127.0.0.1:8787', analystToken: 'x', csvSeparator: ';' },
      true,
      ['supervisor'],
    );
    await screen.findByRole('heading', { name: 'Uso del equipo' });
    fireEvent.input(screen.getByLabelText('Desde'), { target: { value: '2026-11-01' } });
    fireEvent.input(screen.getByLabelText('Hasta'), { target: { value: '2026-11-30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ver uso' }));
    const table = await screen.findByRole('table', { name: /Uso del equipo/ });
    expect(services.send).toHaveBeenCalledWith({ type: 'usage.get', from: '2026-11-01', to: '2026-11-30' });
    const total = within(table).getByRole('rowheader', { name: 'Total' }).closest('tr')!;
    expect([...total.querySelectorAll('td')].map((cell) => cell.textContent)).toEqual(['7', '2', '5', '1']);
    fireEvent.click(screen.getByRole('button', { name: 'Descargar CSV' }));
    const [fileName, content] = vi.mocked(services.download).mock.calls[0]!;
    expect(fileName).toMatch(/^lupa-uso-equipo-2026-11-01-2026-11-30-\d{12}\.csv$/);
    expect(content).toBe(
      '\uFEFFdia;analista_id;analista;consultas;reutilizadas_sin_cargo;consultas_a_pila;fallidas\r\n' +
        '03/11/2026;a1;Ana Ríos;5;2;3;1\r\n' +
        `03/11/2026;a2;"'=Beto";2;0;2;0\r\n`,
    );
  });

  it('says why when the relay refuses the usage', async () => {
    const { services } = setUp({ relayUrl: 'http://127.0.0.1:8787', analystToken: 'x' }, true, ['admin']);
    await screen.findByRole('heading', { name: 'Uso del equipo' });
    vi.mocked(services.send).mockResolvedValueOnce({ ok: false, error: { code: 'forbidden_role' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ver uso' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/no tiene el rol/);
  });

  it('signs in with the relay’s identity provider after asking for access to the relay, and signs out', async () => {
    const { services } = setUp({}, true, ['analyst', 'supervisor']);
    fireEvent.input(await screen.findByLabelText('URL del servidor de tu entidad'), {
      target: { value: 'https://relay.banco.com.co/' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Iniciar sesión con la cuenta de tu entidad' }));
    expect(await screen.findByRole('button', { name: 'Cerrar sesión' })).toBeTruthy();
    expect(services.requestOrigins).toHaveBeenCalledWith(['https://relay.banco.com.co/*']);
    expect(services.send).toHaveBeenCalledWith({
      type: 'session.sign-in',
      relayUrl: 'https://relay.banco.com.co',
    });
    expect(screen.getAllByText('Sesión iniciada como Ana Analista.').length).toBeGreaterThan(0);
    // The relay named a supervisor: the team's usage appears without a reload.
    expect(screen.getByRole('heading', { name: 'Uso del equipo' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cerrar sesión' }));
    expect(await screen.findByText('Sesión cerrada.')).toBeTruthy();
    expect(services.send).toHaveBeenCalledWith({ type: 'session.sign-out' });
    expect(screen.queryByRole('heading', { name: 'Uso del equipo' })).toBeNull();
  });

  it('says why a sign-in was refused, with the relay’s reason', async () => {
    const { services } = setUp({ relayUrl: 'https://relay.banco.com.co' });
    vi.mocked(services.send).mockResolvedValueOnce({
      ok: false,
      error: { code: 'sign_in_refused', detail: 'the e-mail domain otro.com is not allowed' },
    });
    fireEvent.click(
      await screen.findByRole('button', { name: 'Iniciar sesión con la cuenta de tu entidad' }),
    );
    expect((await screen.findByRole('status')).textContent).toBe(
      'Tu entidad no te dio acceso a Lupa. Pide al administrador que te incluya. (the e-mail domain otro.com is not allowed)',
    );
  });
});
