import { describe, expect, it } from 'vitest';
import { printable, table } from '../../src/cli-output.js';

describe('what the CLI prints', () => {
  it.each([
    ['an ANSI escape', 'Ana\u001b[2J\u001b[31mAdmin', 'Ana\\u001b[2J\\u001b[31mAdmin'],
    ['a carriage return that would overwrite the line', 'Ana\rMallory', 'Ana\\u000dMallory'],
    ['a C1 control', 'Ana\u009bX', 'Ana\\u009bX'],
    ['DEL', 'Ana\u007f', 'Ana\\u007f'],
    ['a newline inside a cell', 'Ana\nB', 'Ana\\u000aB'],
    ['a right-to-left override that reorders the line', 'Ana\u202eanimdA', 'Ana\\u202eanimdA'],
    ['a zero-width space', 'A\u200bna', 'A\\u200bna'],
    ['accents and ñ, as they are', 'María Peña Ñáñez', 'María Peña Ñáñez'],
  ])('prints %s as its code', (_what, text, shown) => {
    expect(printable(text)).toBe(shown);
  });

  it('aligns a table of printable cells', () => {
    expect(
      table([
        ['ID', 'NAME'],
        ['1', 'Ana\u001b[0m'],
      ]).split('\n'),
    ).toEqual(['ID  NAME', '1   Ana\\u001b[0m']);
  });
});
