import { csvCell } from '@lupa/contract/csv';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { translator } from '../../utils/locale/i18n.js';
import { PERSON_CSV_COLUMNS, personsCsv } from '../../utils/report/person-csv.js';
import { relayLookup, relayReport } from '../extension/fixtures.js';

const t = translator('es');
const report = { ...relayReport(relayLookup()), consultedAt: '2026-11-20T15:00:00.000Z' };
const column = (name: (typeof PERSON_CSV_COLUMNS)[number]) => PERSON_CSV_COLUMNS.indexOf(name);

function rowsOf(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  return Papa.parse<string[]>(csv.slice(1), { delimiter: ';', skipEmptyLines: true }).data;
}

describe('personsCsv: one line per person of a batch', () => {
  it('writes the indicators of a person found, and the outcome of those not', () => {
    const rows = rowsOf(
      personsCsv(
        [
          {
            line: 2,
            cedula: '1020304050',
            status: 'ready',
            errorCode: null,
            report,
            consentReference: 'AUT-0042',
            employerNit: '900.482.317-1',
          },
          { line: 3, cedula: '1000000001', status: 'failed', errorCode: 'belvo_login_error', report: null },
          { line: 4, cedula: '52123456', status: 'refused', errorCode: 'daily_limit_reached', report: null },
          {
            line: 5,
            cedula: '1030405060',
            status: 'ready',
            errorCode: null,
            report: { owners: [], employments: [], consultedAt: '2026-11-20T15:00:00.000Z' },
          },
        ],
        ';',
        t,
      ),
    );
    expect(rows[0]).toEqual([...PERSON_CSV_COLUMNS]);
    expect(rows.every((row) => row.length === PERSON_CSV_COLUMNS.length)).toBe(true);
    const [found, failed, refused, empty] = rows.slice(1);
    expect(found?.slice(0, 6)).toEqual([
      '2',
      '1020304050',
      'María Fernanda Gómez Restrepo',
      'AUT-0042',
      'lista',
      '',
    ]);
    expect(found?.[column('empleadores_actuales')]).toContain('Comercializadora Andina del Valle S.A.S.');
    expect(found?.[column('nit_empleadores_actuales')]).toContain('900482317');
    expect(found?.[column('nit_empleador_convenio')]).toBe('900.482.317-1');
    expect(found?.[column('convenio_empleador_actual')]).toBe('sí');
    expect(Number(found?.[column('ingreso_regular')])).toBeGreaterThan(0);
    expect(Number(found?.[column('tope_libranza')])).toBeGreaterThan(0);
    // A failure says why in the words the screen uses, never as a code.
    expect(failed?.slice(0, 5)).toEqual(['3', '1000000001', '', '', 'fallida']);
    expect(failed?.[column('motivo')]).toBe(t('error.belvo_login_error'));
    expect(failed?.slice(6).every((cell) => cell === '')).toBe(true);
    expect(refused?.[column('estado')]).toBe('rechazada');
    // Consulted, nothing in PILA: the line says so instead of leaving the person out.
    expect(empty?.[column('alertas')]).toBe(t('csv.noRecords'));
  });

  it('raises the agreement alert when the file’s nit_empleador is not a current employer', () => {
    const rows = rowsOf(
      personsCsv(
        [
          {
            line: 2,
            cedula: '1020304050',
            status: 'ready',
            errorCode: null,
            report,
            employerNit: '800096772',
          },
        ],
        ';',
        t,
      ),
    );
    expect(rows[1]?.[column('convenio_empleador_actual')]).toBe('no');
    expect(rows[1]?.[column('alertas')]).toContain('El empleador del convenio (NIT 800096772) no aparece');
    expect(rows[1]?.[column('tope_libranza')]).toBe('');
  });

  it.each([
    [7.8, ';', '7,8'],
    [-12.5, ';', '-12,5'],
    [7.8, ',', '7.8'],
    [4_850_000, ';', '4850000'],
  ] as const)(
    'writes %d in a "%s" file as %s (Excel in Spanish reads a decimal comma)',
    (value, separator, cell) => {
      expect(csvCell(value, separator)).toBe(cell);
    },
  );

  it('neutralises a name that starts like a formula', () => {
    const hostile = { ...report, owners: [{ id: 'o', display_name: '=HYPERLINK("x")' }] };
    const rows = rowsOf(
      personsCsv([{ line: 2, cedula: '1', status: 'ready', errorCode: null, report: hostile }], ';', t),
    );
    expect(rows[1]?.[column('nombre')]).toBe(`'=HYPERLINK("x")`);
  });
});
