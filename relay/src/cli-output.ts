/**
 * What the CLI prints for an operator's terminal. Names come from the identity provider and consent
 * references from analysts: a control character in them (an ANSI escape, a carriage return) could
 * rewrite what the terminal shows, so each is printed as its code instead.
 */

/**
 * C0 and C1 control characters and DEL (tab and newline included, since a cell is one line), and the
 * invisible format characters that reorder or hide text (bidirectional overrides, zero-width ones).
 */
const FORMAT = /\p{Cf}/u;
const isControl = (code: number) =>
  code <= 0x1f || (code >= 0x7f && code <= 0x9f) || FORMAT.test(String.fromCodePoint(code));

export function printable(text: string): string {
  let shown = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    shown += isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : char;
  }
  return shown;
}

/** Rows as aligned columns, every cell printable. */
export function table(rows: string[][]): string {
  const cells = rows.map((row) => row.map(printable));
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? '').length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
