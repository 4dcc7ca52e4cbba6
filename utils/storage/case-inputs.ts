/**
 * What the analyst added to a lookup while reading it (declared income, the agreement's NIT, the CRM
 * record's name), handed from one extension page to the next one it opens ("Ver detalle", the
 * credit-file report). In browser.storage.session: memory only, gone when the browser closes, never
 * in a URL or the browser's history.
 */
import { browser } from 'wxt/browser';
import type { CaseInputs } from '../report/summary/summarize.js';

const KEY = 'caseInputs';
/** A handful of pages open at a time: older hand-overs are dropped. */
const KEPT = 20;

export async function saveCaseInputs(lookupId: string, inputs: CaseInputs): Promise<void> {
  const kept =
    ((await browser.storage.session.get(KEY))[KEY] as Record<string, CaseInputs> | undefined) ?? {};
  delete kept[lookupId];
  const entries = [...Object.entries(kept), [lookupId, inputs] as const].slice(-KEPT);
  await browser.storage.session.set({ [KEY]: Object.fromEntries(entries) });
}

export async function loadCaseInputs(lookupId: string): Promise<CaseInputs | undefined> {
  return ((await browser.storage.session.get(KEY))[KEY] as Record<string, CaseInputs> | undefined)?.[
    lookupId
  ];
}
