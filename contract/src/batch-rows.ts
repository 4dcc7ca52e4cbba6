/**
 * A batch's rows, checked one by one, the same way in the extension's preview and at the relay: the
 * good ones run, every bad one is reported with its line and reason, and nothing is written for it.
 */
import { parseCedula } from './cedula.js';
import type { CreateBatchRequest, InvalidBatchRow } from './relay-contract.js';

export type ValidBatchRow = { line: number; cedula: string; consentReference: string };

const REASONS: Record<InvalidBatchRow['code'], string> = {
  invalid_cedula: 'The cédula must have 3 to 10 digits and not start with 0 (dots and spaces are fine)',
  consent_required: "The row has no reference of the applicant's signed authorisation",
  duplicate_row: 'The same cédula is on an earlier line; it is looked up once',
};

export function checkBatchRows(rows: CreateBatchRequest['rows']): {
  valid: ValidBatchRow[];
  invalid: InvalidBatchRow[];
} {
  const valid: ValidBatchRow[] = [];
  const invalid: InvalidBatchRow[] = [];
  const seen = new Set<string>();
  for (const [index, row] of rows.entries()) {
    const line = row.line ?? index + 1;
    const refuse = (code: InvalidBatchRow['code']) => {
      invalid.push({ line, code, message: REASONS[code] });
    };
    const parsed = parseCedula(row.cedula);
    const consentReference = row.consentReference.trim();
    if (!parsed.ok) refuse('invalid_cedula');
    else if (consentReference === '') refuse('consent_required');
    else if (seen.has(parsed.cedula)) refuse('duplicate_row');
    else {
      seen.add(parsed.cedula);
      valid.push({ line, cedula: parsed.cedula, consentReference });
    }
  }
  return { valid, invalid };
}
