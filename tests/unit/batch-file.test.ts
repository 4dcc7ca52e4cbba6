import { describe, expect, it } from 'vitest';
import { parseBatchFile } from '../../utils/batch/batch-file.js';

describe('parseBatchFile', () => {
  it.each([
    [
      'Excel in Spanish: `;`, BOM, header with accents, cédulas with dots, CRLF',
      '\uFEFFNúmero de documento;Referencia autorización\r\n1.020.304.050;AUT-1\r\n52.123.456;AUT-2\r\n',
      ';',
      [
        { line: 2, cedula: '1.020.304.050', consentReference: 'AUT-1', employerNit: '' },
        { line: 3, cedula: '52.123.456', consentReference: 'AUT-2', employerNit: '' },
      ],
    ],
    [
      '`,`, no BOM, columns in another order, quoted fields',
      'nombre,referencia,cedula\n"Pérez, Luis","AUT ""7""",52123456\n',
      ',',
      [{ line: 2, cedula: '52123456', consentReference: 'AUT "7"', employerNit: '' }],
    ],
    [
      'no header: cédula then reference; blank lines skipped, line numbers kept',
      '1020304050;AUT-1\n\n52123456;AUT-2\n',
      ';',
      [
        { line: 1, cedula: '1020304050', consentReference: 'AUT-1', employerNit: '' },
        { line: 3, cedula: '52123456', consentReference: 'AUT-2', employerNit: '' },
      ],
    ],
    [
      'a header without a reference column: every row lacks consent',
      'cedula\n1020304050\n',
      ';',
      [{ line: 2, cedula: '1020304050', consentReference: '', employerNit: '' }],
    ],
    [
      'the agreement’s employer per row, in a nit_empleador column',
      'cedula;referencia;NIT empleador\n1020304050;AUT-1;900.482.317-1\n52123456;AUT-2;\n',
      ';',
      [
        { line: 2, cedula: '1020304050', consentReference: 'AUT-1', employerNit: '900.482.317-1' },
        { line: 3, cedula: '52123456', consentReference: 'AUT-2', employerNit: '' },
      ],
    ],
    [
      'a quoted field over two lines counts both',
      'cedula;referencia\n1020304050;"AUT\nanexo"\n52123456;AUT-2\n',
      ';',
      [
        { line: 2, cedula: '1020304050', consentReference: 'AUT\nanexo', employerNit: '' },
        { line: 4, cedula: '52123456', consentReference: 'AUT-2', employerNit: '' },
      ],
    ],
  ])('%s', (_case, content, separator, rows) => {
    expect(parseBatchFile(content)).toEqual({ ok: true, separator, rows });
  });

  it.each([
    ['', 'empty'],
    ['\uFEFF\r\n\r\n', 'empty'],
  ])('%j → %s', (content, problem) => {
    expect(parseBatchFile(content)).toEqual({ ok: false, problem });
  });

  it.each([
    // A known reference column without a cédula one.
    ['nombre;referencia\nLuis;AUT-1\n', ['nombre', 'referencia']],
    // Words only on the first line: a header Lupa does not know, never a row with a bad cédula.
    ['id;ref\n1020304050;AUT-1\n', ['id', 'ref']],
  ])('%j has no cédula column, and says what its header was', (content, header) => {
    expect(parseBatchFile(content)).toEqual({ ok: false, problem: 'no_cedula_column', header });
  });
});
