import { csvCell } from '@lupa/contract/csv';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { translator } from '../../utils/locale/i18n.js';
import {
  bogotaTime,
  CSV_COLUMNS,
  csvFileName,
  csvRows,
  type ExportableReport,
  newestPerPerson,
  toCsv,
} from '../../utils/report/csv-export.js';

const report: ExportableReport = {
  cedula: '1020304050',
  consultedAt: '2026-11-27T15:00:00.000Z',
  owners: [{ id: 'o1', display_name: 'María Fernanda Gómez Restrepo' }],
  employments: [
    {
      id: 'e1',
      employer_data: {
        name: '=HYPERLINK("http://evil","clic")',
        id_type: 'NIT',
        id_number: 900482317,
        economic_activity_code: 4711,
        economic_activity_code_description: 'COMERCIO; AL POR MENOR',
        tenure: 86,
      },
      salary_and_benefit_details: [
        {
          month: '2026-09',
          gross_amount: 4_600_000,
          net_amount: 4_232_000,
          employment_type: 'SALARIED',
          salary_type: 'FIXED',
          salary_comprehensive: false,
          pension_fund_name: 'Protección',
          healthcare_provider_name: 'EPS Sura',
          status_changes: [],
        },
        {
          month: '2026-10',
          gross_amount: 5_100_000,
          net_amount: 4_692_000,
          employment_type: 'SALARIED',
          salary_type: 'FIXED',
          salary_comprehensive: true,
          pension_fund_name: 'Protección',
          healthcare_provider_name: 'EPS Sura',
          status_changes: ['PERMANENT_SALARY_CHANGE', 'ON_VACATION'],
        },
      ],
    },
    {
      id: 'e2',
      employer_data: { name: '+Instituto "La Sabana"', id_type: 'NIT', id_number: 860512904, tenure: null },
      salary_and_benefit_details: [
        {
          month: '2026-10',
          gross_amount: 1_800_000,
          net_amount: null,
          employment_type: null,
          status_changes: null,
        },
      ],
    },
  ],
};

function parse(csv: string, delimiter: string) {
  return Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { delimiter, skipEmptyLines: true }).data;
}

describe('toCsv', () => {
  it.each([[';'], [',']] as const)(
    'writes a BOM, the header and one row per employer and month with "%s"',
    (separator) => {
      const csv = toCsv([report], separator);
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const rows = parse(csv, separator);
      expect(rows[0]).toEqual([...CSV_COLUMNS]);
      expect(rows).toHaveLength(1 + 3);
      expect(rows[2]).toEqual([
        '1020304050',
        'María Fernanda Gómez Restrepo',
        `'=HYPERLINK("http://evil","clic")`,
        'NIT',
        '900482317',
        '4711 COMERCIO; AL POR MENOR',
        '2026\u201110',
        '5100000',
        '4692000',
        'Asalariado',
        'Salario fijo',
        'sí',
        'Protección',
        'EPS Sura',
        'Cambio de salario, Vacaciones',
        '86',
        '27/11/2026 10:00',
        // Salario integral in 2026: the base is 70 % of the salary.
        '7285714',
        'estimado',
        'salario integral: base / 0,7',
        'no',
        'SALARIED',
        'FIXED',
        'PERMANENT_SALARY_CHANGE ON_VACATION',
        '2026-10',
        '2026-11-27T10:00:00-05:00',
      ]);
    },
  );

  it('says what each amount suggests, apart from the reported base', () => {
    const rows = parse(toCsv([report], ';'), ';');
    const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const estimates = rows
      .slice(1)
      .map((row) => [
        row[column('mes_iso')],
        row[column('ingreso_bruto')],
        row[column('ingreso_estimado')],
        row[column('tipo_estimado')],
        row[column('regla_estimado')],
      ]);
    expect(estimates).toEqual([
      ['2026-09', '4600000', '4600000', 'mínimo', 'la base es un mínimo'],
      ['2026-10', '5100000', '7285714', 'estimado', 'salario integral: base / 0,7'],
      ['2026-10', '1800000', '1800000', 'mínimo', 'la base es un mínimo'],
    ]);
    const contractor = parse(
      toCsv(
        [
          {
            ...report,
            employments: [
              {
                id: 'c',
                employer_data: { name: 'Alcaldía' },
                salary_and_benefit_details: [
                  { month: '2026-03', gross_amount: 1_750_905, employment_type: 'CONTRACTUAL' },
                  { month: '2019-03', gross_amount: 2_000_000, employment_type: 'CONTRACTUAL' },
                ],
              },
            ],
          },
        ],
        ';',
      ),
      ';',
    );
    expect(
      contractor.slice(1).map((row) => row.slice(column('ingreso_estimado'), column('tope_25_smmlv') + 1)),
    ).toEqual([
      ['4377263', 'máximo', 'contratista en base mínima: hasta 2,5 SMMLV', 'no'],
      ['', '', 'sin SMMLV del año', ''],
    ]);
  });

  it('neutralises every cell that starts like a formula, and quotes what needs it', () => {
    const csv = toCsv([report], ';');
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"",""clic"")"`);
    expect(csv).toContain(`"'+Instituto ""La Sabana"""`);
    expect(csv).toContain('"4711 COMERCIO; AL POR MENOR"');
    expect(csv).not.toMatch(/[;\n]=/);
  });

  it.each([
    ['Empresa Uno S.A.S.', ';', 'Empresa Uno S.A.S.'],
    [3500000, ';', '3500000'],
    [-5, ';', '-5'],
    ['-5', ';', `"'-5"`],
    ['=1+1', ',', `"'=1+1"`],
    ['+57 300', ';', `"'+57 300"`],
    ['@SUM(A1)', ';', `"'@SUM(A1)"`],
    ['\tx', ';', `"'\tx"`],
    ['\rx', ';', `"'\rx"`],
    ['a;b', ';', '"a;b"'],
    ['a;b', ',', 'a;b'],
    ['a,b', ',', '"a,b"'],
    ['dice "hola"', ';', '"dice ""hola"""'],
    ['línea\nnueva', ';', '"línea\nnueva"'],
    [' espacio', ';', '" espacio"'],
    ['espacio ', ';', '"espacio "'],
    ['\uFEFFx', ';', '"\uFEFFx"'],
    // Stricter than papaparse, whose pattern lets a formula with a line break through.
    ['=HYPERLINK("x")\nb', ';', `"'=HYPERLINK(""x"")\nb"`],
    ['', ';', ''],
  ] as const)('csvCell(%j, %j) → %s', (value, separator, expected) => {
    expect(csvCell(value, separator)).toBe(expected);
  });

  it.each([[';'], [',']] as const)(
    'writes with %j what papaparse writes with escapeFormulae, byte for byte',
    (separator) => {
      const reports = [report, { ...report, cedula: '52123456' }];
      const t = translator('es');
      const expected = `\uFEFF${Papa.unparse(
        { fields: [...CSV_COLUMNS], data: reports.flatMap((one) => csvRows(one, t)) },
        { delimiter: separator, newline: '\r\n', escapeFormulae: true, quotes: false },
      )}\r\n`;
      expect(toCsv(reports, separator, t)).toBe(expected);
    },
  );

  it('leaves unknown values empty rather than writing null', () => {
    const rows = parse(toCsv([report], ';'), ';');
    expect(rows[3]?.slice(7, 11)).toEqual(['1800000', '', '', '']);
    expect(rows[3]?.[15]).toBe('');
    expect(toCsv([report], ';')).not.toContain('null');
  });

  it('writes only the header for no reports, and concatenates several', () => {
    expect(parse(toCsv([], ';'), ';')).toEqual([[...CSV_COLUMNS]]);
    expect(parse(toCsv([report, { ...report, cedula: '52123456' }], ';'), ';')).toHaveLength(1 + 6);
  });

  it('writes a person with no records as one row that says so', () => {
    const rows = parse(toCsv([{ ...report, employments: [] }], ';'), ';');
    expect(rows).toHaveLength(2);
    const row = Object.fromEntries(CSV_COLUMNS.map((name, index) => [name, rows[1]![index]]));
    expect(row).toMatchObject({
      cedula: '1020304050',
      nombre: 'María Fernanda Gómez Restrepo',
      empleador: 'Sin registros en PILA',
      mes: '',
      consultado: '27/11/2026 10:00',
      consultado_iso: '2026-11-27T10:00:00-05:00',
    });
  });

  it('writes the screen’s words in the analyst’s language, codes unchanged', () => {
    const rows = parse(toCsv([report], ';', translator('en')), ';');
    const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    expect([rows[2]![column('tipo_vinculacion')], rows[2]![column('tipo_vinculacion_codigo')]]).toEqual([
      'Salaried',
      'SALARIED',
    ]);
  });

  it('uses CRLF line ends (RFC 4180)', () => {
    expect(toCsv([report], ',').split('\r\n')).toHaveLength(5);
  });
});

describe('Bogotá time and one person once', () => {
  it.each([
    ['2026-11-27T15:00:00.000Z', '2026-11-27T10:00:00-05:00'],
    ['2026-12-01T03:30:00.000Z', '2026-11-30T22:30:00-05:00'],
    ['2026-06-15T12:00:00Z', '2026-06-15T07:00:00-05:00'],
  ])('%s is %s in Bogotá (no daylight saving)', (utc, bogota) => {
    expect(bogotaTime(utc)).toBe(bogota);
  });

  it('stamps the file name with Bogotá time', () => {
    expect(csvFileName('historial', new Date('2026-12-01T03:30:00Z'))).toBe(
      'lupa-historial-202611302230.csv',
    );
  });

  it('keeps the newest consultation of each person', () => {
    const older = { ...report, consultedAt: '2026-11-20T15:00:00.000Z' };
    const other = { ...report, cedula: '52123456' };
    expect(newestPerPerson([older, other, report])).toEqual([report, other]);
    expect(parse(toCsv(newestPerPerson([older, report]), ';'), ';')).toHaveLength(1 + 3);
  });
});
