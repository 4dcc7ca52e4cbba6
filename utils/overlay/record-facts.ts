/**
 * What a CRM record says about the applicant beyond the cédula, for the checks against PILA
 * (docs/credit-reading.md rules 16 and 17): the payroll agreement's employer NIT and the applicant's
 * name. Read only from a record that shows one cédula (a list of applicants names nobody in
 * particular), and only as text to compare: the page's values never choose whom Lupa looks up.
 */
import type { RecordFacts } from '../messaging/protocol.js';
import { nameWordsOf, readAgreementNit } from '../report/credit/record-checks.js';
import { type LabelKind, normalizeLabel, openRoots, visibleFieldsOf } from './cedula-detection.js';
import type { CrmAdapter } from './crm-adapters.js';

/** Longest name read from a page (the background keeps no longer ones either). */
const MAX_NAME_LENGTH = 120;

const EMPLOYER_WORDS = ['emplead', 'empresa', 'pagador', 'convenio', 'patron', 'compania', 'employer'];
const EMPLOYER_ALONE = ['empresa', 'empleador', 'pagador', 'empresa pagadora', 'empresa donde trabaja'];

/** "NIT del empleador", "NIT empresa", "NIT pagador", or an "Empresa" field that holds a NIT. */
export function isEmployerNitLabel(text: string): boolean {
  const label = normalizeLabel(text);
  if (label.length === 0 || label.length > 48) return false;
  if (EMPLOYER_ALONE.includes(label)) return true;
  return /\bnit\b/.test(label) && EMPLOYER_WORDS.some((word) => label.includes(word));
}

const FULL_NAME_LABELS = [
  'nombre',
  'nombre completo',
  'nombres y apellidos',
  'nombre del solicitante',
  'solicitante',
  'nombre del cliente',
  'cliente',
  'titular',
  'nombre del titular',
  'nombre del deudor',
  'deudor',
  'name',
  'full name',
  'contact name',
];
const GIVEN_NAME_LABELS = ['nombres', 'primer nombre', 'first name'];
const SURNAME_LABELS = ['apellidos', 'primer apellido', 'last name'];

const nameKind = (labels: string[]): LabelKind => ({
  maybe: /nom|solicit|client|titular|deudor|name|apell/i,
  isLabel: (text) => labels.includes(normalizeLabel(text)),
});

const EMPLOYER_NIT: LabelKind = { maybe: /nit|empres|emplead|pagador/i, isLabel: isEmployerNitLabel };
const FULL_NAME = nameKind(FULL_NAME_LABELS);
const GIVEN_NAMES = nameKind(GIVEN_NAME_LABELS);
const SURNAMES = nameKind(SURNAME_LABELS);

/** A NIT as a record writes it, with or without dots and check digit; the name around it is left. */
const NIT_IN_TEXT = /(?<![\d.])(?:\d{1,3}(?:\.\d{3}){2,3}|\d{6,10})(?:\s*-\s*\d)?(?![\d.])/;

export function nitInValue(value: string): string | null {
  return NIT_IN_TEXT.exec(value)?.[0].replace(/\s+/g, '') ?? null;
}

const cleanName = (value: string | undefined) => {
  const name = value?.replace(/\s+/g, ' ').trim();
  return name && /\p{L}/u.test(name) && name.length <= MAX_NAME_LENGTH ? name : null;
};

/**
 * One value, or none when the record shows two different ones (which would be a guess). Values are
 * compared as `sameAs` reads them: the same NIT with and without dots, the same name in capitals.
 */
function onlyValue(values: Array<string | null>, sameAs: (value: string) => string): string | null {
  const byForm = new Map<string, string>();
  for (const value of values)
    if (value !== null && !byForm.has(sameAs(value))) byForm.set(sameAs(value), value);
  return byForm.size === 1 ? [...byForm.values()][0]! : null;
}

const nitForm = (value: string) => {
  const read = readAgreementNit(value);
  return read.ok ? read.nit : value;
};
const nameForm = (value: string) => nameWordsOf(value).sort().join(' ');

/** `roots`: the document's open roots when the caller walked them already (one walk per scan). */
export function detectRecordFacts(
  document: Document,
  adapters: CrmAdapter[],
  roots: ReturnType<typeof openRoots> = openRoots(document),
): RecordFacts {
  const values = (labels: LabelKind, read: (value: string) => string | null) =>
    visibleFieldsOf(roots, adapters, labels).map((field) => read(field.value));
  const employerNit = onlyValue(values(EMPLOYER_NIT, nitInValue), nitForm);
  let applicantName = onlyValue(values(FULL_NAME, cleanName), nameForm);
  if (applicantName === null) {
    const given = onlyValue(values(GIVEN_NAMES, cleanName), nameForm);
    const surnames = onlyValue(values(SURNAMES, cleanName), nameForm);
    applicantName = given && surnames ? `${given} ${surnames}` : null;
  }
  return { employerNit, applicantName };
}
