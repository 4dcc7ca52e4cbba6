/**
 * The cédula field an analyst pointed at once on a site ("Señalar el campo de la cédula"), or that IT
 * ships by policy (`crmFieldLocators`): kept as a person would describe it, by the label's text and
 * which of the values beside that label holds the cédula. Never by ids or classes, which CRMs
 * generate anew at each release. A scan reads these fields before any adapter or the generic pass.
 */
import {
  cedulaInValue,
  composedContains,
  controlText,
  type DocumentType,
  documentTypeOf,
  type Field,
  groupPieces,
  hasContent,
  isTypeOnly,
  isValueControl,
  LABEL_CANDIDATES,
  normalizeLabel,
  ownText,
  type Piece,
  type Root,
} from './cedula-detection.js';

export type FieldLocator = {
  /** The label as the page shows it; compared as labels are (accents, case, dots and colons aside). */
  label: string;
  /** Which value of the label's group holds the cédula, from 0, in the page's order. */
  position: number;
  /** The label element's tag name (`dt`, `label`, `b`), when known: a heading of the same words is no label. */
  labelTag?: string;
};

/** A locator as stored: for one site (a match pattern), and who set it. */
export type SiteFieldLocator = FieldLocator & { site: string };

/** Label texts longer than this are sentences, not labels. */
export const MAX_LABEL_LENGTH = 60;
/** How many locators one site keeps: a record shows the applicant, perhaps a co-signer. */
export const MAX_LOCATORS_PER_SITE = 10;

/** Text a person would read as a label: short, with letters, and no number of its own. */
export function isLabelText(text: string): boolean {
  const trimmed = text.trim();
  return (
    trimmed.length > 0 &&
    trimmed.length <= MAX_LABEL_LENGTH &&
    /\p{L}/u.test(trimmed) &&
    !/\d{3}/.test(trimmed) &&
    // Invisible formatting (bidi overrides, zero-width characters) could make a label read as another.
    !/\p{Cf}/u.test(trimmed)
  );
}

/** A locator's parts as read from storage or a policy, checked one by one; anything else is dropped. */
export function fieldLocatorFrom(raw: unknown): FieldLocator | undefined {
  const { label, position, labelTag } = (raw ?? {}) as Record<string, unknown>;
  if (typeof label !== 'string' || !isLabelText(label)) return undefined;
  const at = position === undefined ? 0 : position;
  if (typeof at !== 'number' || !Number.isInteger(at) || at < 0 || at > 9) return undefined;
  const tag =
    typeof labelTag === 'string' && /^[a-z][a-z0-9-]{0,30}$/.test(labelTag.toLowerCase())
      ? labelTag.toLowerCase()
      : undefined;
  return { label: label.trim(), position: at, ...(tag ? { labelTag: tag } : {}) };
}

/** The type a group's type-only pieces name ("Cédula de ciudadanía ▾" beside the number), else the value's own. */
function documentTypeIn(pieces: Piece[], value: Piece): DocumentType | undefined {
  const typePiece = pieces.find((piece) => piece !== value && isTypeOnly(piece));
  return (typePiece && documentTypeOf(typePiece.text)) ?? documentTypeOf(value.text);
}

/** Controls named by a label element through `aria-labelledby`, before what its group holds. */
function labelledControls(label: Element, root: Root): Piece[] {
  if (!label.id) return [];
  return [
    ...root.querySelectorAll('input[aria-labelledby], select[aria-labelledby], textarea[aria-labelledby]'),
  ]
    .filter((control) => (control.getAttribute('aria-labelledby') ?? '').split(/\s+/).includes(label.id))
    .map((control) => ({ text: controlText(control), element: control }));
}

/**
 * What a label element's group holds, piece by piece, as the locator counts positions: controls
 * (even empty ones) and text with content, so a separator a CRM draws only in read mode (" - ")
 * does not move the number from where it is in edit mode.
 */
function piecesOfLabel(label: Element, root: Root): Piece[] {
  const named = labelledControls(label, root);
  const grouped = groupPieces(label, root).filter(
    (piece) => !named.some((other) => other.element === piece.element),
  );
  return [...named, ...grouped].filter((piece) => isValueControl(piece.element) || hasContent(piece.text));
}

function fieldAt(locator: FieldLocator, pieces: Piece[]): Field | undefined {
  const value = pieces[locator.position];
  if (!value) return undefined;
  return {
    label: locator.label,
    value: value.text,
    element: value.element,
    documentType: documentTypeIn(pieces, value),
  };
}

/** The first letter or digit of a text as normalizeLabel would begin it (accents, case, `.:*` aside). */
function initialOf(text: string): string {
  const first = /[^\s.:*]/.exec(text)?.[0] ?? '';
  return first.normalize('NFD').charAt(0).toLowerCase();
}

/**
 * The fields the locators point at in one root: every element whose own text is a locator's label
 * (its group's value at the locator's position), "Label: value" in one element, and controls whose
 * `aria-label` is the label. A label shown twice (the applicant's and a co-signer's) gives both.
 */
export function fieldsByLocators(root: Root, locators: FieldLocator[]): Field[] {
  if (locators.length === 0) return [];
  const wanted = locators.map((locator) => ({ locator, label: normalizeLabel(locator.label) }));
  const fields: Field[] = [];
  for (const control of root.querySelectorAll(
    'input[aria-label], select[aria-label], textarea[aria-label]',
  )) {
    const label = normalizeLabel(control.getAttribute('aria-label') ?? '');
    const match = wanted.find((entry) => entry.label === label && entry.locator.position === 0);
    if (match) fields.push({ label: match.locator.label, value: controlText(control), element: control });
  }
  const document = root.nodeType === 9 ? (root as Document) : root.ownerDocument!;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const visited = new Set<Element>();
  const initials = new Set(wanted.map((entry) => entry.label.charAt(0)));
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = node.nodeValue ?? '';
    // Most of a page's text is ruled out before any normalising: by its length (labels are short),
    // then by its first letter (accents and case aside), which must be a label's.
    if (data.length > MAX_LABEL_LENGTH + 80 && data.trim().length > MAX_LABEL_LENGTH + 80) continue;
    if (!initials.has(initialOf(data))) continue;
    const element = node.parentElement;
    if (!element || visited.has(element)) continue;
    visited.add(element);
    const text = ownText(element).trim();
    if (text.length > MAX_LABEL_LENGTH + 80) continue;
    const colon = text.indexOf(':');
    const whole = normalizeLabel(text);
    const head = colon > 0 ? normalizeLabel(text.slice(0, colon)) : undefined;
    for (const { locator, label } of wanted) {
      if (locator.labelTag && element.tagName.toLowerCase() !== locator.labelTag) continue;
      if (whole === label) {
        const field = fieldAt(locator, piecesOfLabel(element, root));
        if (field) fields.push(field);
      } else if (head === label && locator.position === 0 && text.slice(colon + 1).trim()) {
        const value = text.slice(colon + 1);
        fields.push({ label: locator.label, value, element, documentType: documentTypeOf(value) });
      }
    }
  }
  return fields;
}

/** What the analyst pointed at, as Lupa would read it from then on. */
export type PointedField =
  | {
      found: true;
      locator: FieldLocator;
      element: Element;
      /** The value as the page shows it. */
      value: string;
      /** The cédula in it, or null when it holds none Lupa could offer (a NIT, a phone, two numbers). */
      cedula: string | null;
      documentType?: DocumentType;
    }
  /** Nothing labels it: Lupa could not find it again on the next record. */
  | { found: false; element: Element; value: string };

const holds = (piece: Piece, target: Element) =>
  piece.element === target ||
  composedContains(piece.element, target) ||
  composedContains(target, piece.element);

function pointed(locator: FieldLocator, field: Field): PointedField {
  const cedula = field.documentType === 'other' ? null : (cedulaInValue(field.value) ?? null);
  return {
    found: true,
    locator,
    element: field.element,
    value: field.value.trim(),
    cedula,
    documentType: field.documentType,
  };
}

/** The elements that could label `target`, nearest first: itself, its `labels`, then what precedes it and its cells. */
/** Enough for any form row; a pointer over a vast page does not read all of it at each move. */
const MAX_CANDIDATES = 60;

function labelCandidates(target: Element): Element[] {
  const candidates: Element[] = [target];
  const labels = (target as HTMLInputElement).labels;
  if (isValueControl(target) && labels) candidates.push(...labels);
  const ids = (target.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean);
  const root = target.getRootNode() as Root;
  for (const id of ids) {
    const label = root.getElementById?.(id);
    if (label) candidates.push(label);
  }
  for (let node: Element | null = target, depth = 0; node && depth < 6; node = node.parentElement, depth++) {
    for (
      let previous = node.previousElementSibling, taken = 0;
      previous && taken < 5;
      previous = previous.previousElementSibling, taken++
    ) {
      candidates.push(previous);
      for (const inner of previous.querySelectorAll(LABEL_CANDIDATES)) {
        if (candidates.length >= MAX_CANDIDATES) return candidates;
        candidates.push(inner);
      }
      if (candidates.length >= MAX_CANDIDATES) return candidates;
    }
  }
  return candidates;
}

/**
 * The locator of the element the analyst pointed at (`target`, the element under the pointer in
 * `root`): the nearest label whose group holds it, or "Label: value" in the element itself, or the
 * control's own `aria-label`; checked by reading the page with it, so what is kept finds this very
 * field again.
 */
export function locatorOfPointed(target: Element, root: Root): PointedField {
  // Its own text, or the start of what it holds: never a whole page's text at each move.
  const shownValue = () =>
    (isValueControl(target)
      ? controlText(target)
      : ownText(target) || (target.textContent ?? '').slice(0, 200)
    ).trim();
  // Read back with the locator: it must find the very element pointed at (or the label's value).
  const check = (locator: FieldLocator, expected: Element = target): PointedField | undefined => {
    const field = fieldsByLocators(root, [locator]).find((candidate) =>
      holds({ text: candidate.value, element: candidate.element }, expected),
    );
    return field ? pointed(locator, field) : undefined;
  };
  const ariaLabel = target.getAttribute('aria-label');
  if (isValueControl(target) && ariaLabel && isLabelText(ariaLabel)) {
    const found = check({ label: ariaLabel.trim(), position: 0 });
    if (found) return found;
  }
  const own = ownText(target);
  const colon = own.indexOf(':');
  if (colon > 0 && isLabelText(own.slice(0, colon)) && own.slice(colon + 1).trim()) {
    const found = check({
      label: own.slice(0, colon).trim(),
      position: 0,
      labelTag: target.tagName.toLowerCase(),
    });
    if (found) return found;
  }
  const candidates = [...new Set(labelCandidates(target))].filter((candidate) =>
    isLabelText(ownText(candidate)),
  );
  const attempt = (candidate: Element): PointedField | undefined => {
    const pieces = piecesOfLabel(candidate, root);
    // The label itself pointed at: its value is the first piece that is not only a document type.
    const position =
      candidate === target
        ? pieces.findIndex((piece) => !isTypeOnly(piece) && /\d/.test(piece.text))
        : pieces.findIndex((piece) => holds(piece, target));
    if (position < 0) return undefined;
    return check(
      { label: ownText(candidate).trim(), position, labelTag: candidate.tagName.toLowerCase() },
      pieces[position]!.element,
    );
  };
  for (const [index, candidate] of candidates.entries()) {
    const found = attempt(candidate);
    if (!found) continue;
    // "Cédula de ciudadanía" shown beside the number is the value of a type field, not its label:
    // a label further up whose group holds both is the field's.
    if (documentTypeOf(ownText(candidate)) !== undefined) {
      const outer = candidates.slice(index + 1).find((other) =>
        // One piece of its group is the type (and another the number), not one holding both.
        piecesOfLabel(other, root).some((piece) => holds(piece, candidate) && !holds(piece, target)),
      );
      const better = outer && attempt(outer);
      if (better) return better;
    }
    return found;
  }
  return { found: false, element: target, value: shownValue() };
}
