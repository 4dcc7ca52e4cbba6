/**
 * Finds the cédulas a record page shows: first through the adapter of a CRM whose markup is on the
 * page, then through a generic label heuristic for any page (in-house loan systems). A value counts
 * only next to a label that names a cédula, so the phone numbers and NITs around it are left alone;
 * only if the analyst can see it (not an earlier record the CRM keeps hidden); and only as a whole
 * cédula. Open shadow roots are read like the rest of the page.
 */
import { parseCedula } from '@lupa/contract/cedula';
import type { CrmAdapter } from './crm-adapters.js';

export type CedulaCandidate = {
  cedula: string;
  label: string;
  /** 'locator': a field the analyst pointed at, or IT set by policy (field-locators.ts). */
  source: CrmAdapter['id'] | 'generic' | 'locator';
};

/** Compared without accents, case, dots, colons or asterisks. */
const LABEL_WORDS = [
  'cedula',
  'cc',
  'numero de documento',
  'numero de identificacion',
  'documento de identidad',
  'no de documento',
  'nro de documento',
  'documento',
  'identificacion',
];
const NOT_A_CEDULA = [
  'nit',
  // A foreigner's ID is not queried in PILA by cédula de ciudadanía.
  'extranjer',
  'tributari',
  'telefono',
  'celular',
  'movil',
  'cuenta',
  'fecha',
  'expedicion',
  'tipo de',
  'radicado',
];

export function normalizeLabel(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.:*]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function isCedulaLabel(text: string): boolean {
  const label = normalizeLabel(text);
  if (label.length === 0 || label.length > 48) return false;
  if (NOT_A_CEDULA.some((word) => label.includes(word))) return false;
  return LABEL_WORDS.some(
    (word) => label === word || label.startsWith(`${word} `) || label.startsWith(`${word}(`),
  );
}

/**
 * A number as a page shows it: plain digits, or groups of three with one separator used throughout
 * (`52.123.456`, `52,123,456` in an English locale, `1 020 304 050`).
 */
const NUMBER = /\d{1,3}([.,\u0020\u00a0\u202f'])\d{3}(?:\1\d{3})*(?!\d)|\d+/g;

/**
 * The cédula in a field's text: `1.020.304.050`, `52,123,456`, `C.C. 1020304050`, `1 020 304 050 de
 * Bogotá`. The value must hold exactly one number, and that number must be a whole cédula, so an
 * amount with decimals (`123,45` reads as two numbers), a NIT with its check digit (`900.123.456-7`)
 * or a phone with its country code give none, never a fragment of one.
 */
export function cedulaInValue(text: string): string | undefined {
  const numbers = text.match(NUMBER);
  if (numbers?.length !== 1) return undefined;
  const parsed = parseCedula(numbers[0]!.replace(/\D/g, ''));
  return parsed.ok ? parsed.cedula : undefined;
}

export function ownText(element: Element): string {
  let text = '';
  for (const node of element.childNodes) if (node.nodeType === 3) text += node.textContent;
  return text;
}

// Node types and tag names rather than instanceof: DOM objects cross realms (a content script's
// isolated world, test DOMs), where constructors differ.
export type Root = Document | ShadowRoot;

function ownerDocumentOf(root: Root): Document {
  return root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
}

function isTextField(element: Element): element is HTMLInputElement | HTMLTextAreaElement {
  return element.tagName === 'INPUT' || element.tagName === 'TEXTAREA';
}

/**
 * The text a reader sees under a node, shadow roots included: a custom element that renders its
 * text in its own open root (`lightning-formatted-text` under native shadow DOM) has no textContent.
 */
export function composedText(node: Node): string {
  if (node.nodeType === 3) return node.nodeValue ?? '';
  if (node.nodeType !== 1 && node.nodeType !== 11) return '';
  const element = node as Element;
  if (element.tagName === 'STYLE' || element.tagName === 'SCRIPT') return '';
  if (element.tagName === 'SLOT') {
    const assigned = (element as HTMLSlotElement).assignedNodes();
    if (assigned.length > 0) return assigned.map(composedText).join('');
  }
  const children = element.shadowRoot?.childNodes ?? node.childNodes;
  let text = '';
  for (const child of children) text += composedText(child);
  return text;
}

function fieldValue(element: Element | null | undefined, attributes: string[] = []): string {
  if (!element) return '';
  if (isTextField(element)) return element.value;
  for (const attribute of attributes) {
    const holder = element.hasAttribute(attribute) ? element : element.querySelector(`[${attribute}]`);
    const value = holder?.getAttribute(attribute);
    if (value) return value;
  }
  const field = element.querySelector('input, textarea');
  return field && isTextField(field) ? field.value : composedText(element);
}

/**
 * Whether the analyst can see the element: CRMs keep earlier records and closed tabs in the DOM,
 * hidden. Only asked of the few elements that hold a cédula, so its cost does not grow with the page.
 */
export function isShown(element: Element): boolean {
  const check = (element as Element & { checkVisibility?: (options?: object) => boolean }).checkVisibility;
  if (typeof check === 'function') return check.call(element, { visibilityProperty: true });
  // Without checkVisibility (test DOMs): the hidden attribute, display and visibility up the tree.
  const view = element.ownerDocument.defaultView;
  for (let node: Element | null = element; node; ) {
    if (node.hasAttribute('hidden')) return false;
    const style = view?.getComputedStyle(node);
    if (style?.display === 'none' || style?.visibility === 'hidden') return false;
    const parent: Node | null = node.parentNode;
    node = parent?.nodeType === 11 ? (parent as ShadowRoot).host : (parent as Element | null);
  }
  return true;
}

export type Field = {
  label: string;
  value: string;
  element: Element;
  /** What a document-type control or word beside the value says, when there is one. */
  documentType?: DocumentType;
};

/** The documents a type control may name beside the number (Colombian usage, accents and case aside). */
const CEDULA_TYPES = ['cedula de ciudadania', 'cedula ciudadania', 'cedula', 'cc'];
const OTHER_DOCUMENT_TYPES = [
  'nit',
  'pasaporte',
  'passport',
  'pa',
  'cedula de extranjeria',
  'cedula extranjera',
  'ce',
  'tarjeta de extranjeria',
  'tarjeta de identidad',
  'ti',
  'registro civil',
  'rc',
  'nuip',
  'niup',
  'permiso especial de permanencia',
  'pep',
  'permiso por proteccion temporal',
  'permiso proteccion temporal',
  'ppt',
  'salvoconducto de permanencia',
  'salvoconducto',
  'documento de identificacion extranjero',
  'carne diplomatico',
  'vat',
];

export type DocumentType = 'cedula' | 'other';

/**
 * What a document type beside a number says: a cédula de ciudadanía (PILA is queried by it), another
 * document (NIT, passport, foreigner's ID: never offered), or nothing. Read from the words alone, so
 * "CC", "C.C. 71.654.321", "13 - Cédula de ciudadanía" and "NIT 890.900.608" all say theirs.
 */
export function documentTypeOf(text: string): DocumentType | undefined {
  const words = normalizeLabel(text)
    .replace(/[\d,()/\-\u2013]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!words) return undefined;
  const names = (list: string[]) => list.some((name) => words === name || words.startsWith(`${name} `));
  // The longer names first: "cedula de extranjeria" is not a cédula de ciudadanía.
  if (names(OTHER_DOCUMENT_TYPES.filter((name) => name.startsWith('cedula')))) return 'other';
  if (names(CEDULA_TYPES)) return 'cedula';
  return names(OTHER_DOCUMENT_TYPES) ? 'other' : undefined;
}

/** Like Node.contains, across shadow roots. */
export function composedContains(ancestor: Element, node: Node): boolean {
  for (let current: Node | null = node; current; ) {
    if (current === ancestor) return true;
    current = current.nodeType === 11 ? (current as ShadowRoot).host : current.parentNode;
  }
  return false;
}

/** Which labels a search is after: a cheap test on any text, then the exact one. */
export type LabelKind = { maybe: RegExp; isLabel(text: string): boolean };

function adapterFields(root: Root, adapter: CrmAdapter, scopes: Element[], labels: LabelKind): Field[] {
  const { field } = adapter;
  return [...root.querySelectorAll(field.container)].flatMap((container) => {
    if (scopes.length > 0 && !scopes.some((scope) => composedContains(scope, container))) return [];
    const label =
      (field.labelAttribute && container.getAttribute(field.labelAttribute)) ||
      container.querySelector(field.label)?.textContent;
    // The label first: a record of hundreds of fields holds one cédula, and reading a value is the
    // costly part (shadow roots, slots).
    if (!label || !labels.isLabel(label)) return [];
    const value = container.querySelector(field.value);
    return [{ label, value: fieldValue(value, field.valueAttributes), element: value ?? container }];
  });
}

/** A control a person types or picks a value in (not a button, a box to tick or a hidden value). */
export function isValueControl(element: Element): boolean {
  if (element.tagName === 'SELECT' || element.tagName === 'TEXTAREA') return true;
  if (element.tagName !== 'INPUT') return false;
  const type = (element.getAttribute('type') ?? 'text').toLowerCase();
  return !['hidden', 'checkbox', 'radio', 'button', 'submit', 'reset', 'image', 'file'].includes(type);
}

export function controlText(element: Element): string {
  if (element.tagName === 'SELECT') {
    const select = element as HTMLSelectElement;
    return select.selectedOptions[0]?.textContent ?? '';
  }
  return (element as HTMLInputElement | HTMLTextAreaElement).value;
}

export type Piece = { text: string; element: Element };

/**
 * What a group's element shows, piece by piece: each control's value in edit mode; in read mode the
 * text of each child that holds some ("Cédula de ciudadanía" and "1037612984" side by side), so a
 * document type is read apart from the number beside it.
 */
export function piecesOf(element: Element, depth = 0): Piece[] {
  if (isValueControl(element)) return [{ text: controlText(element), element }];
  const controls = [...element.querySelectorAll('input, select, textarea')].filter(isValueControl);
  if (controls.length > 0)
    return controls.map((control) => ({ text: controlText(control), element: control }));
  const children = [...element.children].filter((child) => composedText(child).trim());
  if (children.length >= 2 && depth < 3) return children.flatMap((child) => piecesOf(child, depth + 1));
  if (
    children.length === 1 &&
    depth < 3 &&
    !composedText(element).replace(composedText(children[0]!), '').trim()
  )
    return piecesOf(children[0]!, depth + 1);
  return [{ text: composedText(element), element }];
}

const GROUP_LABEL = 'label, dt, th';
/** At most this many elements after a label belong to its group (a row of a form, not the form). */
const GROUP_SPAN = 4;

/**
 * The elements a label covers, as a person reads a form: what its `for` names; then, from the
 * element acting as its cell, the next cell of a table row, the `dd`s after a `dt`, or the siblings up
 * to the next label.
 */
export function groupOf(label: Element, root: Root): Element[] {
  const group: Element[] = [];
  const forId = label.tagName === 'LABEL' ? label.getAttribute('for') : null;
  const target = forId ? root.getElementById(forId) : null;
  if (target) group.push(target);
  let cell = label;
  // A label alone in its wrapper (Odoo's `o_wrap_label`, a grid cell), or a label's text wrapped in
  // spans (HubSpot's `label > span > span > span`): the outermost such wrapper is the cell.
  for (let depth = 0; depth < 4 && cell.parentElement?.children.length === 1; depth++)
    cell = cell.parentElement;
  if (cell.tagName === 'TD' || cell.tagName === 'TH') {
    if (cell.nextElementSibling) group.push(cell.nextElementSibling);
    return group;
  }
  for (
    let next = cell.nextElementSibling, taken = 0;
    next && taken < GROUP_SPAN;
    next = next.nextElementSibling, taken++
  ) {
    if (
      cell.tagName === 'DT'
        ? next.tagName !== 'DD'
        : next.matches(GROUP_LABEL) || next.querySelector(GROUP_LABEL)
    )
      break;
    group.push(next);
  }
  return group;
}

/** Every piece a label's group shows, each once, in the page's order. */
export function groupPieces(label: Element, root: Root): Piece[] {
  const pieces: Piece[] = [];
  const seen = new Set<Element>();
  for (const member of groupOf(label, root))
    for (const piece of piecesOf(member))
      if (!seen.has(piece.element)) {
        seen.add(piece.element);
        pieces.push(piece);
      }
  return pieces;
}

export const LABEL_CANDIDATES = 'label, dt, th, td, span, div, p, strong, b, li, h3, h4, h5';
/** Loose and accent-blind: anything isCedulaLabel could accept matches this. */
const MAYBE_LABEL = /c\s*[eé]\s*d|c\s*\.?\s*c|doc|ident/i;
const CEDULA_LABELS: LabelKind = { maybe: MAYBE_LABEL, isLabel: isCedulaLabel };

/** A piece that only names a document ("Cédula de ciudadanía", "CC"), with no number of its own. */
export const isTypeOnly = (piece: Piece) =>
  !/\d{3}/.test(piece.text) && documentTypeOf(piece.text) !== undefined;
/** Something a person would read as a value: not empty, not a lone separator (" - "). */
export const hasContent = (text: string) => /[\p{L}\p{N}]/u.test(text);

/**
 * The field a label's group makes: the first piece with content that is not only a document type is
 * the value; a type control beside it (or the value's own words) says which document it is.
 */
function fieldOfGroup(label: string, pieces: Piece[]): Field | undefined {
  const value = pieces.find((piece) => !isTypeOnly(piece) && hasContent(piece.text));
  if (!value) return undefined;
  const documentType =
    pieces.filter(isTypeOnly).map((piece) => documentTypeOf(piece.text))[0] ?? documentTypeOf(value.text);
  return { label, value: value.text, element: value.element, documentType };
}

/**
 * Any page, read as a person reads a form: an element whose own text is a label of that kind (a
 * `label`, or a `dt`, `th`, grid cell or text acting as one) and what its group holds: the control its
 * `for` names, the next cell of the row, the `dd`s after a `dt`, or the elements up to the next label;
 * values of inputs and selects in edit mode, text in read mode. Inputs named by `aria-label` or
 * `aria-labelledby` count too.
 */
export function genericFields(root: Root, labels: LabelKind): Field[] {
  const fields: Field[] = [];
  for (const input of root.querySelectorAll<HTMLInputElement>('input[aria-label]')) {
    fields.push({ label: input.getAttribute('aria-label') ?? '', value: input.value, element: input });
  }
  for (const input of root.querySelectorAll('input[aria-labelledby], select[aria-labelledby]')) {
    const label = (input.getAttribute('aria-labelledby') ?? '')
      .split(/\s+/)
      .map((id) => (id ? (root.getElementById(id)?.textContent ?? '') : ''))
      .join(' ');
    if (labels.maybe.test(label) && labels.isLabel(label))
      fields.push({ label, value: controlText(input), element: input });
  }
  // Walk text nodes, not elements: a cheap test on each finds the few that could be labels.
  const walker = ownerDocumentOf(root).createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const visited = new Set<Element>();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = node.nodeValue ?? '';
    if (data.length > 80 || !labels.maybe.test(data)) continue;
    const element = node.parentElement;
    if (!element || visited.has(element) || !element.matches(LABEL_CANDIDATES)) continue;
    visited.add(element);
    const text = ownText(element);
    const colon = text.indexOf(':');
    // "Cédula: 1.020.304.050" in one element.
    if (colon > 0 && labels.isLabel(text.slice(0, colon)) && text.slice(colon + 1).trim()) {
      const value = text.slice(colon + 1);
      fields.push({ label: text.slice(0, colon), value, element, documentType: documentTypeOf(value) });
      continue;
    }
    if (!labels.isLabel(text)) continue;
    const field = fieldOfGroup(text, groupPieces(element, root));
    if (field) fields.push(field);
  }
  return fields;
}

function addCandidates(
  found: Map<string, CedulaCandidate>,
  fields: Field[],
  source: CedulaCandidate['source'],
) {
  for (const field of fields) {
    // PILA is queried by cédula de ciudadanía: a number typed as another document is not offered.
    // A located field's label is whatever the page calls it: the analyst or IT said it is the cédula.
    if ((source !== 'locator' && !isCedulaLabel(field.label)) || field.documentType === 'other') continue;
    const cedula = cedulaInValue(field.value);
    if (cedula && !found.has(cedula) && isShown(field.element))
      found.set(cedula, { cedula, label: field.label.trim(), source });
  }
}

/**
 * The document and every open shadow root under it, found in one walk over the elements. Closed
 * roots stay closed: what a page hides from its own scripts, Lupa does not read either.
 */
export function openRoots(document: Document): Root[] {
  const roots: Root[] = [document];
  for (let index = 0; index < roots.length; index++) {
    const root = roots[index]!;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const shadow = (node as Element).shadowRoot;
      if (shadow) roots.push(shadow);
    }
  }
  return roots;
}

const anySignature = new WeakMap<CrmAdapter[], string>();

/**
 * `roots`: the document's open roots when the caller walked them already (one walk per scan).
 * `located`: reads the fields the site's locators point at (field-locators.ts), asked first: where
 * the analyst or IT said where the cédula is, that is where it is read.
 */
export function detectCedulas(
  document: Document,
  adapters: CrmAdapter[],
  roots: Root[] = openRoots(document),
  located?: (root: Root) => Field[],
): CedulaCandidate[] {
  const found = new Map<string, CedulaCandidate>();
  if (located) {
    for (const root of roots) addCandidates(found, located(root), 'locator');
    if (found.size > 0) return [...found.values()];
  }
  // One query per root rules out every CRM at once; most pages are not one.
  let signatures = anySignature.get(adapters);
  if (signatures === undefined) {
    signatures = adapters.map((adapter) => adapter.signature).join(', ');
    anySignature.set(adapters, signatures);
  }
  // Usually the document alone: the roots are then asked about each CRM once, not 200 roots five times.
  const crmRoots = signatures ? roots.filter((root) => root.querySelector(signatures)) : [];
  if (crmRoots.length > 0) {
    for (const adapter of adapters) {
      const present = crmRoots.filter((root) => root.querySelector(adapter.signature));
      if (present.length === 0) continue;
      const scope = adapter.activeScope;
      const scopes = scope ? roots.flatMap((root) => [...root.querySelectorAll(scope)]) : [];
      for (const root of present)
        addCandidates(found, adapterFields(root, adapter, scopes, CEDULA_LABELS), adapter.id);
      if (found.size > 0) return [...found.values()];
    }
  }
  for (const root of roots) addCandidates(found, genericFields(root, CEDULA_LABELS), 'generic');
  return [...found.values()];
}

/**
 * The fields of one kind the analyst can see, read as detectCedulas reads cédulas: through the
 * adapter of a CRM whose markup is on the page, or else the generic label heuristic.
 */
export function visibleFieldsOf(roots: Root[], adapters: CrmAdapter[], labels: LabelKind): Field[] {
  for (const adapter of adapters) {
    const present = roots.filter((root) => root.querySelector(adapter.signature));
    if (present.length === 0) continue;
    const scope = adapter.activeScope;
    const scopes = scope ? roots.flatMap((root) => [...root.querySelectorAll(scope)]) : [];
    const fields = present
      .flatMap((root) => adapterFields(root, adapter, scopes, labels))
      .filter((field) => isShown(field.element));
    if (fields.length > 0) return fields;
  }
  return roots.flatMap((root) => genericFields(root, labels)).filter((field) => isShown(field.element));
}
