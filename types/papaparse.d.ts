// The part of papaparse the extension calls (CSV writing). @types/papaparse begins with
// `/// <reference types="node" />` (for its stream parser), which would bring Node's types into the
// extension's type check; tsconfig.json resolves `papaparse` here instead. Tests, which also parse,
// use @types/papaparse through tsconfig.node.json.
export interface UnparseConfig {
  quotes?: boolean | boolean[];
  delimiter?: string;
  newline?: string;
  header?: boolean;
  /** Prefixes cells starting with =, +, -, @, tab or CR with a quote (formula injection). */
  escapeFormulae?: boolean | RegExp;
}
export interface UnparseObject<T> {
  fields: string[];
  data: T[];
}
export function unparse<T>(data: T[] | UnparseObject<T>, config?: UnparseConfig): string;

declare const Papa: { unparse: typeof unparse };
export default Papa;
