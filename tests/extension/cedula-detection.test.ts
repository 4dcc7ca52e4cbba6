import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cedulaInValue,
  composedText,
  detectCedulas,
  documentTypeOf,
  isCedulaLabel,
} from '../../utils/overlay/cedula-detection.js';
import { CRM_ADAPTERS } from '../../utils/overlay/crm-adapters.js';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures/crm', `${name}.html`), 'utf8');

function detectIn(html: string) {
  document.body.innerHTML = html;
  return detectCedulas(document, CRM_ADAPTERS);
}

describe('detectCedulas on pages shaped like each CRM', () => {
  it.each([
    ['salesforce', ['1020304050'], 'salesforce'],
    ['salesforce-stale', ['1020304050'], 'salesforce'],
    ['hubspot', ['52123456'], 'hubspot'],
    ['hubspot-profile', ['1020304050'], 'hubspot'],
    ['zoho', ['1030405060'], 'zoho'],
    ['dynamics', ['71234567'], 'dynamics'],
    ['pipedrive', ['80123456'], 'pipedrive'],
  ])('%s → %j through its adapter', (name, cedulas, source) => {
    const found = detectIn(fixture(name));
    expect(found.map((candidate) => candidate.cedula)).toEqual(cedulas);
    expect(new Set(found.map((candidate) => candidate.source))).toEqual(new Set([source]));
  });
});

describe('the generic adapter on tricky pages', () => {
  it.each([
    ['generic-table', ['1000000003'], 'a table with a phone and an employer NIT beside the cédula'],
    ['generic-dl', ['91234567'], 'a definition list where the NIT is also an "identificación"'],
    ['generic-inline', ['1000000004'], 'label and value in one paragraph, with the place of issue'],
    ['generic-several', ['1020304050', '52123456'], 'several people on one page, each once'],
    ['generic-label-for', ['1000000005'], 'a form whose label points at its input'],
    ['generic-none', [], 'only phones, NITs and values that are not cédulas'],
  ])('%s → %j (%s)', (name, cedulas) => {
    expect(detectIn(fixture(name)).map((candidate) => candidate.cedula)).toEqual(cedulas);
  });

  it('finds a value rendered after its label, on the next run', () => {
    document.body.innerHTML = '<div><span>Cédula</span></div><div id="value"></div>';
    expect(detectCedulas(document, CRM_ADAPTERS)).toEqual([]);
    document.getElementById('value')!.textContent = '1.020.304.050';
    expect(detectCedulas(document, CRM_ADAPTERS).map((candidate) => candidate.cedula)).toEqual([
      '1020304050',
    ]);
  });

  it('falls back to the generic adapter when a CRM page holds the cédula outside its fields', () => {
    document.body.innerHTML = `${fixture('pipedrive').replace('C.C.', 'Ciudad')}<p>Cédula: 52.123.456</p>`;
    expect(detectCedulas(document, CRM_ADAPTERS)).toEqual([
      { cedula: '52123456', label: 'Cédula', source: 'generic' },
    ]);
  });
});

describe('labels and values', () => {
  it.each([
    ['Cédula', true],
    ['CÉDULA:', true],
    ['C.C.', true],
    ['CC', true],
    ['Cédula de ciudadanía *', true],
    ['Número de documento', true],
    ['No. de documento', true],
    ['Documento de identidad', true],
    ['Número de identificación', true],
    ['Número de identificación tributaria', false],
    ['NIT', false],
    ['Cédula de extranjería', false],
    ['Tipo de documento', false],
    ['Teléfono', false],
    ['Fecha de expedición de la cédula', false],
    ['Cuenta', false],
    ['', false],
  ])('%j is a cédula label: %s', (label, expected) => {
    expect(isCedulaLabel(label)).toBe(expected);
  });

  it.each([
    ['1020304050', '1020304050'],
    ['1.020.304.050', '1020304050'],
    ['C.C. 52.123.456 de Bogotá', '52123456'],
    ['80 123 456', '80123456'],
    ['52,123,456', '52123456'],
    ['1,020,304,050', '1020304050'],
    ['52.123.456', '52123456'],
    ['1 020 304 050', '1020304050'],
    ['1\u202f020\u202f304\u202f050', '1020304050'],
    ['123,45', undefined],
    ['52.123.456,00', undefined],
    ['52.123,456', undefined],
    ['+57 310 456 7890', undefined],
    ['1020304050 / 52123456', undefined],
    ['900.123.456-7', undefined],
    ['900123456 - 7', undefined],
    ['0123456', undefined],
    ['10203040501', undefined],
    ['Pendiente', undefined],
  ])('%j → %s', (value, cedula) => {
    expect(cedulaInValue(value)).toBe(cedula);
  });
});

describe('what the analyst sees', () => {
  it('ignores a cédula the page keeps hidden', () => {
    document.body.innerHTML = `
      <div style="visibility: hidden"><p>Cédula: 52.123.456</p></div>
      <div style="display: none"><span>Cédula</span><span>80.123.456</span></div>
      <p>Cédula: 1.020.304.050</p>`;
    expect(detectCedulas(document, CRM_ADAPTERS).map((candidate) => candidate.cedula)).toEqual([
      '1020304050',
    ]);
  });

  it('reads Salesforce fields inside open shadow roots, the value rendered in its own root', () => {
    document.body.innerHTML = '<records-lwc-detail-panel></records-lwc-detail-panel>';
    const panelRoot = document.querySelector('records-lwc-detail-panel')!.attachShadow({ mode: 'open' });
    panelRoot.innerHTML = `
      <records-record-layout-item field-label="Cédula">
        <span slot="outputField"><lightning-formatted-text></lightning-formatted-text></span>
      </records-record-layout-item>`;
    const item = panelRoot.querySelector('records-record-layout-item')!;
    item.attachShadow({ mode: 'open' }).innerHTML =
      '<span class="test-id__field-label">Cédula</span><slot name="outputField"></slot>';
    const text = panelRoot.querySelector('lightning-formatted-text')!;
    text.attachShadow({ mode: 'open' }).innerHTML = '<span>1.020.304.050</span>';
    expect(detectCedulas(document, CRM_ADAPTERS)).toEqual([
      { cedula: '1020304050', label: 'Cédula', source: 'salesforce' },
    ]);
  });

  it('finds a generic label and value inside an open shadow root, and nothing in a closed one', () => {
    document.body.innerHTML = '<loan-card id="open"></loan-card><loan-card id="closed"></loan-card>';
    document.getElementById('open')!.attachShadow({ mode: 'open' }).innerHTML =
      '<dl><dt>Cédula</dt><dd>80.123.456</dd></dl>';
    document.getElementById('closed')!.attachShadow({ mode: 'closed' }).innerHTML =
      '<dl><dt>Cédula</dt><dd>52.123.456</dd></dl>';
    expect(detectCedulas(document, CRM_ADAPTERS).map((candidate) => candidate.cedula)).toEqual(['80123456']);
  });

  it('reads the text of slotted and shadow content in reading order', () => {
    document.body.innerHTML = '<x-value><b>52.</b></x-value>';
    const host = document.querySelector('x-value')!;
    host.attachShadow({ mode: 'open' }).innerHTML = '<slot></slot><i>123.456</i>';
    expect(composedText(host)).toBe('52.123.456');
  });
});

describe('form groups, as a person reads them (edit and read mode)', () => {
  it.each([
    ['odoo-contact-edit', ['1037612984'], 'a label for the type selector, the number in the next control'],
    ['odoo-contact-read', ['1037612984'], 'the same group read-only: type and number as text'],
    ['vtiger-detail', ['43876210'], 'a table of two label/value pairs per row, a NIT and a mobile beside'],
    ['vtiger-edit', ['43876210'], 'the edit table: the number in its own cell, the type in another field'],
    ['espocrm-detail', ['1128456789'], 'a cell with a label and a field holding a copy button and the value'],
    ['core-banking', ['71654321'], 'summary lists where the employer’s NIT is also an "Identificación"'],
  ])('%s → %j (%s)', (name, cedulas) => {
    expect(detectIn(fixture(name)).map((candidate) => candidate.cedula)).toEqual(cedulas);
  });

  it.each([
    ['NIT', 'a company'],
    ['Pasaporte', 'a passport'],
    ['Cédula de extranjería', 'a foreigner’s ID'],
    ['Tarjeta de Identidad', 'a minor'],
  ])('offers nothing when the type beside the number is %s (%s)', (type) => {
    for (const name of ['odoo-contact-edit', 'odoo-contact-read'])
      expect(detectIn(fixture(name).replaceAll('Cédula de ciudadanía', type))).toEqual([]);
  });

  it('reads a group named by aria-labelledby', () => {
    document.body.innerHTML =
      '<span id="l">Número de documento</span><input aria-labelledby="l" value="1.020.304.050">';
    expect(detectCedulas(document, CRM_ADAPTERS).map((candidate) => candidate.cedula)).toEqual([
      '1020304050',
    ]);
  });
});

describe('the document type beside a number', () => {
  it.each([
    ['Cédula de ciudadanía', 'cedula'],
    ['CC', 'cedula'],
    ['C.C.', 'cedula'],
    ['13 - Cédula de ciudadanía', 'cedula'],
    ['CC - Cédula de ciudadanía', 'cedula'],
    ['C.C. 71.654.321', 'cedula'],
    ['NIT', 'other'],
    ['NIT 890.900.608', 'other'],
    ['31 - NIT', 'other'],
    ['Nit de otro país', 'other'],
    ['Cédula de extranjería', 'other'],
    ['Cédula Extranjera', 'other'],
    ['CE', 'other'],
    ['Pasaporte', 'other'],
    ['Passport', 'other'],
    ['PA', 'other'],
    ['Tarjeta de Identidad', 'other'],
    ['TI', 'other'],
    ['Registro Civil', 'other'],
    ['PEP (Permiso Especial de Permanencia)', 'other'],
    ['PPT (Permiso Protección Temporal)', 'other'],
    ['1037612984', undefined],
    ['1.020.304.050 de Bogotá', undefined],
    [' - ', undefined],
    ['Seleccione una opción', undefined],
    ['Cedeño', undefined],
  ])('%j → %s', (text, expected) => {
    expect(documentTypeOf(text)).toBe(expected);
  });
});
