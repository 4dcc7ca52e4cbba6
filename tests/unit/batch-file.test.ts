import { describe, expect, it } from 'vitest';
import { parseBatchFile } from '../../utils/batch/batch-file.js';

describe('parseBatchFile', () => {
  it.each([
    [
      'Excel in Spanish: `;`, BOM, header with accents, cédulas with dots, CRLF',
      '\uFEFFNúmero de documento;Referencia autorización\r\n1.020.304.050;AUT-1\r\n52.123.456;AUT-2\r\n',
      ';',
      [
        { line: 2, cedula: '1.020.304.050', consentReference: 'AUT-1' },
        { line: 3, cedula: '52.123.456', consentReference: 'AUT-2' },
      ],
    ],
    [
      '`,`, no BOM, columns in another order, quoted fields',
      'nombre,referencia,cedula\n"Pérez, Luis","AUT ""7""",52123456\n',
      ',',
      [{ line: 2, cedula: '52123456', consentReference: 'AUT "7"' }],
    ],
    [
      'no header: cédula then reference; blank lines skipped, line numbers kept',
      '1020304050;AUT-1\n\n52123456;AUT-2\n',
      ';',
      [
        { line: 1, cedula: '1020304050', consentReference: 'AUT-1' },
        { line: 3, cedula: '52123456', consentReference: 'AUT-2' },
      ],
    ],
    [
      'a header without a reference column: every row lacks consent',
      'cedula\n1020304050\n',
      ';',
      [{ line: 2, cedula: '1020304050', consentReference: '' }],
    ],
    [
      'a quoted field over two lines counts both',
      'cedula;referencia\n1020304050;"AUT\nanexo"\n52123456;AUT-2\n',
      ';',
      [
        { line: 2, cedula: '1020304050', consentReference: 'AUT\nanexo' },
        { line: 4, cedula: '52123456', consentReference: 'AUT-2' },
      ],
    ],
  ])('%s', (_case, content, separator, rows) => {
    expect(parseBatchFile(content)).toEqual({ ok: true, separator, rows });
  });

  it.each([
    ['', 'empty'],
    ['\uFEFF\r\n\r\n', 'empty'],
    ['nombre;referencia\nLuis;AUT-1\n', 'no_cedula_column'],
  ])('%j → %s', (content, problem) => {
    expect(parseBatchFile(content)).toEqual({ ok: false, problem });
  });
});
