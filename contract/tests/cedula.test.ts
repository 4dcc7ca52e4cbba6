import { describe, expect, it } from 'vitest';
import { formatCedula, maskCedula, parseCedula } from '../src/cedula.js';

describe('parseCedula', () => {
  it.each([
    ['1020304050', { ok: true, cedula: '1020304050' }],
    ['1.020.304.050', { ok: true, cedula: '1020304050' }],
    [' 1 020 304 050 ', { ok: true, cedula: '1020304050' }],
    ['1\u00a0020\u00a0304\u00a0050', { ok: true, cedula: '1020304050' }],
    ['123', { ok: true, cedula: '123' }],
    ['52.123.456', { ok: true, cedula: '52123456' }],
    ['', { ok: false, problem: 'empty' }],
    [' . ', { ok: false, problem: 'empty' }],
    ['12a45', { ok: false, problem: 'not_digits' }],
    ['1020-304050', { ok: false, problem: 'not_digits' }],
    ['0123456', { ok: false, problem: 'leading_zero' }],
    ['12', { ok: false, problem: 'too_short' }],
    ['10203040501', { ok: false, problem: 'too_long' }],
  ])('%j → %j', (input, expected) => {
    expect(parseCedula(input)).toEqual(expected);
  });
});

describe('maskCedula and formatCedula', () => {
  it.each([
    ['1020304050', '******4050', '1.020.304.050'],
    ['52123456', '****3456', '52.123.456'],
    ['123', '123', '123'],
  ])('%s', (cedula, masked, formatted) => {
    expect(maskCedula(cedula)).toBe(masked);
    expect(formatCedula(cedula)).toBe(formatted);
  });
});
