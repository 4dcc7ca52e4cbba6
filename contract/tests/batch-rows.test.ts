import { describe, expect, it } from 'vitest';
import { checkBatchRows } from '../src/batch-rows.js';

describe('checkBatchRows: each row on its own', () => {
  it.each([
    [{ cedula: '1.020.304.050', consentReference: 'AUT-1' }, { valid: '1020304050' }],
    [{ cedula: '52 123 456', consentReference: ' AUT-2 ' }, { valid: '52123456' }],
    [{ cedula: '0123', consentReference: 'AUT-3' }, { invalid: 'invalid_cedula' }],
    [{ cedula: 'abc', consentReference: 'AUT-4' }, { invalid: 'invalid_cedula' }],
    [{ cedula: '', consentReference: 'AUT-5' }, { invalid: 'invalid_cedula' }],
    [{ cedula: '52123456', consentReference: '' }, { invalid: 'consent_required' }],
    [{ cedula: '52123456', consentReference: '   ' }, { invalid: 'consent_required' }],
  ])('%j → %j', (row, expected) => {
    const { valid, invalid } = checkBatchRows([row]);
    if ('valid' in expected) {
      expect(valid.map((one) => one.cedula)).toEqual([expected.valid]);
      expect(valid[0]?.consentReference).toBe(row.consentReference.trim());
      expect(invalid).toEqual([]);
    } else {
      expect(valid).toEqual([]);
      expect(invalid.map((one) => one.code)).toEqual([expected.invalid]);
    }
  });

  it('keeps the first line of a person listed twice and names the file’s own line numbers', () => {
    const { valid, invalid } = checkBatchRows([
      { cedula: '52123456', consentReference: 'A', line: 2 },
      { cedula: '52.123.456', consentReference: 'B', line: 7 },
      { cedula: '1020304050', consentReference: 'C' },
    ]);
    expect(valid.map((row) => [row.line, row.cedula])).toEqual([
      [2, '52123456'],
      [3, '1020304050'],
    ]);
    expect(invalid).toEqual([
      { line: 7, code: 'duplicate_row', message: expect.stringContaining('earlier line') },
    ]);
  });
});
