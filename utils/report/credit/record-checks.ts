/**
 * What the CRM record (or a batch line, or the analyst) says about the applicant, checked against
 * PILA: the payroll agreement's employer (docs/credit-reading.md rule 16) and the applicant's name
 * (rule 17).
 */
import type { EmployerHistory } from './employer-months.js';

/** DIAN's modulo-11 weights, applied from the NIT's rightmost digit. */
const CHECK_DIGIT_WEIGHTS = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];

export function nitCheckDigit(nit: string): number {
  let sum = 0;
  const digits = [...nit].reverse();
  digits.forEach((digit, index) => {
    sum += Number(digit) * CHECK_DIGIT_WEIGHTS[index]!;
  });
  const remainder = sum % 11;
  return remainder > 1 ? 11 - remainder : remainder;
}

export type AgreementNit =
  | { ok: true; nit: string }
  | { ok: false; problem: 'unreadable' | 'wrong_check_digit' };

/** `900.482.317-1`, `900482317`, `NIT 900 482 317 - 1` → `900482317`; a wrong DV is a typo. */
export function readAgreementNit(text: string): AgreementNit {
  const match = /^\s*(?:nit\.?:?\s*)?([\d.\s\u00a0]+?)\s*(?:-\s*(\d))?\s*$/i.exec(text);
  if (!match) return { ok: false, problem: 'unreadable' };
  const nit = match[1]!.replace(/\D/g, '').replace(/^0+(?=\d)/, '');
  if (nit.length < 6 || nit.length > 10) return { ok: false, problem: 'unreadable' };
  if (match[2] !== undefined && Number(match[2]) !== nitCheckDigit(nit))
    return { ok: false, problem: 'wrong_check_digit' };
  return { ok: true, nit };
}

export type AgreementCheck =
  | { kind: 'current'; nit: string; employerKey: string; lastMonth: string }
  /** In PILA, but not a current employer (rule 6): its last month with a line. */
  | { kind: 'not_current'; nit: string; employerKey: string; lastMonth: string }
  | { kind: 'absent'; nit: string }
  | { kind: 'invalid'; problem: 'unreadable' | 'wrong_check_digit' };

/**
 * Belvo's number may carry the check digit glued at its end (an integer: rule 4), and so may the
 * NIT as a CRM or a file writes it ("9004823171"). Only a company's 9-digit NIT is read that way: a
 * shorter one plus a digit could be another company's NIT.
 */
function nitForms(nit: string): string[] {
  const forms = [nit];
  if (nit.length === 9) forms.push(`${nit}${nitCheckDigit(nit)}`);
  if (nit.length === 10 && Number(nit[9]) === nitCheckDigit(nit.slice(0, 9))) forms.push(nit.slice(0, 9));
  return forms;
}

const isNit = (idDigits: string | null, nit: string) => {
  if (idDigits === null) return false;
  return nitForms(nit).some((form) => nitForms(form).includes(idDigits));
};

export function agreementCheckOf(
  nitText: string,
  histories: readonly EmployerHistory[],
  currentKeys: ReadonlySet<string>,
): AgreementCheck {
  const read = readAgreementNit(nitText);
  if (!read.ok) return { kind: 'invalid', problem: read.problem };
  const matching = histories.filter((history) => isNit(history.idNumber, read.nit));
  if (matching.length === 0) return { kind: 'absent', nit: read.nit };
  const lastOf = (history: EmployerHistory) => history.months.at(-1)?.month ?? '';
  const current = matching.find((history) => currentKeys.has(history.employerKey));
  const chosen = current ?? matching.reduce((a, b) => (lastOf(b) > lastOf(a) ? b : a));
  return {
    kind: current ? 'current' : 'not_current',
    nit: read.nit,
    employerKey: chosen.employerKey,
    lastMonth: lastOf(chosen),
  };
}

const PARTICLES = new Set(['de', 'del', 'la', 'las', 'los', 'y']);

/** "María F. de la Gómez" → ["maria", "gomez"]: no accents, case, particles or initials. */
export function nameWordsOf(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('es-CO')
    .split(/[^\p{L}]+/u)
    .filter((word) => word.length > 1 && !PARTICLES.has(word));
}

export type NameCheck = 'match' | 'mismatch';

/**
 * Every word of the shorter name is in the longer one (each used once), and they share at least two:
 * order, a missing second surname or second name do not matter. Null when either name has fewer than
 * two words: too little to tell.
 */
export function nameCheckOf(crmName: string | null, pilaName: string | null): NameCheck | null {
  if (!crmName || !pilaName) return null;
  const crm = nameWordsOf(crmName);
  const pila = nameWordsOf(pilaName);
  if (crm.length < 2 || pila.length < 2) return null;
  const [shorter, longer] = crm.length <= pila.length ? [crm, pila] : [pila, crm];
  const left = [...longer];
  for (const word of shorter) {
    const index = left.indexOf(word);
    if (index < 0) return 'mismatch';
    left.splice(index, 1);
  }
  return 'match';
}
