import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ConfigSchema } from '../../src/config.js';

const DOC = resolve(import.meta.dirname, '../../../docs/operating-the-relay.md');

/** The configuration table of docs/operating-the-relay.md: variable → default cell, as written. */
function documentedVariables(): Map<string, string> {
  const text = readFileSync(DOC, 'utf8');
  const table = text.split('<!-- config-reference:start -->')[1]?.split('<!-- config-reference:end -->')[0];
  if (!table) throw new Error('no config-reference block in docs/operating-the-relay.md');
  const rows = table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  return new Map(
    rows.map(([, name, fallback]) => [name!.replaceAll('`', ''), fallback!.replaceAll('`', '')]),
  );
}

/** What the schema does with an unset variable, written the way the table writes it. */
function schemaDefault(schema: z.ZodType): string {
  const parsed = schema.safeParse(undefined);
  if (!parsed.success) return 'required';
  const value = parsed.data;
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(',');
  return String(value);
}

describe('docs/operating-the-relay.md', () => {
  const documented = documentedVariables();
  const shape = ConfigSchema.shape as Record<string, z.ZodType>;

  it('documents every variable the relay reads, and no other', () => {
    expect([...documented.keys()].sort()).toEqual(Object.keys(shape).sort());
  });

  it.each(Object.keys(ConfigSchema.shape))('gives the default of %s as the schema applies it', (name) => {
    expect(documented.get(name)).toBe(schemaDefault(shape[name]!));
  });
});
