/**
 * The one message protocol between extension contexts, named by direction. Every message to the
 * background is declared once, in TO_BACKGROUND: its payload, its reply and who may send it. The
 * message union, the reply types, the sender check and the background's handler table all derive from
 * that map, so a message added here without a handler is a compile error in the background.
 *
 * What a message may do is decided by who sent it, judged from what the browser says about the sender:
 * extension pages (popup, options, detail) may send anything declared for them; the overlay frame,
 * which lives inside a CRM page, may read and start lookups only for the cédulas that page's content
 * script reported (utils/background/crm-tabs.ts); the content script may only report those cédulas.
 * (The frame → content-script sizing channel is utils/overlay/frame-protocol.ts.)
 */

import type {
  Batch,
  BatchCreated,
  CreateBatchRequest,
  Employment,
  LookupStatus,
  Owner,
  Role,
  Usage,
} from '@lupa/contract';
import type { FieldLocator } from '../overlay/field-locators.js';
import type { CachedLookup, CachedReport } from '../storage/lookup-cache.js';

/** What the cache holds for one cédula: its latest lookup, and the report if that lookup is ready. */
export type CacheOfCedula = { lookup: CachedLookup | null; report: CachedReport | null };

/**
 * What a record showing one cédula says of the applicant (utils/overlay/record-facts.ts): compared
 * with PILA, never used to choose whom to look up.
 */
export type RecordFacts = { employerNit: string | null; applicantName: string | null };

/**
 * The cédulas a CRM page shows, the current one first, with what the cache holds for that first one:
 * sent along so the panel can show at once instead of asking the background again.
 */
export type ShownCedulas = {
  cedulas: string[];
  first: (CacheOfCedula & { cedula: string }) | null;
  /** Only when the page shows one cédula. */
  record: RecordFacts | null;
};

export type SenderKind = 'extension-page' | 'overlay-frame' | 'picker-frame' | 'content-script' | 'foreign';

/**
 * What the field picker shows of the element under the pointer (utils/overlay/field-locators.ts): where
 * it is on the page, the label Lupa would find it by, the value and the cédula in it. Only extension
 * contexts carry it; the page never sees it.
 */
export type PointedFieldView = {
  rect: { left: number; top: number; width: number; height: number };
  /** Null: nothing labels it, so it could not be found again. */
  label: string | null;
  value: string;
  cedula: string | null;
  /** The value names a document other than a cédula de ciudadanía (NIT, pasaporte…). */
  otherDocument: boolean;
};

/** A message's declaration; the payload and reply live only in the type, the senders also at run time. */
type MessageSpec<Payload, Reply> = {
  readonly senders: readonly SenderKind[];
  /** Never set: carries the payload and reply types. */
  readonly types?: { payload: Payload; reply: Reply };
};
const message = <Payload, Reply>(...senders: SenderKind[]): MessageSpec<Payload, Reply> => ({ senders });

export const TO_BACKGROUND = {
  /** In Firefox builds the overlay frame may not: its lookups are confirmed in a window (below). */
  'lookup.start': message<
    { cedula: string; consentReference?: string; force?: boolean },
    { lookupId: string; status: LookupStatus }
  >('extension-page', 'overlay-frame'),
  /**
   * The panel, where the browser cannot tell whether the page covers it (Firefox): open an extension
   * window that names the cédula and starts the lookup only when the analyst confirms there.
   */
  'overlay.confirm-lookup': message<
    { cedula: string; consentReference?: string; force?: boolean },
    { requestId: string }
  >('overlay-frame'),
  /** The confirmation window: what it asks the analyst to confirm. */
  'confirmation.read': message<
    { requestId: string },
    { cedula: string; site: string; consentReference: string | null }
  >('extension-page'),
  /** The confirmation window's answer; confirmed, the lookup starts. */
  'confirmation.answer': message<{ requestId: string; confirmed: boolean }, { lookupId: string | null }>(
    'extension-page',
  ),
  /**
   * The overlay frame reads the cache through the background: inside a CRM page the frame is a
   * third-party context, where Chromium blocks or partitions its IndexedDB.
   */
  'cache.latest-of-cedula': message<{ cedula: string }, CacheOfCedula>('extension-page', 'overlay-frame'),
  /** The overlay frame asks which CRM page it is in and which cédulas that page shows. */
  'overlay.attach': message<Record<never, never>, { tabId: number; site: string } & ShownCedulas>(
    'overlay-frame',
  ),
  /**
   * The CRM content script reports the cédulas the page shows and, for a record of one, its facts
   * (the only thing it may send; the background believes short strings only, crm-tabs.ts).
   */
  'crm.cedulas-shown': message<{ cedulas: string[]; record?: RecordFacts | null }, Record<never, never>>(
    'content-script',
  ),
  /**
   * "Señalar el campo de la cédula": from the panel (its own tab) or the options' site list (the tab
   * of that site, one of its match patterns, used last). Only the analyst's click in an extension
   * page starts it.
   */
  'picker.start': message<{ sites?: string[] }, Record<never, never>>('extension-page', 'overlay-frame'),
  /** The picker's frame, mounted by the content script, asks which site it points on. */
  'picker.attach': message<{ secret: string }, { site: string }>('picker-frame'),
  /** The element under the pointer (`choose`: the analyst clicked it). */
  'picker.point': message<{ x: number; y: number; choose: boolean }, { field: PointedFieldView | null }>(
    'picker-frame',
  ),
  /** Keep the chosen field for the site (`save`), or leave; the picker closes either way. */
  'picker.finish': message<{ save: boolean }, { saved: boolean; confirming: boolean }>('picker-frame'),
  /**
   * Where the browser cannot tell whether the page covered the picker (Firefox), a field saved there
   * is kept only once the analyst confirms it in Lupa's own window: what that window shows, and the
   * answer.
   */
  'picker.pending': message<Record<never, never>, { site: string; label: string; cedulaMasked: string }>(
    'extension-page',
  ),
  'picker.confirm': message<{ save: boolean }, { saved: boolean }>('extension-page'),
  /** The content script asks where the cédula is on its own site (the analyst's and the policy's locators). */
  'crm.field-locators': message<Record<never, never>, { locators: FieldLocator[] }>('content-script'),
  'lookup.delete': message<{ lookupId: string }, Record<never, never>>('extension-page'),
  /** The saved relay, or the URL and token the options form holds before they are saved. */
  'relay.test': message<
    { relayUrl?: string; analystToken?: string },
    { name: string; used: number; limit: number; lender: string | null; roles: Role[] }
  >('extension-page'),
  /** "Iniciar sesión" in the options: the identity provider's window, through the relay. */
  'session.sign-in': message<
    { relayUrl: string },
    { name: string; used: number; limit: number; lender: string | null; roles: Role[] }
  >('extension-page'),
  'session.sign-out': message<Record<never, never>, Record<never, never>>('extension-page'),
  /** "Uso del equipo" in the options: the relay answers only supervisors and admins. */
  'usage.get': message<{ from: string; to: string }, Usage>('extension-page'),
  /** The batch page: a list of applicants, each with their consent reference (the relay checks each). */
  'batch.create': message<{ rows: CreateBatchRequest['rows'] }, BatchCreated>('extension-page'),
  /** A batch; with `sinceVersion`, answers when it changes (or after about 20 s). */
  'batch.get': message<{ batchId: string; sinceVersion?: string }, Batch>('extension-page'),
  'batch.cancel': message<{ batchId: string }, Batch>('extension-page'),
  /** The reports and full cédulas of a finished batch, for its downloads (kept nowhere). */
  'batch.results': message<
    { batchId: string; lookupIds: string[] },
    {
      cedulas: Record<number, string>;
      reports: Record<string, { owners: Owner[]; employments: Employment[]; consultedAt: string }>;
    }
  >('extension-page'),
  /** "Borrar todo": the cache and the lookups still being followed (they hold full cédulas). */
  'history.clear': message<Record<never, never>, Record<never, never>>('extension-page'),
};

type Spec = typeof TO_BACKGROUND;
export type BackgroundMessageType = keyof Spec;
type PayloadOf<T extends BackgroundMessageType> = NonNullable<Spec[T]['types']>['payload'];
type ReplyOf<T extends BackgroundMessageType> = NonNullable<Spec[T]['types']>['reply'];

/** Popup, options and overlay pages → background. */
export type PageToBackground = {
  [T in BackgroundMessageType]: { type: T } & PayloadOf<T>;
}[BackgroundMessageType];
export type MessageOfType<T extends BackgroundMessageType> = Extract<PageToBackground, { type: T }>;

export type FailureReply = { ok: false; error: { code: string; detail?: string } };
export type ReplyTo<M extends PageToBackground> = ({ ok: true } & ReplyOf<M['type']>) | FailureReply;

/** Who sent a message, as the browser reports it: the handlers that need more than the kind use it. */
export type SenderContext = {
  kind: SenderKind;
  tabId?: number;
  frameId?: number;
  /** The sending document's URL. */
  url?: string;
  /** The URL of the tab's top document, when the extension has access to it. */
  tabUrl?: string;
};

/** The background's table: one handler per declared message, each returning that message's reply. */
export type BackgroundHandlers = {
  [T in BackgroundMessageType]: (
    message: MessageOfType<T>,
    sender: SenderContext,
  ) => Promise<({ ok: true } & ReplyOf<T>) | FailureReply>;
};

/**
 * Runs the handler of the message's type. TypeScript cannot correlate a union member with its entry in
 * a mapped table, hence the one cast; the table's type guarantees the pairing.
 */
export function dispatch(
  handlers: BackgroundHandlers,
  message: PageToBackground,
  sender: SenderContext,
): Promise<unknown> {
  const handler = handlers[message.type] as (
    message: PageToBackground,
    sender: SenderContext,
  ) => Promise<unknown>;
  return handler(message, sender);
}

/**
 * Background → extension pages, broadcast: a lookup changed (they re-read the cache), or the CRM page
 * of a tab shows other cédulas (only that tab's overlay frame takes it).
 */
export type BackgroundToPages =
  | { type: 'lookup.changed'; lookupId: string; status: LookupStatus }
  | ({ type: 'overlay.cedulas'; tabId: number } & ShownCedulas)
  | { type: 'overlay.focus'; tabId: number };

/**
 * Background → the CRM content script of a tab: the analyst pressed the shortcut to the panel; the
 * field picker opens, asks what is under the pointer, closes; the site's locators changed.
 */
export type BackgroundToContent =
  | { type: 'overlay.focus' }
  | { type: 'picker.open'; secret: string }
  | { type: 'picker.point'; x: number; y: number }
  | { type: 'picker.close' }
  | { type: 'crm.locators-changed' };
/** The content script's answer to `picker.point`: what the frame shows, and the locator to keep. */
export type PointReply = { field: PointedFieldView; locator: FieldLocator | null } | null;
const TO_CONTENT_TYPES = new Set([
  'overlay.focus',
  'picker.open',
  'picker.point',
  'picker.close',
  'crm.locators-changed',
]);
export function isBackgroundToContent(message: unknown): message is BackgroundToContent {
  const type = (message as { type?: unknown } | null)?.type;
  return typeof type === 'string' && TO_CONTENT_TYPES.has(type);
}
export const FOCUS_PANEL_COMMAND = 'focus-panel';

/** The port the popup holds open, so the background knows the analyst is looking (no notification). */
export const POPUP_PORT = 'lupa-popup';

const EXTENSION_SCHEMES = new Set(['chrome-extension:', 'moz-extension:', 'safari-web-extension:']);

/** Who sent a message, judged from what the browser says about the sender, never from the message. */
export function senderKindOf(
  sender: { id?: string; url?: string; tab?: unknown },
  extension: { id: string },
): SenderKind {
  if (sender.id !== extension.id) return 'foreign';
  let url: URL;
  try {
    url = new URL(sender.url ?? '');
  } catch {
    return 'content-script';
  }
  // Our id and an extension scheme: one of our own pages (Chrome may serve the overlay from a
  // per-session dynamic id, so the host is not compared). Anything else is our content script.
  if (!EXTENSION_SCHEMES.has(url.protocol)) return 'content-script';
  if (url.pathname === '/overlay.html') return 'overlay-frame';
  return url.pathname === '/field-picker.html' ? 'picker-frame' : 'extension-page';
}

/** A declared message from a sender the declaration names; anything else is refused. */
export function isAllowed(kind: SenderKind, message: unknown): message is PageToBackground {
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(TO_BACKGROUND, type)) return false;
  return TO_BACKGROUND[type as BackgroundMessageType].senders.includes(kind);
}
