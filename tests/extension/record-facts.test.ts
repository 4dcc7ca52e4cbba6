import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CRM_ADAPTERS } from '../../utils/overlay/crm-adapters.js';
import { detectRecordFacts, isEmployerNitLabel, nitInValue } from '../../utils/overlay/record-facts.js';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures/crm', `${name}.html`), 'utf8');

function factsIn(html: string) {
  document.body.innerHTML = html;
  return detectRecordFacts(document, CRM_ADAPTERS);
}

describe('the record’s facts beside its cédula (docs/credit-reading.md rules 16 and 17)', () => {
  it.each([
    ['salesforce', { employerNit: '900482317-1', applicantName: 'María Fernanda Gómez Restrepo' }],
    ['generic-table', { employerNit: '890.904.217-0', applicantName: 'Jorge Iván Ospina Cárdenas' }],
    // A bare "NIT" is not the employer's: nothing is read.
    ['generic-none', { employerNit: null, applicantName: null }],
  ])('%s → %j', (name, expected) => {
    expect(factsIn(fixture(name))).toEqual(expected);
  });

  it('joins given names and surnames kept in two fields', () => {
    expect(
      factsIn(`<dl><dt>Nombres</dt><dd>Luisa Fernanda</dd><dt>Apellidos</dt><dd>Rojas Díaz</dd>
        <dt>Empresa</dt><dd>Textiles La Montaña S.A. — NIT 890.904.217-0</dd></dl>`),
    ).toEqual({ employerNit: '890.904.217-0', applicantName: 'Luisa Fernanda Rojas Díaz' });
  });

  it('reads nothing it would have to guess: two different names, or a hidden field', () => {
    expect(
      factsIn(`<table><tr><th>Nombre</th><td>Ana Pérez</td></tr><tr><th>Nombre</th><td>Luis Gómez</td></tr>
        </table><div style="display: none"><span>NIT del empleador</span><span>900482317</span></div>`),
    ).toEqual({ employerNit: null, applicantName: null });
  });

  it.each([
    ['NIT del empleador', true],
    ['NIT empresa:', true],
    ['Empresa', true],
    ['NIT pagador', true],
    ['NIT', false],
    ['Nombre de la empresa', false],
    ['Cédula', false],
  ])('"%s" is an employer NIT label: %s', (label, expected) => {
    expect(isEmployerNitLabel(label)).toBe(expected);
  });

  it.each([
    ['900.482.317-1', '900.482.317-1'],
    ['Comercializadora Andina (NIT 900482317 - 1)', '900482317-1'],
    ['Comercializadora Andina', null],
    ['12345', null],
  ])('finds the NIT in %j: %j', (value, expected) => {
    expect(nitInValue(value)).toBe(expected);
  });
});
