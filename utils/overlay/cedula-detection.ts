/**
 * Finds the cédulas a record page shows: first through the adapter of a CRM whose markup is on the
 * page, then through a generic label heuristic for any page (in-house loan systems). A value counts
 * only next to a label that names a cédula, so the phone numbers and NITs around it are left alone.
 */
import { parseCedula } from '@lupa/contract/cedula';
import type { CrmAdapter } from './crm-adapters.js';

export type CedulaCandidate = { cedula: string; label: string; source: CrmAdapter['id'] | 'generic' };

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
 * The cédula in a field's text: `1.020.304.050`, `C.C. 1020304050`, `1 020 304 050 de Bogotá`. A
 * number with a check digit (`900.123.456-7`) is a NIT, not a cédula.
 */
export function cedulaInValue(text: string): string | undefined {
  const match = /(?<![\d.-])(\d{1,3}(?:[. ]\d{3})+|\d{3,11})(?![\d])(\s*-\s*\d)?/.exec(
    text.replace(/\u00a0/g, ' '),
  );
  if (!match || match[2]) return undefined;
  const parsed = parseCedula(match[1]!);
  return parsed.ok ? parsed.cedula : undefined;
}

function ownText(element: Element): string {
  let text = '';
  for (const node of element.childNodes) if (node.nodeType === 3) text += node.textContent;
  return text;
}

// Node types and tag names rather than instanceof: DOM objects cross realms (a content script's
// isolated world, test DOMs), where constructors differ.
function ownerDocumentOf(root: ParentNode): Document {
  return (root as Node).nodeType === 9 ? (root as Document) : (root as Node).ownerDocument!;
}

function isTextField(element: Element): element is HTMLInputElement | HTMLTextAreaElement {
  return element.tagName === 'INPUT' || element.tagName === 'TEXTAREA';
}

function fieldValue(element: Element | null | undefined): string {
  if (!element) return '';
  if (isTextField(element)) return element.value;
  const field = element.querySelector('input, textarea');
  return field && isTextField(field) ? field.value : (element.textContent ?? '');
}

type Field = { label: string; value: string };

function adapterFields(root: ParentNode, adapter: CrmAdapter): Field[] {
  return [...root.querySelectorAll(adapter.field.container)].flatMap((container) => {
    const label = container.querySelector(adapter.field.label);
    if (!label) return [];
    return [
      { label: label.textContent ?? '', value: fieldValue(container.querySelector(adapter.field.value)) },
    ];
  });
}

const LABEL_CANDIDATES = 'label, dt, th, td, span, div, p, strong, b, li, h3, h4, h5';
/** Loose and accent-blind: anything isCedulaLabel could accept matches this. */
const MAYBE_LABEL = /c\s*[eé]\s*d|c\s*\.?\s*c|doc|ident/i;

/** Any page: an element whose own text is a cédula label, and the value beside it. */
function genericFields(root: ParentNode): Field[] {
  const fields: Field[] = [];
  for (const input of root.querySelectorAll<HTMLInputElement>('input[aria-label]')) {
    fields.push({ label: input.getAttribute('aria-label') ?? '', value: input.value });
  }
  // Walk text nodes, not elements: a cheap test on each finds the few that could be labels.
  const walker = ownerDocumentOf(root).createTreeWalker(root as Node, NodeFilter.SHOW_TEXT);
  const visited = new Set<Element>();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = node.nodeValue ?? '';
    if (data.length > 80 || !MAYBE_LABEL.test(data)) continue;
    const element = node.parentElement;
    if (!element || visited.has(element) || !element.matches(LABEL_CANDIDATES)) continue;
    visited.add(element);
    const text = ownText(element);
    const colon = text.indexOf(':');
    // "Cédula: 1.020.304.050" in one element.
    if (colon > 0 && isCedulaLabel(text.slice(0, colon)) && /\d/.test(text.slice(colon))) {
      fields.push({ label: text.slice(0, colon), value: text.slice(colon + 1) });
      continue;
    }
    if (!isCedulaLabel(text)) continue;
    const values: Array<Element | null | undefined> = [];
    const forId = element.tagName === 'LABEL' ? element.getAttribute('for') : null;
    const target = forId ? element.ownerDocument.getElementById(forId) : null;
    values.push(target, element.nextElementSibling);
    // <div><span>Cédula</span></div><div>1.020.304.050</div>
    if (element.parentElement && element.parentElement.children.length === 1)
      values.push(element.parentElement.nextElementSibling);
    for (const value of values) {
      const text = fieldValue(value);
      if (text.trim()) {
        fields.push({ label: ownText(element), value: text });
        break;
      }
    }
  }
  return fields;
}

function candidatesOf(fields: Field[], source: CedulaCandidate['source']): CedulaCandidate[] {
  const found = new Map<string, CedulaCandidate>();
  for (const field of fields) {
    if (!isCedulaLabel(field.label)) continue;
    const cedula = cedulaInValue(field.value);
    if (cedula && !found.has(cedula)) found.set(cedula, { cedula, label: field.label.trim(), source });
  }
  return [...found.values()];
}

const anySignature = new WeakMap<CrmAdapter[], string>();

export function detectCedulas(root: ParentNode, adapters: CrmAdapter[]): CedulaCandidate[] {
  // One pass rules out every CRM at once; most pages are not one, and each check walks the document.
  let signatures = anySignature.get(adapters);
  if (signatures === undefined) {
    signatures = adapters.map((adapter) => adapter.signature).join(', ');
    anySignature.set(adapters, signatures);
  }
  if (!signatures || !root.querySelector(signatures)) return candidatesOf(genericFields(root), 'generic');
  for (const adapter of adapters) {
    if (!root.querySelector(adapter.signature)) continue;
    const found = candidatesOf(adapterFields(root, adapter), adapter.id);
    if (found.length > 0) return found;
  }
  return candidatesOf(genericFields(root), 'generic');
}
