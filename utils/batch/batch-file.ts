/**
 * The analyst's batch file: a CSV as Excel or a payroll system writes it (`;` or `,`, with or without a
 * UTF-8 byte-order mark, quoted fields, CRLF), one applicant per line with their cédula (dots and
 * spaces are fine) and the reference of their signed authorisation. A header line is recognised by
 * its names; without one, the first column is the cédula and the second the reference.
 */

export type BatchFileRow = {
  line: number;
  cedula: string;
  consentReference: string;
  /** The payroll agreement's employer, from a `nit_empleador` column: checked against PILA, never sent. */
  employerNit: string;
};

export type BatchFile =
  | { ok: true; rows: BatchFileRow[]; separator: ';' | ',' }
  | { ok: false; problem: 'empty' | 'no_cedula_column'; header?: string[] };

const CEDULA_NAMES = ['cedula', 'documento', 'numero_de_documento', 'identificacion', 'cc'];
const CONSENT_NAMES = ['referencia', 'autorizacion', 'consentimiento', 'referencia_autorizacion'];
const EMPLOYER_NIT_NAMES = ['nit_empleador', 'nit_del_empleador', 'nit_empresa', 'nit_pagador', 'nit'];

/** `Número de documento` → `numero_de_documento`. */
function columnName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}

/** RFC 4180 fields of one record starting at `start`; returns them and where the next record starts. */
function readRecord(text: string, start: number, separator: string): { fields: string[]; next: number } {
  const fields: string[] = [];
  let field = '';
  let index = start;
  let quoted = false;
  while (index < text.length) {
    const char = text[index]!;
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (char === '"') quoted = false;
      else field += char;
      index++;
      continue;
    }
    if (char === '"' && field === '') quoted = true;
    else if (char === separator) {
      fields.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      fields.push(field);
      const next = char === '\r' && text[index + 1] === '\n' ? index + 2 : index + 1;
      return { fields, next };
    } else field += char;
    index++;
  }
  fields.push(field);
  return { fields, next: text.length };
}

export function parseBatchFile(content: string): BatchFile {
  const text = content.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  // Excel in Spanish writes `;`; other tools `,`: whichever the first line holds more of.
  const separator = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const records: Array<{ line: number; fields: string[] }> = [];
  let line = 1;
  for (let position = 0; position < text.length; ) {
    const { fields, next } = readRecord(text, position, separator);
    if (fields.some((field) => field.trim() !== '')) records.push({ line, fields });
    // A quoted field may span lines: the next record's line counts them.
    line += (text.slice(position, next).match(/\r\n|\r|\n/g) ?? []).length;
    position = next;
  }
  if (records.length === 0) return { ok: false, problem: 'empty' };
  const first = records[0]!.fields;
  const header = first.map(columnName);
  const namedCedula = header.findIndex((name) => CEDULA_NAMES.includes(name));
  const hasHeader =
    namedCedula >= 0 ||
    header.some((name) => CONSENT_NAMES.includes(name) || EMPLOYER_NIT_NAMES.includes(name));
  // A first line of words only is a header, named or not: never a row with a "cédula no válida".
  const unnamedHeader =
    !hasHeader && first.every((field) => !/\d/.test(field)) && /\p{L}/u.test(first.join(''));
  if ((hasHeader && namedCedula < 0) || unnamedHeader)
    return { ok: false, problem: 'no_cedula_column', header: first.map((field) => field.trim()) };
  const cedulaColumn = hasHeader ? namedCedula : 0;
  const consentColumn = hasHeader ? header.findIndex((name) => CONSENT_NAMES.includes(name)) : 1;
  const nitColumn = hasHeader ? header.findIndex((name) => EMPLOYER_NIT_NAMES.includes(name)) : -1;
  return {
    ok: true,
    separator,
    rows: records.slice(hasHeader ? 1 : 0).map((record) => ({
      line: record.line,
      cedula: (record.fields[cedulaColumn] ?? '').trim(),
      consentReference: consentColumn >= 0 ? (record.fields[consentColumn] ?? '').trim() : '',
      employerNit: nitColumn >= 0 ? (record.fields[nitColumn] ?? '').trim() : '',
    })),
  };
}
