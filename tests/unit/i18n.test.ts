import { describe, expect, it } from 'vitest';
import { enumLabel, errorMessage, translator } from '../../utils/locale/i18n.js';

const es = translator('es');
const en = translator('en');

describe('translator', () => {
  it.each([
    [1, 'hace 1 mes', '1 month ago'],
    [2, 'hace 2 meses', '2 months ago'],
    [0, 'hace 0 meses', '0 months ago'],
  ])('plural for %i', (count, spanish, english) => {
    expect(es('summary.monthsAgo', { count })).toBe(spanish);
    expect(en('summary.monthsAgo', { count })).toBe(english);
  });

  it('fills named values and leaves unknown placeholders visible', () => {
    expect(es('options.connected', { name: 'Ana', used: 3, limit: 200 })).toBe(
      'Conectado como Ana: 3 de 200 consultas hoy.',
    );
    expect(es('options.connected', { name: 'Ana' })).toContain('{used}');
  });

  it.each([
    ['SALARIED', 'Asalariado'],
    ['PERMANENT_SALARY_CHANGE', 'Cambio de salario'],
    ['APPRENTICE', 'APPRENTICE'],
  ])('labels Belvo enum %s as %s', (value, label) => {
    expect(enumLabel(es, value)).toBe(label);
  });

  it.each([
    ['belvo_login_error', /PILA no reconoció la cédula/],
    ['relay_unreachable', /No se pudo conectar con el servidor de Lupa de tu entidad/],
    ['a_code_from_a_newer_relay', /Algo salió mal \(a_code_from_a_newer_relay\)/],
  ])('explains %s', (code, message) => {
    expect(errorMessage(es, code)).toMatch(message);
  });
});
