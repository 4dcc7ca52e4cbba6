import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectCedulas } from '../../utils/overlay/cedula-detection.js';
import { CRM_ADAPTERS } from '../../utils/overlay/crm-adapters.js';
import {
  type FieldLocator,
  fieldLocatorFrom,
  fieldsByLocators,
  locatorOfPointed,
} from '../../utils/overlay/field-locators.js';

const fixture = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures/crm', `${name}.html`), 'utf8');

const detectWith = (locators: FieldLocator[]) =>
  detectCedulas(document, CRM_ADAPTERS, undefined, (root) => fieldsByLocators(root, locators)).map(
    (candidate) => candidate.cedula,
  );

/** Finds the element holding `text` as its own (the one a pointer over it lands on). */
function elementShowing(text: string): Element {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node as Element;
    const own = [...element.childNodes]
      .filter((child) => child.nodeType === 3)
      .map((child) => child.textContent)
      .join('')
      .trim();
    if (own === text || (element as HTMLInputElement).value === text) return element;
  }
  throw new Error(`nothing shows ${text}`);
}

describe('pointing at the cédula on real markup, then reading the page with what was kept', () => {
  it.each([
    // page, what the analyst points at, the locator kept, the cédula read, what the generic pass reads alone
    ['mifos-client', '1.037.612.984', { label: 'Id externo', position: 0, labelTag: 'b' }, '1037612984', []],
    [
      'odoo-contact-edit',
      '1037612984',
      { label: 'Número de Identificación', position: 1, labelTag: 'label' },
      '1037612984',
      ['1037612984'],
    ],
    [
      'odoo-contact-read',
      '1037612984',
      { label: 'Número de Identificación', position: 1, labelTag: 'label' },
      '1037612984',
      ['1037612984'],
    ],
    [
      'vtiger-detail',
      '43.876.210',
      { label: 'Cédula', position: 0, labelTag: 'span' },
      '43876210',
      ['43876210'],
    ],
    [
      'espocrm-detail',
      '1.128.456.789',
      { label: 'Número de identificación', position: 0, labelTag: 'span' },
      '1128456789',
      ['1128456789'],
    ],
    // A label's text three spans deep, its value in the next element (HubSpot's property list).
    [
      'hubspot',
      '52,123,456',
      { label: 'Número de documento', position: 0, labelTag: 'span' },
      '52123456',
      ['52123456'],
    ],
    [
      'core-banking',
      'CC 71.654.321',
      { label: 'Identificación', position: 0, labelTag: 'dt' },
      '71654321',
      ['71654321'],
    ],
  ])('%s: pointing at %j keeps %j and reads %s', (page, shown, locator, cedula, generic) => {
    document.body.innerHTML = fixture(page);
    expect(detectWith([]), 'the generic pass alone').toEqual(generic);
    const pointed = locatorOfPointed(elementShowing(shown), document);
    expect(pointed).toMatchObject({ found: true, locator, cedula });
    expect(detectWith([locator])).toEqual([cedula]);
  });

  it('pointing at the label reads the value beside it, past a document-type control', () => {
    document.body.innerHTML = fixture('odoo-contact-edit');
    const label = document.querySelector('label[for="l10n_latam_identification_type_id_0"]')!;
    expect(locatorOfPointed(label, document)).toMatchObject({
      found: true,
      locator: { label: 'Número de Identificación', position: 1 },
      cedula: '1037612984',
    });
  });

  it('a located field wins over the adapters and the generic pass', () => {
    document.body.innerHTML = `${fixture('core-banking')}<p><b>Id externo</b> <span>52.123.456</span></p>`;
    expect(detectWith([])).toEqual(['71654321']);
    expect(detectWith([{ label: 'Id externo', position: 0 }])).toEqual(['52123456']);
  });

  it('a locator that finds nothing on this page leaves the other passes to it', () => {
    document.body.innerHTML = fixture('vtiger-detail');
    expect(detectWith([{ label: 'Id externo', position: 0 }])).toEqual(['43876210']);
  });
});

describe('what a locator will not read', () => {
  it.each([
    [
      'a NIT picked in the type control beside the number',
      '<label for="t">Documento</label><select id="t"><option selected>NIT</option></select><input value="900123456">',
      { label: 'Documento', position: 1 },
    ],
    [
      'a NIT with its check digit',
      '<dl><dt>Id externo</dt><dd>900.123.456-7</dd></dl>',
      { label: 'Id externo', position: 0 },
    ],
    [
      'two numbers in the value',
      '<dl><dt>Id externo</dt><dd>52123456 / 71654321</dd></dl>',
      { label: 'Id externo', position: 0 },
    ],
    [
      'a heading of the same words when the label was a dt',
      '<h4>Id externo</h4><p>52123456</p>',
      { label: 'Id externo', position: 0, labelTag: 'dt' },
    ],
    [
      'a position past the group',
      '<dl><dt>Id externo</dt><dd>52123456</dd></dl>',
      { label: 'Id externo', position: 1 },
    ],
    [
      'a hidden earlier record',
      '<div style="display: none"><dl><dt>Id externo</dt><dd>52123456</dd></dl></div>',
      { label: 'Id externo', position: 0 },
    ],
  ])('%s', (_case, html, locator) => {
    document.body.innerHTML = html;
    expect(detectWith([locator])).toEqual([]);
  });

  it.each([
    ['a number with nothing labelling it', '<div><span id="x">1037612984</span></div>'],
    [
      'a number inside a sentence',
      '<p id="x">El cliente 1037612984 firmó el pagaré el 12 de mayo de 2026 en la oficina.</p>',
    ],
  ])('pointing at %s keeps nothing', (_case, html) => {
    document.body.innerHTML = html;
    expect(locatorOfPointed(document.getElementById('x')!, document)).toMatchObject({ found: false });
  });

  it('pointing at a phone keeps its place but offers no cédula when the value is not one', () => {
    document.body.innerHTML = '<dl><dt>Teléfono</dt><dd id="x">+57 300 123 4567</dd></dl>';
    expect(locatorOfPointed(document.getElementById('x')!, document)).toMatchObject({
      found: true,
      locator: { label: 'Teléfono', position: 0 },
      cedula: null,
    });
  });

  it('reads "Label: value" in one element and a control named by aria-label', () => {
    document.body.innerHTML =
      '<p id="inline">Doc. cliente: 1.037.612.984 de Envigado</p><input id="named" aria-label="Id del solicitante" value="52123456">';
    expect(locatorOfPointed(document.getElementById('inline')!, document)).toMatchObject({
      found: true,
      locator: { label: 'Doc. cliente', position: 0 },
      cedula: '1037612984',
    });
    expect(locatorOfPointed(document.getElementById('named')!, document)).toMatchObject({
      found: true,
      locator: { label: 'Id del solicitante', position: 0 },
      cedula: '52123456',
    });
  });
});

describe('locators as stored or shipped by policy', () => {
  it.each([
    [{ label: 'Id externo' }, { label: 'Id externo', position: 0 }],
    [
      { label: '  Id externo ', position: 2, labelTag: 'DT' },
      { label: 'Id externo', position: 2, labelTag: 'dt' },
    ],
    [
      { label: 'Id externo', labelTag: 'td onclick=x' },
      { label: 'Id externo', position: 0 },
    ],
    [{ label: '' }, undefined],
    [{ label: 'Cuenta 123456' }, undefined],
    [{ label: 'x'.repeat(61) }, undefined],
    [{ label: 'Id externo', position: -1 }, undefined],
    [{ label: 'Id externo', position: 1.5 }, undefined],
    [{ label: 'Id externo', position: '1' }, undefined],
    [{ label: 42 }, undefined],
    [null, undefined],
  ])('%j → %j', (raw, expected) => {
    expect(fieldLocatorFrom(raw)).toEqual(expected);
  });
});

describe('a field pointed at is found again, whatever the label and wherever the value sits', () => {
  const label = fc
    .stringMatching(/^[A-Za-zÁÉÍÓÚáéíóúñÑ][A-Za-zÁÉÍÓÚáéíóúñÑ .º]{0,30}$/)
    .filter((text) => /\p{L}/u.test(text.trim().replace(/[.º]/g, '')));
  const cedula = fc.integer({ min: 1_000_000, max: 1_999_999_999 }).map(String);
  const layout = fc.constantFrom(
    (l: string, v: string) => `<dl><dt>${l}</dt><dd>Otro dato</dd><dd><span id="v">${v}</span></dd></dl>`,
    (l: string, v: string) =>
      `<table><tr><td><b>${l}</b></td><td><span><span id="v">${v}</span></span></td></tr></table>`,
    (l: string, v: string) =>
      `<div><label for="t">${l}</label><select id="t"><option selected>CC</option></select><input id="v" value="${v}"></div>`,
    (l: string, v: string) => `<div><span>${l}</span></div><div><span id="v">${v}</span></div>`,
  );

  it('the locator kept from the pointed element reads that cédula back', () => {
    fc.assert(
      fc.property(label, cedula, layout, (text, number, draw) => {
        document.body.innerHTML = `<p>Ficha del cliente</p>${draw(text, number)}`;
        const pointed = locatorOfPointed(document.getElementById('v')!, document);
        expect(pointed).toMatchObject({ found: true, cedula: number });
        if (!pointed.found) return;
        expect(detectWith([pointed.locator])).toEqual([number]);
      }),
      { numRuns: 150 },
    );
  });
});
